"""Query → task: what a task hit's confidence means.

    python -m bench.eval_search_tasks [--state-dir var] [--fit] [--out bench/reports/search_tasks]

Labelled data, written for this project: bench/eval/query_tasks.csv, 390 judgements of the top three
task hits of 130 queries (100 drawn from bench/eval/queries.csv across its kinds, 30 from the junk set),
shown to the reviewer shuffled and without rank or score: 1 when a user who typed the query would count
the task a good answer. Split by query into tune and report halves (a hash of the query id, like the
other sets). The model (graph/query/confidence.py TASK_FEATURES, logistic regression) is fitted on the tune
half; a hit is strong from 0.8, partial from 0.5, weak below. Reported on the other half: reliability,
the share of right hits kept at partial or above, and the share of junk queries with no task hit there.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from bench.reporting import calibration_cli, fit_logistic, on_report_half, reliability_markdown, write_fit, write_report
from graph.query.confidence import TASK_FEATURES, task_hit_features

LABELS = Path(__file__).parent / "eval" / "query_tasks.csv"
KIND = "search_task"
PARTIAL, STRONG = 0.5, 0.8


def split_of(query_id: str) -> str:
    return "tune" if int(hashlib.sha256(query_id.encode()).hexdigest(), 16) % 2 == 0 else "report"


def observe(store) -> list[dict]:
    """Each judgement with the model's inputs for its hit (the query searched again, tasks only)."""
    with LABELS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_query: dict[str, list[dict]] = {}
    for r in rows:
        by_query.setdefault(r["query_id"], []).append(r)
    out = []
    for qid, judged in by_query.items():
        query = judged[0]["query"]
        hits = store.search(query, ["Task"], 10).results
        best = max((h.score for h in hits), default=0.0)
        parts = {h.id: (h.score_parts, h.score) for h in hits}
        for r in judged:
            if r["task_id"] not in parts:
                continue  # the build no longer returns it in the top 10: its judgement says nothing now
            p, score = parts[r["task_id"]]
            out.append(
                {
                    **r,
                    "label": int(r["label"]),
                    "split": split_of(qid),
                    "junk": qid.startswith("j"),
                    "features": task_hit_features(p, query, best, score),
                }
            )
    return out


def main(argv: list[str] | None = None) -> dict:
    args, store = calibration_cli(
        __doc__.splitlines()[0],
        "bench/reports/search_tasks",
        "fit on the tune half; write data/calibration/search_task*.json",
        argv,
    )
    rows = observe(store)
    tune = [r for r in rows if r["split"] == "tune"]
    report = [r for r in rows if r["split"] == "report"]
    if args.fit:
        write_fit(
            KIND,
            store.encoder.model_id,
            fit_logistic(tune, TASK_FEATURES),
            PARTIAL,
            STRONG,
            {"judgements": len(tune)},
            "a task hit's confidence is the fitted share of such hits a reviewer judged "
            "a good answer to the query; strong from 0.8, partial from 0.5, weak below",
        )
    model, probs, table, ece = on_report_half(
        KIND,
        store.encoder.model_id,
        report,
        args.out,
        "confidence (task answers the query)",
        "share judged right",
        "Query → task (report half)",
        {"partial": PARTIAL, "strong": STRONG},
    )
    right = [p for p, r in zip(probs, report, strict=False) if r["label"]]
    kept = [r["label"] for p, r in zip(probs, report, strict=False) if p >= PARTIAL]
    junk = {r["query_id"] for r in report if r["junk"]}
    junk_clean = [
        q for q in junk if all(p < PARTIAL for p, r in zip(probs, report, strict=False) if r["query_id"] == q)
    ]
    result = {
        "backend": store.backend,
        "encoder": store.encoder.model_id,
        "model": model.name,
        "tune": len(tune),
        "report": len(report),
        "report_right": len(right),
        "ece": ece,
        "reliability": table,
        "right_kept": round(sum(p >= PARTIAL for p in right) / len(right), 3) if right else None,
        "precision_at_partial": round(sum(kept) / len(kept), 3) if kept else None,
        "n_at_partial": len(kept),
        "junk_queries": len(junk),
        "junk_clean": round(len(junk_clean) / len(junk), 3) if junk else None,
        "plot": f"{args.out.name}_reliability.png",
    }
    markdown = "\n".join(
        [
            f"Backend {result['backend']}, encoder `{result['encoder']}`, model `{result['model']}` (fitted on {result['tune']} "
            f"judgements). On the {result['report']} report judgements ({result['report_right']} right):",
            "",
            f"- hits at partial or above (≥ {PARTIAL}): precision **{result['precision_at_partial']}** over {result['n_at_partial']}; "
            f"{result['right_kept']} of the right hits are kept there.",
            f"- junk queries with no task hit at partial or above: {result['junk_clean']} of {result['junk_queries']}.",
            f"- ECE {ece:.3f}. Plot: {result['plot']}.",
            "",
            *reliability_markdown(table, "share judged right"),
        ]
    )
    write_report(args.out, result, "Query → task confidence", markdown + "\n")
    return result


if __name__ == "__main__":
    main()
