"""`make bench`: every report in bench/reports/ from one run, then bench/reports/README.md with
each target met or not and the plots.

    python -m bench.run [--no-neo4j] [--factors 1,10,100] [--skip build_cost,scale,...]

Steps, in order (each writes its own report): search_eval, titles_eval (job-title coding on the
dev titles' reporting half, beside search and the peer; the everyday-title set), confidence_eval
(calibrated search confidence: reliability, junk rejected, right answers kept), search_tasks_eval (the
same for task hits), curriculum_eval
(calibrated course → task coverage), base_model (the evaluations again with the base encoder instead of the adapted one, on a build of its own), similar_eval (and its calibration), skill_links (task → skill precision and recall), directions_eval (occupation → title direction), gap_eval (the gap's "already done"), analyze_eval (free texts →
occupations and their evidence), latency
(both backends and the encoder alone), api_latency, peer (neo4j-graphrag on the same Neo4j),
build_cost (encoder alone, cold and warm build), scale (×1/×10/×100 on both backends; the longest
step, about an hour at ×100), load (50 clients × 60 s per backend), then the summary.
"""

from __future__ import annotations

import argparse
import sys
import time

STEPS = (
    "search_eval",
    "titles_eval",
    "confidence_eval",
    "search_tasks_eval",
    "curriculum_eval",
    "base_model",
    "similar_eval",
    "skill_links",
    "directions_eval",
    "gap_eval",
    "analyze_eval",
    "heatmap",
    "latency",
    "api_latency",
    "peer",
    "build_cost",
    "scale",
    "load",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--no-neo4j", action="store_true", help="embedded backend only (skips peer, Neo4j latency and scale)"
    )
    ap.add_argument("--factors", default="1,10,100", help="scale sizes")
    ap.add_argument("--skip", default="", help=f"comma-separated steps to leave out: {', '.join(STEPS)}")
    args = ap.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    if unknown := skip - set(STEPS):
        ap.error(f"unknown steps: {', '.join(sorted(unknown))}")
    from bench import (
        api_latency,
        build_cost,
        eval_analyze,
        eval_confidence,
        eval_curriculum,
        eval_directions,
        eval_gap,
        eval_search,
        eval_search_tasks,
        eval_similar,
        eval_skill_links,
        eval_titles,
        heatmap,
        latency,
        load,
        peer,
        scale,
        summary,
    )

    neo4j = not args.no_neo4j
    plan = {
        "search_eval": lambda: _argv(eval_search.main, []),
        "titles_eval": lambda: eval_titles.main([]),
        "confidence_eval": lambda: eval_confidence.main([]),
        "search_tasks_eval": lambda: eval_search_tasks.main([]),
        "curriculum_eval": lambda: eval_curriculum.main([]),
        "base_model": lambda: base_model(eval_search, eval_titles, eval_confidence, eval_curriculum),
        "similar_eval": lambda: _argv(eval_similar.main, []),
        "skill_links": lambda: _argv(eval_skill_links.main, []),
        "directions_eval": lambda: eval_directions.main([]),
        "gap_eval": lambda: eval_gap.main([]),
        "analyze_eval": lambda: eval_analyze.main([]),
        "heatmap": lambda: heatmap.main([] if neo4j else ["--no-neo4j"]),
        "latency": lambda: _argv(latency.main, [] if neo4j else ["--no-neo4j"]),
        "api_latency": lambda: api_latency.main([]),
        "peer": (lambda: _argv(peer.main, [])) if neo4j else None,
        "build_cost": lambda: build_cost.main([]),
        "scale": lambda: scale.main(["--factors", args.factors] + ([] if neo4j else ["--backends", "embedded"])),
        "load": lambda: [load.main(["--backend", b]) for b in (("embedded", "neo4j") if neo4j else ("embedded",))],
    }
    for step in STEPS:
        if step in skip or plan[step] is None:
            continue
        t = time.perf_counter()
        print(f"==> {step}", flush=True)
        plan[step]()
        print(f"<== {step}: {time.perf_counter() - t:.0f} s", flush=True)
    print(summary.write())


def base_model(eval_search, eval_titles, eval_confidence, eval_curriculum) -> None:
    """search_eval, titles_eval, confidence_eval and curriculum_eval with the base encoder (ZHIYE_ADAPT_ENCODER=false), on a graph built
    with it in var/bench-base-model (its embeddings are cached after the first run)."""
    import os
    from pathlib import Path

    from api.wiring import build
    from graph.settings import Settings

    saved = {k: os.environ.get(k) for k in ("ZHIYE_ADAPT_ENCODER", "ZHIYE_STATE_DIR")}
    os.environ.update(ZHIYE_ADAPT_ENCODER="false", ZHIYE_STATE_DIR=str(Path("var/bench-base-model").resolve()))
    try:
        settings = Settings()
        build(settings, settings.external_csv())
        _argv(eval_search.main, ["--out", "bench/reports/search_eval_base_model"])
        eval_titles.main(["--out", "bench/reports/titles_eval_base_model"])
        eval_confidence.main(["--out", "bench/reports/confidence_base_model"])
        eval_curriculum.main(["--out", "bench/reports/curriculum_eval_base_model"])
        from bench import eval_analyze, eval_directions, eval_gap, eval_search_tasks, eval_similar, eval_skill_links

        eval_search_tasks.main(["--out", "bench/reports/search_tasks_base_model"])
        eval_gap.main(["--out", "bench/reports/gap_eval_base_model"])
        _argv(eval_similar.main, ["--out", "bench/reports/similar_eval_base_model"])
        eval_skill_links.main(["--out", "bench/reports/skill_links_base_model"])
        eval_directions.main(["--out", "bench/reports/directions_eval_base_model"])
        eval_analyze.main(["--out", "bench/reports/analyze_eval_base_model"])
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def _argv(fn, argv: list[str]) -> None:
    """Run an argparse main() that reads sys.argv."""
    saved = sys.argv
    sys.argv = [fn.__module__, *argv]
    try:
        fn()
    finally:
        sys.argv = saved


if __name__ == "__main__":
    main()
