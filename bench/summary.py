"""bench/reports/README.md: every target of the benchmark issue against what the reports of the
last `python -m bench.run` measured, met or not, with the plots.

    python -m bench.summary   (bench.run calls it last)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1] / "bench" / "reports"
HYBRID = ("search", "search_occupations")
GRAPH_ONLY = ("profile", "title_directions")


def _load(name: str) -> dict | list | None:
    path = REPORTS / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


def targets(r: dict) -> list[tuple[str, str, bool | None, str]]:
    """(target, measured, met, note) rows; a missing report gives a row that says so."""
    rows = []
    lat = r.get("latency")
    if lat:
        enc = statistics.mean([lat["encoder_only"]["p50_ms"], lat["encoder_only_after"]["p50_ms"]])
        for case in HYBRID:
            e = lat["embedded"][case]["p50_ms"]
            rows.append(
                (
                    f"{case}: embedded p50 ≤ encoder + 10 ms",
                    f"{e:.1f} ms vs encoder {enc:.1f} ms (+{e - enc:.1f})",
                    e <= enc + 10,
                    "",
                )
            )
        if "neo4j" in lat:
            for case in HYBRID:
                e, n = lat["embedded"][case]["p50_ms"], lat["neo4j"][case]["p50_ms"]
                rows.append(
                    (
                        f"{case}: Neo4j p50 ≤ 1.5 × embedded",
                        f"{n:.1f} / {e:.1f} ms = {n / e:.2f}×",
                        n <= 1.5 * e,
                        "two round trips (candidates, then evidence) and the vector and fulltext index calls; "
                        "exact cosines are recomputed so that both backends rank alike"
                        if n > 1.5 * e
                        else "",
                    )
                )
        for case in GRAPH_ONLY:
            e = lat["embedded"][case]["p50_ms"]
            rows.append((f"{case}: embedded p50 ≤ 10 ms", f"{e:.2f} ms", e <= 10, ""))
            if "neo4j" in lat:
                n = lat["neo4j"][case]["p50_ms"]
                rows.append((f"{case}: Neo4j p50 ≤ 25 ms", f"{n:.1f} ms", n <= 25, ""))
    else:
        rows.append(("per-query latency", "no latency report", None, "run python -m bench.latency"))
    b = r.get("build_cost")
    if b:
        rows.append(
            (
                "cold build ≤ 1.2 × encoder alone (same texts)",
                f"{b['cold_build_s']} s / {b['encoder_only_s']} s = {b['cold_over_encoder']:.2f}×",
                b["cold_over_encoder"] <= 1.2,
                "the build process also imports torch and loads the model",
            )
        )
        rows.append(
            (
                "warm rebuild ≤ 10 s",
                f"{b['warm_build_s']} s (process wall, peak {b['warm_peak_rss_mb']:,} MB)",
                b["warm_build_s"] <= 10,
                "",
            )
        )
    else:
        rows.append(("build cost", "no build_cost report", None, "run python -m bench.build_cost"))
    s = r.get("scale")
    if s:
        top = max(x["factor"] for x in s)
        neo = [x for x in s if x["backend"] == "neo4j" and x["factor"] == top]
        if neo:
            p95 = max(neo[0]["latency"][c]["p95_ms"] for c in HYBRID)
            rows.append(
                (
                    f"×{top}: hybrid p95 ≤ 150 ms on Neo4j",
                    f"{p95:.1f} ms (worst of {', '.join(HYBRID)})",
                    p95 <= 150 and top >= 100,
                    f"Neo4j RSS {neo[0].get('neo4j_rss_mb')} MB, store {neo[0].get('neo4j_store_mb')} MB, "
                    f"heap {neo[0].get('neo4j_heap')}, page cache {neo[0].get('neo4j_pagecache')}"
                    + ("" if top >= 100 else f"; largest size measured is ×{top}"),
                )
            )
        for backend in sorted({x["backend"] for x in s}):
            rows_b = sorted((x for x in s if x["backend"] == backend), key=lambda x: x["factor"])
            if len(rows_b) > 1:
                grow = rows_b[-1]["nodes"] / rows_b[0]["nodes"]
                ratios = {
                    c: rows_b[-1]["latency"][c]["p50_ms"] / max(rows_b[0]["latency"][c]["p50_ms"], 0.01)
                    for c in (*HYBRID, *GRAPH_ONLY, "similar_occupations")
                }
                worst = max(ratios, key=ratios.get)
                rows.append(
                    (
                        f"indexed queries grow sublinearly ({backend})",
                        f"graph ×{grow:.0f}: " + ", ".join(f"{c} ×{v:.1f}" for c, v in ratios.items()),
                        ratios[worst] < grow,
                        "the embedded backend scans every vector (numpy brute force); Neo4j's HNSW indexes do not"
                        if backend == "embedded"
                        else "",
                    )
                )
            rows.append(
                (
                    f"memory at ×{rows_b[-1]['factor']} ({backend})",
                    f"process peak {rows_b[-1]['peak_rss_mb']:,} MB"
                    + (
                        f", Neo4j server {rows_b[-1].get('neo4j_rss_mb')} MB, store {rows_b[-1].get('neo4j_store_mb')} MB"
                        if backend == "neo4j"
                        else ""
                    ),
                    None,
                    "reported",
                )
            )
    else:
        rows.append(("×10 / ×100 scale", "no scale report", None, "run python -m bench.scale"))
    p = r.get("peer")
    if p:
        ours = p["systems"]["ours"]
        peers = {k: v for k, v in p["systems"].items() if k != "ours"}
        best = max(peers, key=lambda k: peers[k]["MRR"])
        fastest = min(peers, key=lambda k: peers[k]["latency_p50_ms"])
        rows.append(
            (
                "MRR ≥ the peer's",
                f"ours {ours['MRR']:.3f} vs best peer {best} {peers[best]['MRR']:.3f}",
                ours["MRR"] >= peers[best]["MRR"],
                "",
            )
        )
        rows.append(
            (
                "p50 no slower than the peer (Neo4j, incl. encoding)",
                f"ours {ours['latency_p50_ms']:.1f} ms vs {fastest} {peers[fastest]['latency_p50_ms']:.1f} ms",
                ours["latency_p50_ms"] <= peers[fastest]["latency_p50_ms"],
                "one vector call and a one-hop Cypher against our two queries over profile vectors, "
                "BM25 and names, with exact cosines and task evidence"
                if ours["latency_p50_ms"] > peers[fastest]["latency_p50_ms"]
                else "",
            )
        )
    else:
        rows.append(("peer comparison", "no peer report", None, "run python -m bench.peer"))
    rows += title_targets(
        r.get("titles_eval"), r.get("search_eval"), r.get("titles_eval_base_model"), r.get("search_eval_base_model")
    )
    rows += confidence_targets(r.get("confidence"), r.get("curriculum_eval"))
    rows += inferred_link_targets(
        r.get("skill_links"), r.get("directions_eval"), r.get("similar_eval"), r.get("search_tasks"), r.get("gap_eval")
    )
    rows += analyze_targets(r.get("analyze_eval"))
    rows += heatmap_targets(r.get("heatmap"))
    return rows


def heatmap_targets(h: dict | None) -> list[tuple[str, str, bool | None, str]]:
    """A 30-course heatmap as the page asks for it (issue 18): ≤ 1 s embedded, ≤ 2 s on Neo4j, judged on the
    slower case (no target: two maps)."""
    if not h:
        return [("30-course heatmap", "no heatmap report", None, "run python -m bench.heatmap")]
    rows: list[tuple[str, str, bool | None, str]] = []
    for backend, bound in (("embedded", 1.0), ("neo4j", 2.0)):
        if backend not in h:
            continue
        f = h[backend]
        worst = max(f["with_target"]["median_s"], f["no_target"]["median_s"])
        rows.append(
            (
                f"30-course heatmap: {backend} ≤ {bound:g} s",
                f"with a target {f['with_target']['median_s']} s, without (two maps) {f['no_target']['median_s']} s "
                f"(max {max(f['with_target']['max_s'], f['no_target']['max_s'])} s)",
                worst <= bound,
                "[heatmap.md](heatmap.md)"
                if backend == "embedded"
                else "three vector index calls per course in one statement, each asked for 100 candidates kept by "
                "exact cosine (the index's own top five broke parity; with them 3.4 s / 6.7 s in one trial)"
                if worst > bound
                else "",
            )
        )
    return rows


def analyze_targets(a: dict | None) -> list[tuple[str, str, bool | None, str]]:
    """Free-text analysis on the report half of its labelled texts: the occupation in the top 3, the evidence
    claimed, the texts with nothing occupational, and the time for a one-page job ad."""
    if not a:
        return [("free-text analysis", "no analyze_eval report", None, "run python -m bench.eval_analyze")]
    ev, none, clean = a["evidence"], a["nothing_occupational"], a.get("clean") or {}
    rounds = ", ".join(map(str, clean.get("rounds", [])))
    return [
        (
            f"analyze: occupation top-3 ≥ 0.90 (clean round {rounds}: written blind, nothing tuned on it)",
            f"{clean.get('top3')} (top-1 {clean.get('top1')}, {clean.get('texts')} texts)",
            (clean.get("top3") or 0) >= 0.90,
            "[analyze_eval.md](analyze_eval.md)",
        ),
        (
            f"analyze: evidence precision ≥ 0.85 (clean round {rounds})",
            f"{clean.get('evidence', {}).get('precision')} of {clean.get('evidence', {}).get('shown_judged')} claims "
            f"(recall {clean.get('evidence', {}).get('recall')} of {clean.get('evidence', {}).get('drawn')} drawn pairs)",
            (clean.get("evidence", {}).get("precision") or 0) >= 0.85 and not clean.get("unjudged"),
            "",
        ),
        (
            "analyze: occupation top-3 ≥ 0.90 (report half, all rounds)",
            f"{a['top3']} (top-1 {a['top1']}, {a['report_texts']} texts)",
            a["top3"] >= 0.90,
            "",
        ),
        (
            "analyze: evidence precision ≥ 0.85 (report half, all rounds)",
            f"{ev['precision']} of {ev['shown_judged']} claims (recall {ev['recall']} of {ev['drawn']} drawn pairs)",
            (ev["precision"] or 0) >= 0.85 and not a["evidence_unjudged"],
            "",
        ),
        (
            "analyze: texts with nothing occupational give no confident occupation",
            f"{none['no_confident']} of {none['n']}",
            none["no_confident"] == none["n"],
            "",
        ),
        (
            "analyze: a job ad of 600+ characters read in < 1 s (embedded, a warm process)",
            f"median {a['seconds']['job_ads_600_plus_median']} s, slowest of them "
            f"{a['seconds'].get('job_ads_600_plus_max')} s (slowest text of any kind {a['seconds']['max']} s)",
            (a["seconds"].get("job_ads_600_plus_max") or a["seconds"]["max"]) < 1.0,
            "a process's first text also loads jieba's dictionary (about 1 s)",
        ),
        *(
            [
                (
                    "analyze: `zhiye analyze FILE --server URL` on those job ads in < 1 s (9 in 10)",
                    f"median {c['median']} s, p90 {c['p90']} s, max {c['max']} s ({c['n']} fresh processes)",
                    c["p90"] < 1.0,
                    "a fresh process: Python, typer and pydantic start in about 0.5 s of it",
                )
            ]
            if (c := a["seconds"].get("command_600_plus"))
            else []
        ),
    ]


def inferred_link_targets(
    links: dict | None,
    directions: dict | None,
    similar: dict | None,
    tasks: dict | None = None,
    gap: dict | None = None,
) -> list[tuple[str, str, bool | None, str]]:
    """Task → skill precision on its fresh sample, title directions' precision on the report half, and
    the calibration of occupation similarity."""
    rows = []
    if links:
        rep, rec = links["report"], links.get("recall") or {}
        rows.append(
            (
                "task → skill precision ≥ 0.90 (fresh sample of links made)",
                f"{rep['precision']} of {rep['still_made']} (recall {rec.get('recall')} on {rec.get('tasks')} tasks)",
                (rep["precision"] or 0) >= 0.90,
                "[skill_links.md](skill_links.md)",
            )
        )
    if directions:
        rep = directions["report"]
        rows.append(
            (
                "title directions shown: precision ≥ 0.9 (report half)",
                f"{rep['precision_shown']} of {rep['shown']} shown ({rep['recall_of_accepted']} of accepted shown)",
                (rep["precision_shown"] or 0) >= 0.9,
                "[directions_eval.md](directions_eval.md)",
            )
        )
    if tasks:
        rows.append(
            (
                "query → task hits: calibrated (report half)",
                f"ECE {tasks['ece']:.3f}; from 0.5 precision "
                f"{tasks['precision_at_partial']} over {tasks['n_at_partial']}, junk clean {tasks['junk_clean']}",
                None,
                "[search_tasks.md](search_tasks.md)",
            )
        )
    if gap:
        rows.append(
            (
                'skill gap "already done": calibrated (report half)',
                f"ECE {gap['ece']:.3f}; precision "
                f"{gap['calibrated']['precision']}, recall {gap['calibrated']['recall']} (the old cosine rule "
                f"{gap['old_rule']['precision']} / {gap['old_rule']['recall']})",
                None,
                "[gap_eval.md](gap_eval.md)",
            )
        )
    if similar and similar.get("calibration"):
        c = similar["calibration"]
        rows.append(
            (
                "similar occupations: calibrated (report half)",
                f"ECE {c['ece']:.3f}; from 0.5 precision {c['precision_at_partial']} over {c['n_at_partial']}",
                None,
                "[similar_eval.md](similar_eval.md)",
            )
        )
    return rows


def confidence_targets(c: dict | None, cur: dict | None = None) -> list[tuple[str, str, bool | None, str]]:
    """The calibration issue's bars: search on the reporting halves, curriculum leave-one-course-out."""
    rows = []
    if cur:
        rows += [
            (
                'course → task "covered": precision ≥ 0.85, recall ≥ 0.70',
                f"{cur['precision']:.3f} / {cur['recall']:.3f} (ECE {cur['ece']:.3f})",
                cur["precision"] >= 0.85 and cur["recall"] >= 0.70,
                "[curriculum_eval.md](curriculum_eval.md)",
            ),
            (
                "two unrelated courses cover none of 信息安全测试员's tasks",
                f"{cur['unrelated_map']['summary']}",
                cur["unrelated_map"]["unrelated"],
                "",
            ),
        ]
    else:
        rows.append(("curriculum coverage", "no curriculum_eval report", None, "run python -m bench.eval_curriculum"))
    if not c:
        return rows + [("search confidence", "no confidence report", None, "run python -m bench.eval_confidence")]
    return rows + [
        (
            "junk with no hit above threshold ≥ 95 %",
            f"{c['junk_clean']:.1%} of {c['junk_n']}",
            c["junk_clean"] >= 0.95,
            "[confidence.md](confidence.md)",
        ),
        (
            "right-first search answers kept above threshold ≥ 95 %",
            f"{c['in_domain_kept']:.1%} of {c['in_domain_right_first']} (ECE {c['ece']:.3f})",
            c["in_domain_kept"] >= 0.95,
            "",
        ),
    ]


def title_targets(
    t: dict | None, search: dict | None, t_base: dict | None = None, search_base: dict | None = None
) -> list[tuple[str, str, bool | None, str]]:
    """The titles issue: /code on the dev set's reporting half against its targets and the peer."""
    if not t:
        return [("job-title coding", "no titles_eval report", None, "run python -m bench.eval_titles")]
    code, peer = t["report_half"]["code"], t["report_half"]["peer"]
    rows = [
        (
            "/code top-1 ≥ 0.50 (dev, reporting half)",
            f"{code['top1']:.3f} (peer {peer['top1']:.3f})",
            code["top1"] >= 0.50,
            "",
        ),
        (
            "/code top-5 ≥ 0.78 (dev, reporting half)",
            f"{code['top5']:.3f} (peer {peer['top5']:.3f})",
            code["top5"] >= 0.78,
            "",
        ),
    ]
    for level, m in code["by_level"].items():
        p = peer["by_level"][level]
        rows.append(
            (
                f"/code above the peer: {level}",
                f"top-1 {m['top1']:.3f} vs {p['top1']:.3f}, top-5 {m['top5']:.3f} vs {p['top5']:.3f} (n {m['n']})",
                m["top1"] > p["top1"] and m["top5"] > p["top5"],
                "",
            )
        )
    if search:
        h = search["hybrid"]["MRR"]
        rows.append(("queries.csv hybrid MRR does not regress (0.792 before titles)", f"{h:.3f}", h >= 0.792, ""))
    if t_base and search_base:
        b, bp = t_base["report_half"]["code"], t_base["report_half"]["peer"]
        rows.append(
            (
                "the same with the base encoder (ZHIYE_ADAPT_ENCODER=false)",
                f"/code {b['top1']:.3f} / {b['top5']:.3f} (peer {bp['top1']:.3f} / {bp['top5']:.3f}); "
                f"hybrid MRR {search_base['hybrid']['MRR']:.3f}",
                None,
                "[titles_eval_base_model.md](titles_eval_base_model.md), "
                "[search_eval_base_model.md](search_eval_base_model.md)",
            )
        )
    return rows


def plot_latency(lat: dict, path: Path) -> None:
    from bench.reporting import pyplot

    plt = pyplot()

    backends = [b for b in ("embedded", "neo4j") if b in lat]
    cases = list(lat[backends[0]])
    fig, ax = plt.subplots(figsize=(11, 4.2))
    width = 0.8 / len(backends)
    for i, b in enumerate(backends):
        xs = [j + i * width for j in range(len(cases))]
        ax.bar(xs, [lat[b][c]["p50_ms"] for c in cases], width, label=f"{b} p50", color=f"C{i}")
        ax.errorbar(
            xs,
            [lat[b][c]["p50_ms"] for c in cases],
            yerr=[[0] * len(cases), [lat[b][c]["p95_ms"] - lat[b][c]["p50_ms"] for c in cases]],
            fmt="none",
            ecolor="black",
            lw=0.8,
            capsize=2,
        )
    enc = statistics.mean([lat["encoder_only"]["p50_ms"], lat["encoder_only_after"]["p50_ms"]])
    ax.axhline(enc, color="grey", ls="--", lw=1, label=f"encoder alone {enc:.0f} ms")
    ax.set_xticks([j + width * (len(backends) - 1) / 2 for j in range(len(cases))], cases, rotation=20, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("ms (bar p50, whisker p95)")
    ax.set_title("Warm query latency on the full graph, including query encoding")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_peer(peer: dict, path: Path) -> None:
    from bench.reporting import pyplot

    plt = pyplot()

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, v in peer["systems"].items():
        ax.scatter(
            v["latency_p50_ms"], v["MRR"], s=60 if name == "ours" else 30, color="C3" if name == "ours" else "C0"
        )
        ax.annotate(name, (v["latency_p50_ms"], v["MRR"]), fontsize=7, xytext=(4, 3), textcoords="offset points")
    ax.set_xlabel("p50 ms on Neo4j (incl. encoding)")
    ax.set_ylabel("MRR@10 (167 labelled queries)")
    ax.set_title("Ours against neo4j-graphrag retrievers")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(out: Path = REPORTS / "README.md") -> str:
    r = {
        name: _load(name)
        for name in (
            "latency",
            "api_latency",
            "build_cost",
            "scale",
            "peer",
            "search_eval",
            "search_eval_neo4j",
            "similar_eval",
            "skill_links",
            "directions_eval",
            "search_tasks",
            "gap_eval",
            "load",
            "titles_eval",
            "titles_eval_base_model",
            "search_eval_base_model",
            "confidence",
            "curriculum_eval",
            "analyze_eval",
            "heatmap",
        )
    }
    lines = [
        "# Benchmarks",
        "",
        f"Summarised from the reports below on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
        f"`python -m bench.summary` (the last step of `python -m bench.run`, `make bench`), {platform.machine()}, "
        f"{os.cpu_count()} CPUs; figures are medians, ratios measured side by side in one run. Each linked report "
        "says when and how it was made.",
        "",
        "## Targets",
        "",
        "| target | measured | | note |",
        "|---|---|---|---|",
    ]
    lines += [f"| {t} | {m} | {_mark(ok)} | {note} |" for t, m, ok, note in targets(r)]
    if r["latency"]:
        plot_latency(r["latency"], REPORTS / "latency.png")
        lines += ["", "## Latency per query type ([latency.md](latency.md))", "", "![latency](latency.png)"]
    if r["api_latency"]:
        from bench.api_latency import report as api_report

        lines += [
            "",
            "## API end to end against the store ([api_latency.md](api_latency.md))",
            "",
            api_report(r["api_latency"]),
        ]
    if r["build_cost"]:
        from bench.build_cost import report as build_report

        lines += ["", "## Build ([build_cost.md](build_cost.md))", "", build_report(r["build_cost"])]
    if r["scale"]:
        lines += ["", "## Scale ×1 / ×10 / ×100 ([scale.md](scale.md))", "", "![scale](scale.png)"]
    if r["peer"]:
        plot_peer(r["peer"], REPORTS / "peer.png")
        lines += ["", "## Peer: neo4j-graphrag ([peer.md](peer.md))", "", "![peer](peer.png)"]
    quality = []
    if r["search_eval"]:
        h = r["search_eval"]["hybrid"]
        quality.append(
            f"- search ([search_eval.md](search_eval.md)): hybrid R@1 {h['R@1']:.3f}, R@5 {h['R@5']:.3f}, "
            f"MRR {h['MRR']:.3f} on {h['n']} labelled queries"
        )
    if r["similar_eval"]:
        sim = r["similar_eval"]
        quality.append(
            f"- similar occupations: P@1 {sim['precision@1']:.2f}, P@3 {sim['precision@3']:.2f} over "
            f"{sim['pairs_judged']} judged pairs"
        )
    if r["load"]:
        quality += [
            f"- load ([load.md](load.md)), {v['clients']} clients × {v['duration_s']:g} s on {k}: {v['requests']} requests, "
            f"{v['errors']} errors, p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms"
            for k, v in r["load"].items()
        ]
    if quality:
        lines += ["", "## Quality and load", "", *quality]
    text = "\n".join(lines) + "\n"
    out.write_text(text)
    return text


if __name__ == "__main__":
    print(write())
