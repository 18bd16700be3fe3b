"""Similar occupations: what a pair's score means, and the precision of the lists.

    python -m bench.eval_similar [--state-dir var] [--fit]

- Calibration: bench/eval/similar_calibration.csv, 200 pairs (50 random occupations, each with its
  similar occupations at ranks 1, 3, 8 and 20 of the list before calibration), judged by a reviewer who
  read both definitions (and tasks where needed), shuffled and without ranks; split by occupation into
  tune and report halves. The model (graph/query/confidence.py SIMILAR_FEATURES, logistic regression) is
  fitted on the tuning half only; reported on the other half.
- Lists (ranked by that model): precision of the top 1 and top 3 against bench/eval/similar_judgements.csv
  (60 pairs of 20 occupations, never fitted on). Pairs the engine now returns that were never judged are
  listed and counted beside the precision, not in it.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

JUDGEMENTS = Path(__file__).parent / "eval" / "similar_judgements.csv"
CALIBRATION = Path(__file__).parent / "eval" / "similar_calibration.csv"
KIND = "occupation_similar"
PARTIAL, STRONG = 0.5, 0.8  # similar more likely than not; similar four times in five


def labelled_pairs() -> list[dict]:
    """(occupation, other, label, split) of the calibration set."""
    with CALIBRATION.open(encoding="utf-8") as fh:
        return [
            {"a": r["occupation_code"], "b": r["other_code"], "label": int(r["label"]), "split": r["split"]}
            for r in csv.DictReader(fh)
        ]


def calibrate(store, out: Path, fit: bool) -> dict:
    from bench.reporting import fit_logistic, on_report_half, write_fit
    from graph.query.confidence import SIMILAR_FEATURES

    rows = labelled_pairs()
    for r in rows:
        parts = store._pair(store.occupation_id(r["a"]), store.occupation_id(r["b"])).score_parts
        r["features"] = {f: parts[f] for f in SIMILAR_FEATURES}
    tune = [r for r in rows if r["split"] == "tune"]
    report = [r for r in rows if r["split"] == "report"]
    fitted = fit_logistic(tune, SIMILAR_FEATURES) if fit else None
    if fit:
        write_fit(
            KIND,
            store.encoder.model_id,
            fitted,
            PARTIAL,
            STRONG,
            {"pairs": len(tune)},
            "an occupation → occupation score is the fitted share of such pairs a reviewer judged similar (work "
            "that overlaps enough for a move with modest retraining); strong from 0.8, partial from 0.5",
        )
    model, probs, table, ece = on_report_half(
        KIND,
        store.encoder.model_id,
        report,
        out,
        "confidence (pair is similar)",
        "share judged similar",
        "Occupation → occupation (report half)",
        {"partial": PARTIAL, "strong": STRONG},
    )
    kept = [r["label"] for r, p in zip(report, probs, strict=False) if p >= PARTIAL]
    strong = [r["label"] for r, p in zip(report, probs, strict=False) if p >= STRONG]
    return {
        "model": model.name,
        "tune_pairs": len(tune),
        "report_pairs": len(report),
        "report_similar": sum(r["label"] for r in report),
        "ece": ece,
        "reliability": table,
        "precision_at_partial": round(sum(kept) / len(kept), 3) if kept else None,
        "n_at_partial": len(kept),
        "precision_at_strong": round(sum(strong) / len(strong), 3) if strong else None,
        "n_at_strong": len(strong),
        "recall_at_partial": round(sum(kept) / max(1, sum(r["label"] for r in report)), 3),
        "plot": f"{out.name}_reliability.png",
    }


def evaluate(store, path: Path = JUDGEMENTS, k: int = 3) -> dict:
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            judged[row["occupation"]][row["similar_code"]] = int(row["judgement"])
    at1, atk, unjudged = [], [], []
    for occ, labels in judged.items():
        results = store.similar_occupations(occ, k)
        for rank, r in enumerate(results, 1):
            if r.code not in labels:
                unjudged.append(f"{occ} → {r.name_zh} ({r.code})")
                continue
            atk.append(labels[r.code])
            if rank == 1:
                at1.append(labels[r.code])
    return {
        "occupations": len(judged),
        "pairs_judged": sum(len(v) for v in judged.values()),
        "precision@1": round(sum(at1) / len(at1), 3) if at1 else None,
        f"precision@{k}": round(sum(atk) / len(atk), 3) if atk else None,
        "unjudged": unjudged,
    }


def main() -> None:
    from api.wiring import open_store
    from bench.reporting import reliability_markdown, same_encoder, write_report
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument(
        "--fit", action="store_true", help="fit on the tuning pairs; write data/calibration/occupation_similar*.json"
    )
    ap.add_argument("--out", type=Path, default=Path("bench/reports/similar_eval"))
    args = ap.parse_args()
    settings = Settings(**({"state_dir": args.state_dir} if args.state_dir else {}))
    store = open_store(settings)
    same_encoder(store, settings)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    calibration = calibrate(store, args.out, args.fit)  # first: the lists are ranked by the fitted model
    result = {**evaluate(store), "calibration": calibration}
    c = result["calibration"]
    markdown = "\n".join(
        [
            f"Top-1 precision {result['precision@1']}, top-3 {result['precision@3']} on {result['pairs_judged']} judged pairs "
            f"of {result['occupations']} occupations ({len(result['unjudged'])} returned pairs never judged, not counted).",
            "",
            f"Calibration (model `{c['model']}`, fitted on {c['tune_pairs']} pairs), on the {c['report_pairs']} report pairs "
            f"({c['report_similar']} judged similar): from 0.5 (shown as partial or strong) precision **{c['precision_at_partial']}** "
            f"over {c['n_at_partial']} pairs, recall {c['recall_at_partial']}; from 0.8 (strong) {c['precision_at_strong']} over "
            f"{c['n_at_strong']}. ECE {c['ece']:.3f}. Plot: {c['plot']}.",
            "",
            *reliability_markdown(c["reliability"], "share judged similar"),
        ]
    )
    write_report(args.out, result, "Similar occupations", markdown + "\n")


if __name__ == "__main__":
    main()
