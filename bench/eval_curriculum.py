"""Calibrated course → task coverage: fit it, and report what "covered" means.

    python -m bench.eval_curriculum [--state-dir var] [--fit] [--out bench/reports/curriculum_eval]

Labelled data, written for this project: bench/eval/courses.csv (22 courses, Chinese and English, in
security, cooking, electrical work, AI, elderly care, nursing, law, accounting, photography, child
psychology and floristry) and bench/eval/course_tasks.csv (300 judgements: each course against every
Chinese task of one or two target occupations, "covered" when the course teaches what the task needs,
"partial" when it touches it, "none" otherwise; the task is named by occupation code and its order, so
the classification's text is not copied here).

The model (graph/query/confidence.py COURSE_FEATURES, scikit-learn's logistic regression) gives the chance
a person labelled the pair covered. Covered from 0.5; partial from the threshold that best separates
covered-or-partial from none (F1). With 22 courses a split in halves would leave too little, so every
figure is leave-one-course-out: each course is scored by a model fitted without it; `--fit` then fits
on all of them. Reported: precision and recall of "covered" (the issue's bars: ≥ 0.85 and ≥ 0.70),
reliability, and the two unrelated courses (cooking, floristry) against 信息安全测试员.
"""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.reporting import calibration_cli, plot_reliability, reliability, reliability_markdown, write_report
from graph.query.confidence import COURSE_FEATURES, KIND_FEATURES, load, model_file
from graph.query.results import Course

EVAL = Path(__file__).parent / "eval"
KIND = "course_task"
UNRELATED = (("c05", "c08"), "4-04-04-04")  # cooking and floristry → 信息安全测试员


def labelled() -> tuple[dict[str, Course], list[dict]]:
    with (EVAL / "courses.csv").open(encoding="utf-8") as fh:
        courses = {r["course_id"]: Course(title=r["title"], description=r["description"]) for r in csv.DictReader(fh)}
    with (EVAL / "course_tasks.csv").open(encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    return courses, pairs


def observe(store, courses: dict[str, Course], pairs: list[dict]) -> list[dict]:
    """Each judgement with the model's inputs for its course and task."""
    groups = defaultdict(list)
    for p in pairs:
        groups[(p["course_id"], p["occupation_code"])].append(p)
    out = []
    for (cid, code), rows in groups.items():
        by_order = {int(f["order"]): f for f in store.course_task_features([courses[cid]], code)}
        judged = sorted(int(p["task_order"]) for p in rows)
        if judged != sorted(by_order):
            raise ValueError(
                f"course_tasks.csv: {cid} × {code} judges tasks {judged}, the graph has {sorted(by_order)}"
            )
        for p in rows:
            f = by_order[int(p["task_order"])]
            out.append(
                {
                    **p,
                    "task": f["task"],
                    "features": f["features"],
                    "covered": p["label"] == "covered",
                    "relevant": p["label"] != "none",
                }
            )
    return out


def _fit(rows: list[dict]) -> dict:
    from sklearn.linear_model import LogisticRegression

    X = np.array([[r["features"][f] for f in COURSE_FEATURES] for r in rows])
    y = np.array([r["covered"] for r in rows])
    mean, std = X.mean(0), X.std(0) + 1e-9
    lr = LogisticRegression(C=1.0, max_iter=1000).fit((X - mean) / std, y)
    return {
        "features": list(COURSE_FEATURES),
        "mean": mean.round(6).tolist(),
        "std": std.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
    }


def _prob(model: dict, feats: dict) -> float:
    z = model["intercept"] + sum(
        c * (feats[f] - m) / s
        for f, m, s, c in zip(model["features"], model["mean"], model["std"], model["coef"], strict=False)
    )
    return float(1 / (1 + np.exp(-z)))


def _partial(rows: list[dict], probs: list[float]) -> float:
    """The threshold at which "covered or partial" is best told from "none" (F1)."""
    best, at = -1.0, 0.5
    for t in np.round(np.arange(0.02, 0.5, 0.01), 2):
        pred = np.array(probs) >= t
        truth = np.array([r["relevant"] for r in rows])
        tp = float((pred & truth).sum())
        f1 = 2 * tp / (pred.sum() + truth.sum()) if pred.sum() + truth.sum() else 0.0
        if f1 > best:
            best, at = f1, float(t)
    return at


def cross_validated(rows: list[dict]) -> list[float]:
    """Each row's probability from a model fitted without its course."""
    probs = [0.0] * len(rows)
    for cid in sorted({r["course_id"] for r in rows}):
        model = _fit([r for r in rows if r["course_id"] != cid])
        for i, r in enumerate(rows):
            if r["course_id"] == cid:
                probs[i] = _prob(model, r["features"])
    return probs


def figures(rows: list[dict], probs: list[float], partial: float, out: Path) -> dict:
    pred = np.array(probs) >= 0.5
    truth = np.array([r["covered"] for r in rows])
    tp = int((pred & truth).sum())
    precision = tp / pred.sum() if pred.sum() else 0.0
    recall = tp / truth.sum() if truth.sum() else 0.0
    table, ece = reliability([(p, r["covered"]) for p, r in zip(probs, rows, strict=False)])
    cids, code = UNRELATED
    unrelated = [
        (r["course_id"], int(r["task_order"]), p)
        for r, p in zip(rows, probs, strict=False)
        if r["course_id"] in cids and r["occupation_code"] == code
    ]
    wrong = [
        f"{r['course_id']} × {r['occupation_code']} task {r['task_order']} ({r['label']}): {p:.2f}"
        for r, p in zip(rows, probs, strict=False)
        if (p >= 0.5) != r["covered"]
    ]
    plot_reliability(
        table,
        out.parent / f"{out.name}_reliability.png",
        "confidence (course covers task)",
        "share labelled covered",
        "Course → task, leave-one-course-out",
        {"partial": partial, "covered": 0.5},
    )
    return {
        "n": len(rows),
        "covered_labels": int(truth.sum()),
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "ece": ece,
        "reliability": table,
        "unrelated_covered": sum(p >= 0.5 for *_, p in unrelated),
        "unrelated_partial": sum(partial <= p < 0.5 for *_, p in unrelated),
        "unrelated_pairs": len(unrelated),
        "unrelated_max": round(max((p for *_, p in unrelated), default=0.0), 4),
        "errors": wrong,
        "plot": f"{out.name}_reliability.png",
    }


def main(argv: list[str] | None = None) -> dict:
    args, store = calibration_cli(
        __doc__.splitlines()[0],
        "bench/reports/curriculum_eval",
        "fit on every judgement and write data/calibration/course_task*.json",
        argv,
    )
    courses, pairs = labelled()
    rows = observe(store, courses, pairs)
    probs = cross_validated(rows)
    partial = _partial(rows, probs)
    path = model_file(KIND, store.encoder.model_id)
    if args.fit:
        model = {
            "name": f"logistic-{time.strftime('%Y%m%d')}",
            **_fit(rows),
            "partial": partial,
            "strong": 0.5,
            "fitted_on": {"judgements": len(rows), "courses": len(courses)},
            "meaning": "a course → task score is the fitted share of such pairs a person labelled covered; covered "
            "from 0.5, partial from the threshold that best tells covered-or-partial from none (F1), "
            "missing below",
            "encoder": store.encoder.model_id,
        }
        path.write_text(json.dumps(model, indent=1) + "\n")
        load.cache_clear()
    model = load(path, KIND_FEATURES[KIND])
    result = {
        "backend": store.backend,
        "encoder": store.encoder.model_id,
        "model": model.name,
        "partial": model.partial,
        "strong": model.strong,
        **figures(rows, probs, partial, args.out),
    }
    m = store.curriculum_map([courses[c] for c in UNRELATED[0]], UNRELATED[1])
    result["unrelated_map"] = {"summary": m.coverage_summary, "unrelated": m.unrelated}
    write_report(args.out, result, "Curriculum coverage (course → task)", markdown(result))
    return result


def markdown(r: dict) -> str:
    lines = [
        f"Backend {r['backend']}, encoder `{r['encoder']}`, model `{r['model']}`: covered from {r['strong']}, "
        f"partial from {r['partial']}. Every figure is leave-one-course-out over {r['n']} judgements "
        f"({r['covered_labels']} labelled covered).",
        "",
        f'- "Covered" precision **{r["precision"]:.3f}** (bar ≥ 0.85), recall **{r["recall"]:.3f}** (bar ≥ 0.70).',
        f"- Expected calibration error {r['ece']:.3f}. Plot: {r['plot']}.",
        f"- Cooking and floristry against 信息安全测试员 ({r['unrelated_pairs']} pairs): {r['unrelated_covered']} covered, "
        f"{r['unrelated_partial']} partial, highest {r['unrelated_max']:.2f}; mapped together with the fitted model: "
        f"{r['unrelated_map']['summary']}, unrelated = {r['unrelated_map']['unrelated']}.",
        "",
        *reliability_markdown(r["reliability"], "share labelled covered"),
    ]
    if r["errors"]:
        lines += ["", "Pairs on the wrong side of 0.5:", ""] + [f"- {e}" for e in r["errors"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
