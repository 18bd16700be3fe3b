"""Search quality on the labelled set: R@1, R@5 and MRR for vector-only, lexical-only and hybrid.

python -m bench.eval_search [--state-dir var] [--out bench/reports/search_eval]
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

MODES = {
    "vector": ("vector",),
    "lexical": ("lexical",),
    "hybrid_without_titles": ("vector", "lexical", "name"),
    "hybrid": ("vector", "lexical", "name", "title"),
}
QUERIES = Path(__file__).parent / "eval" / "queries.csv"


def load_queries(path: Path = QUERIES) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def evaluate(store, queries: list[dict], modes: dict = MODES) -> dict:
    """Per mode (all by default; bench/floors.py asks for hybrid only): R@1, R@5, MRR overall and by
    query kind and language; latency medians."""
    per_mode: dict[str, dict] = {}
    for mode, channels in modes.items():
        ranks, times, rows = [], [], []
        for q in queries:
            expected = {f"occ:{c}" for c in q["expected_codes"].split("|")}
            t = time.perf_counter()
            ranked = store.occupation_ranking(q["query"], channels, k=50)
            times.append(time.perf_counter() - t)
            rank = next((i for i, o in enumerate(ranked, 1) if o in expected), None)
            ranks.append(rank)
            rows.append({"id": q["id"], "kind": q["kind"], "lang": q["lang"], "rank": rank, "top": ranked[:3]})
        per_mode[mode] = {
            **_metrics(ranks),
            "by_kind": _grouped(rows, "kind"),
            "by_lang": _grouped(rows, "lang"),
            "latency_p50_ms": round(1000 * float(np.median(times)), 2),
            "rows": rows,
        }
    return per_mode


def _metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    return {
        "n": n,
        "R@1": round(sum(1 for r in ranks if r == 1) / n, 4),
        "R@5": round(sum(1 for r in ranks if r and r <= 5) / n, 4),
        "MRR": round(sum(1 / r for r in ranks if r) / n, 4),
    }


def _grouped(rows: list[dict], key: str) -> dict:
    groups = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r["rank"])
    return {k: _metrics(v) for k, v in sorted(groups.items())}


def report(results: dict) -> str:
    lines = ["| mode | n | R@1 | R@5 | MRR | p50 ms |", "|---|---|---|---|---|---|"]
    for mode, m in results.items():
        lines.append(
            f"| {mode} | {m['n']} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['MRR']:.3f} | {m['latency_p50_ms']} |"
        )
    lines += [
        "",
        "By query kind (MRR: vector / lexical / hybrid without and with the title channel):",
        "",
        "| kind | n | vector | lexical | hybrid w/o titles | hybrid |",
        "|---|---|---|---|---|---|",
    ]
    for kind in results["hybrid"]["by_kind"]:
        v, lex, h0, h = (results[m]["by_kind"][kind] for m in ("vector", "lexical", "hybrid_without_titles", "hybrid"))
        lines.append(f"| {kind} | {h['n']} | {v['MRR']:.3f} | {lex['MRR']:.3f} | {h0['MRR']:.3f} | {h['MRR']:.3f} |")
    lines += ["", "| lang | n | vector | lexical | hybrid w/o titles | hybrid |", "|---|---|---|---|---|---|"]
    for lang in results["hybrid"]["by_lang"]:
        v, lex, h0, h = (results[m]["by_lang"][lang] for m in ("vector", "lexical", "hybrid_without_titles", "hybrid"))
        lines.append(f"| {lang} | {h['n']} | {v['MRR']:.3f} | {lex['MRR']:.3f} | {h0['MRR']:.3f} | {h['MRR']:.3f} |")
    misses = [r for r in results["hybrid"]["rows"] if not r["rank"] or r["rank"] > 5]
    lines += ["", f"Hybrid misses outside the top 5 ({len(misses)}):", ""]
    lines += [f"- {r['id']} ({r['kind']}, {r['lang']}): rank {r['rank']}, top {', '.join(r['top'])}" for r in misses]
    return "\n".join(lines) + "\n"


def main() -> None:
    from api.wiring import open_store
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/reports/search_eval"))
    args = ap.parse_args()
    settings = Settings(**({"state_dir": args.state_dir} if args.state_dir else {}))
    store = open_store(settings)
    _ = store.encoder  # load before timing
    results = evaluate(store, load_queries())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    text = (
        "# Search evaluation\n\n"
        + f"Set: bench/eval/queries.csv ({len(load_queries())} queries), backend {store.backend}, "
        f"generation {store.stats().meta['generation']}.\n\n" + report(results)
    )
    args.out.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
