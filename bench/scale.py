"""The same queries on the graph grown ×1, ×10 and ×100 (bench/synthetic.py), on both backends:
load time, memory, and p50/p95 per query type; the growth curve plotted.

    python -m bench.scale [--factors 1,10,100] [--backends embedded,neo4j] [--repeat 15]

Each (size, backend) is measured in its own process, so peak memory belongs to that size alone.
Neo4j runs as a separate server under <cache_dir>/scale/neo4j (heap and page cache from
--neo4j-heap / --neo4j-pagecache), its data wiped before each size. Synthetic generations are kept
under <cache_dir>/scale/x<N> and reused while they were made from the current generation.
Writes bench/reports/scale.{json,md,png}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "bench" / "reports"
# the hybrid search cases and two indexed lookups, as the targets name them
SLOW_MS, SLOW_REPEAT = 5000, 3
WARMUP = 10
GROWTH_CASES = ("search", "search_occupations", "profile", "title_directions", "similar_occupations")


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(generation: Path, backend: str, repeat: int, heap: str, pagecache: str) -> dict:
    """One size on one backend, in this process."""
    from api.wiring import load_encoder
    from bench.latency import cases
    from bench.latency import measure as time_case
    from graph.settings import Settings

    settings = Settings()
    encoder = load_encoder(settings)
    encoder.encode_queries(["预热"])
    earlier: dict = {}
    out: dict = {"backend": backend, "generation": generation.name, "rss_before_store_mb": round(_rss_mb())}
    meta = json.loads((generation / "meta.json").read_text())
    out["nodes"] = sum(meta["stats"]["nodes"].values())
    out["relationships"] = sum(meta["stats"]["relationships"].values())
    server = None
    try:
        t = time.perf_counter()
        if backend == "embedded":
            from graph.embedded.store import EmbeddedStore

            store = EmbeddedStore(generation, lambda: encoder)
        else:
            from bench.private_neo4j import private_settings
            from graph.neo4j import server as neo4j_server
            from graph.neo4j.load import load_generation
            from graph.neo4j.store import Neo4jStore

            scale = private_settings(settings, "scale", heap, pagecache)
            marker = scale.neo4j_home / "loaded.json"
            earlier = json.loads(marker.read_text()) if marker.is_file() else {}
            if earlier.get("generation") != generation.name:  # a fresh store per size, so its size on disk is its own
                neo4j_server.stop(scale)
                marker.unlink(missing_ok=True)
                shutil.rmtree(scale.neo4j_home / "data", ignore_errors=True)
            server = neo4j_server.shared_server(scale)
            conn = server.__enter__()
            driver = conn.driver()
            t = time.perf_counter()  # the load, not the server's start
            if earlier.get("generation") != generation.name:
                load_generation(driver, generation, log=lambda m: None)
                earlier = {
                    "generation": generation.name,
                    "load_s": round(time.perf_counter() - t, 1),
                    "loaded_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                }
                marker.write_text(json.dumps(earlier))
            store = Neo4jStore(driver, lambda: encoder, timeout_s=300)
            out["loaded_at"] = earlier["loaded_at"]
        out["load_s"] = earlier["load_s"] if backend == "neo4j" else round(time.perf_counter() - t, 1)
        for case, fn in cases(store).items():  # first calls build lazy indexes; timed apart
            t = time.perf_counter()
            fn(0)
            out.setdefault("first_call_ms", {})[case] = round(1000 * (time.perf_counter() - t), 1)
        for case, fn in cases(store).items():  # Neo4j's JIT needs more than one call after a fresh load
            if out["first_call_ms"][case] < SLOW_MS:
                for i in range(WARMUP):
                    fn(i)
        # a query slower than SLOW_MS on its first call gets SLOW_REPEAT runs (its p95 is then a maximum)
        out["latency"] = {
            case: time_case(fn, SLOW_REPEAT if out["first_call_ms"][case] > SLOW_MS else repeat)
            for case, fn in cases(store).items()
        }
        out["encoder_only"] = time_case(lambda i: encoder.encode_queries([f"查询 {i}"]), repeat)
        out["rss_mb"] = round(_rss_mb())
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if server is not None:
            st = neo4j_server.status(scale)
            out["neo4j_rss_mb"] = st["rss_mb"] and round(st["rss_mb"])
            out["neo4j_store_mb"] = round(
                sum(p.stat().st_size for p in (scale.neo4j_home / "data").rglob("*") if p.is_file()) / 2**20
            )
            out["neo4j_heap"], out["neo4j_pagecache"] = heap, pagecache
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    return out


def synthetic_generation(source: Path, factor: int, root: Path, log=print) -> Path:
    from bench.synthetic import synthesize

    out_dir = root / f"x{factor}"
    current = out_dir / "current"
    if current.exists():
        meta = json.loads((current.resolve() / "meta.json").read_text())
        if meta.get("synthetic", {}).get("from") == source.name:
            return current.resolve()
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    return synthesize(source, factor, out_dir, log=log)


def report(results: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    backends = sorted({r["backend"] for r in results})
    lines = [
        "# Scale: the same queries on the graph ×1, ×10, ×100",
        "",
        "`python -m bench.scale` (bench/synthetic.py grows the graph; vectors perturbed from real ones, "
        "so nothing is encoded). Warm p50 / p95 in ms including query encoding; each size and backend "
        "measured in its own process, one after another in one run.",
        "",
        "| size | backend | nodes | relationships | load s | process RSS MB (peak) | Neo4j RSS / store MB | "
        + " | ".join(GROWTH_CASES)
        + " | encoder |",
        "|---" * (7 + len(GROWTH_CASES) + 1) + "|",
    ]
    for r in results:
        neo = f"{r.get('neo4j_rss_mb')} / {r.get('neo4j_store_mb')}" if r["backend"] == "neo4j" else "–"
        cells = [f"{r['latency'][c]['p50_ms']:.1f} / {r['latency'][c]['p95_ms']:.1f}" for c in GROWTH_CASES]
        lines.append(
            f"| ×{r['factor']} | {r['backend']} | {r['nodes']:,} | {r['relationships']:,} | {r['load_s']} | "
            f"{r['rss_mb']:,} ({r['peak_rss_mb']:,}) | {neo} | "
            + " | ".join(cells)
            + f" | {r['encoder_only']['p50_ms']:.1f} |"
        )
    stamps = sorted({r.get("measured_at", "") for r in results})
    if len(stamps) > 1:
        lines += [
            "",
            "Rows were measured at different times (a size or backend re-measured after a change): "
            + "; ".join(f"×{r['factor']} {r['backend']} {r.get('measured_at') or 'first run'}" for r in results)
            + ".",
        ]
    lines += [
        "",
        "Other query types, p50 ms:",
        "",
        "| size | backend | " + " | ".join(c for c in results[0]["latency"] if c not in GROWTH_CASES) + " |",
        "|---|---|" + "---|" * (len(results[0]["latency"]) - len(GROWTH_CASES)),
    ]
    for r in results:
        lines.append(
            f"| ×{r['factor']} | {r['backend']} | "
            + " | ".join(f"{v['p50_ms']:.1f}" for c, v in r["latency"].items() if c not in GROWTH_CASES)
            + " |"
        )
    lines += [
        "",
        "Growth from the smallest to the largest size (p50 ratio; the graph grows "
        f"{_growth(results, backends[0], 'nodes'):.0f}×):",
        "",
    ]
    for b in backends:
        ratios = ", ".join(f"{c} {_growth(results, b, c):.1f}×" for c in GROWTH_CASES)
        lines.append(f"- {b}: {ratios}")
    lines += ["", f"![growth]({out.with_suffix('.png').name})"]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    plot(results, out.with_suffix(".png"))


def _growth(results: list[dict], backend: str, what: str) -> float:
    rows = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["factor"])
    if len(rows) < 2:
        return float("nan")
    if what == "nodes":
        return rows[-1]["nodes"] / rows[0]["nodes"]
    return rows[-1]["latency"][what]["p50_ms"] / max(rows[0]["latency"][what]["p50_ms"], 0.01)


def plot(results: list[dict], path: Path) -> None:
    from bench.reporting import pyplot

    plt = pyplot()

    fig, (ax, mem) = plt.subplots(1, 2, figsize=(12, 4.5))
    styles = {"embedded": "-", "neo4j": "--"}
    for backend in sorted({r["backend"] for r in results}):
        rows = sorted((r for r in results if r["backend"] == backend), key=lambda r: r["factor"])
        xs = [r["nodes"] for r in rows]
        for i, case in enumerate(GROWTH_CASES):
            ax.plot(
                xs,
                [r["latency"][case]["p50_ms"] for r in rows],
                styles[backend],
                marker="o",
                color=f"C{i}",
                label=f"{case} ({backend})",
            )
        mem.plot(
            xs,
            [r["peak_rss_mb"] for r in rows],
            styles[backend],
            marker="o",
            color="C0",
            label=f"process peak ({backend})",
        )
        if backend == "neo4j":
            mem.plot(
                xs,
                [r.get("neo4j_rss_mb") or 0 for r in rows],
                styles[backend],
                marker="s",
                color="C1",
                label="Neo4j server RSS",
            )
            mem.plot(
                xs,
                [r.get("neo4j_store_mb") or 0 for r in rows],
                styles[backend],
                marker="^",
                color="C2",
                label="Neo4j store on disk",
            )
    enc = [r["encoder_only"]["p50_ms"] for r in results]
    ax.axhline(sorted(enc)[len(enc) // 2], color="grey", lw=0.8, label="encoder alone (median)")
    for a, title, unit in ((ax, "p50 latency (warm, incl. encoding)", "ms"), (mem, "memory", "MB")):
        a.set_xscale("log")
        a.set_yscale("log")
        a.set_xlabel("graph nodes")
        a.set_ylabel(unit)
        a.set_title(title)
        a.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6, ncol=2)
    mem.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factors", default="1,10,100")
    ap.add_argument("--backends", default="embedded,neo4j")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--neo4j-heap", default="4g")
    ap.add_argument("--neo4j-pagecache", default="6g")
    ap.add_argument("--out", type=Path, default=REPORTS / "scale")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the per-size child process
    ap.add_argument("--backend", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        print(
            "RESULT "
            + json.dumps(measure(args.measure, args.backend, args.repeat, args.neo4j_heap, args.neo4j_pagecache))
        )
        return []

    from graph.build.generations import current_generation
    from graph.settings import Settings

    settings = Settings()
    source = current_generation(settings.state_dir)
    # sizes and backends not measured now keep their rows from the last run (re-measure one at a time)
    earlier = args.out.with_suffix(".json")
    results = json.loads(earlier.read_text()) if earlier.is_file() else []
    for factor in [int(f) for f in args.factors.split(",")]:
        t = time.perf_counter()
        generation = synthetic_generation(source, factor, settings.cache_dir / "scale")
        made_s = round(time.perf_counter() - t, 1)
        for backend in args.backends.split(","):
            print(f"==> ×{factor} on {backend}", flush=True)
            child = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.scale",
                    "--measure",
                    str(generation),
                    "--backend",
                    backend,
                    "--repeat",
                    str(args.repeat),
                    "--neo4j-heap",
                    args.neo4j_heap,
                    "--neo4j-pagecache",
                    args.neo4j_pagecache,
                ],
                cwd=ROOT,
                env={**os.environ, "HF_HUB_OFFLINE": "1"},
                stdout=subprocess.PIPE,
                text=True,
            )
            line = next((text for text in child.stdout.splitlines() if text.startswith("RESULT ")), None)
            if child.returncode != 0 or line is None:
                raise SystemExit(f"measuring ×{factor} on {backend} failed (exit {child.returncode})")
            results = [r for r in results if (r["factor"], r["backend"]) != (factor, backend)]
            results.append(
                {
                    "factor": factor,
                    "synthesize_s": made_s,
                    "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    **json.loads(line[7:]),
                }
            )
            results.sort(key=lambda r: (r["factor"], r["backend"]))
            report(results, args.out)  # after every size, so a long run leaves what it measured
    print(args.out.with_suffix(".md").read_text())
    return results


if __name__ == "__main__":
    main()
