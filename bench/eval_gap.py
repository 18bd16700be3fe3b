"""The skill gap's "already done": what the chance that the source already does a target task means.

    python -m bench.eval_gap [--state-dir var] [--fit] [--out bench/reports/gap_eval]

Labelled data, written for this project: bench/eval/known_tasks.csv, 193 (target task, the source's
closest task) pairs from gaps between 120 random occupations and one of each one's five most similar,
drawn evenly across cosine bands (below 0.90, 0.90–0.93, 0.93–0.95, 0.95–0.97, 0.97 and above), shown to
the reviewer shuffled without the cosine: 1 when a person doing the source task already does the target
one. Split in halves by a hash of the (source, target) occupation pair. The model (graph/query/confidence.py KNOWN_FEATURES, logistic
regression) is fitted on the tune half; a task counts as already done from 0.5. Before it, the rule was
a raw cosine of 0.96 read off samples.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from bench.reporting import calibration_cli, fit_logistic, on_report_half, reliability_markdown, write_fit, write_report
from graph.query.confidence import KNOWN_FEATURES
from graph.query.scoring import TASK_KNOWN

LABELS = Path(__file__).parent / "eval" / "known_tasks.csv"
KIND = "task_known"
PARTIAL, STRONG = 0.5, 0.8


def labelled(store) -> list[dict]:
    """Each judgement with the cosine between its two tasks, as the gap computes it."""
    with LABELS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        a, b = store.row_of[r["source_task_id"]], store.row_of[r["target_task_id"]]
        r["features"] = {"cosine": float(store.vectors[a] @ store.vectors[b])}
        r["label"] = int(r["label"])
        pair = f"{r['source_code']}→{r['target_code']}"  # halves by occupation pair: a gap's tasks stay together
        r["split"] = "tune" if int(hashlib.sha256(pair.encode()).hexdigest(), 16) % 2 == 0 else "report"
    return rows


def _precision_recall(rows: list[dict], known) -> tuple[float | None, float | None]:
    called = [r["label"] for r in rows if known(r)]
    right = sum(r["label"] for r in rows)
    return (round(sum(called) / len(called), 3) if called else None, round(sum(called) / right, 3) if right else None)


def main(argv: list[str] | None = None) -> dict:
    args, store = calibration_cli(
        __doc__.splitlines()[0],
        "bench/reports/gap_eval",
        "fit on the tune half; write data/calibration/task_known*.json",
        argv,
    )
    if not hasattr(store, "row_of"):
        raise SystemExit("bench.eval_gap reads the embedded store's vectors; run it on the embedded backend")
    rows = labelled(store)
    tune = [r for r in rows if r["split"] == "tune"]
    report = [r for r in rows if r["split"] == "report"]
    if args.fit:
        write_fit(
            KIND,
            store.encoder.model_id,
            fit_logistic(tune, KNOWN_FEATURES),
            PARTIAL,
            STRONG,
            {"judgements": len(tune)},
            "the fitted share of (closest own task, target task) pairs a reviewer judged "
            "the same work: a target task counts as already done from 0.5",
        )
    model, probs, table, ece = on_report_half(
        KIND,
        store.encoder.model_id,
        report,
        args.out,
        "confidence (already done)",
        "share judged the same work",
        "Gap: target task already done (report half)",
        {"known": PARTIAL},
    )
    calibrated = _precision_recall(report, lambda r: model.probability(r["features"]) >= PARTIAL)
    old_rule = _precision_recall(report, lambda r: r["features"]["cosine"] >= TASK_KNOWN)
    cut = next((c / 1000 for c in range(800, 1001) if model.probability({"cosine": c / 1000}) >= PARTIAL), None)
    result = {
        "encoder": store.encoder.model_id,
        "model": model.name,
        "tune": len(tune),
        "report": len(report),
        "report_same_work": sum(r["label"] for r in report),
        "ece": ece,
        "reliability": table,
        "calibrated": {"precision": calibrated[0], "recall": calibrated[1], "cosine_at_0.5": cut},
        "old_rule": {"precision": old_rule[0], "recall": old_rule[1], "cosine": TASK_KNOWN},
        "plot": f"{args.out.name}_reliability.png",
    }
    markdown = "\n".join(
        [
            f"Encoder `{result['encoder']}`, model `{result['model']}` (fitted on {result['tune']} judgements). On the "
            f"{result['report']} report judgements ({result['report_same_work']} the same work):",
            "",
            f'- "already done" from 0.5 (a cosine of {cut}): precision **{calibrated[0]}**, recall {calibrated[1]}; the old '
            f"rule (cosine ≥ {TASK_KNOWN}): precision {old_rule[0]}, recall {old_rule[1]}.",
            f"- ECE {ece:.3f}. Plot: {result['plot']}.",
            "",
            *reliability_markdown(table, "share judged the same work"),
        ]
    )
    write_report(args.out, result, "Skill gap: tasks already done", markdown + "\n")
    return result


if __name__ == "__main__":
    main()
