"""Occupation → title direction: fit what the pair's score means, and measure the precision of what is shown.

    python -m bench.eval_directions [--state-dir var] [--fit] [--out bench/reports/directions_eval]
    python -m bench.eval_directions sample --out sheet.csv   # every candidate pair not yet judged

The four directions of the 网络空间安全 title specialty (003) are linked to occupations by inference
(graph.build.derive.direction_candidates: tasks whose nearest skill is one of a direction's work areas). An
audit found wrong ones among them (土木建筑工程技术人员 → 业务安全 through "管理施工安全").

Labelled data, written for this project: bench/eval/direction_judgements.csv, every candidate pair of
the build judged by a reviewer (1: people in this occupation do the work of this direction, so its
professional-title evaluation fits them; 0: otherwise), split by occupation at random into `tune` (the
model is fitted on it) and `report` (only measured). The model (graph/query/confidence.py DIRECTION_FEATURES,
scikit-learn's logistic regression) gives the chance a reviewer accepts the pair; a pair is shown from
the threshold at which the tuning half's cross-validated precision reaches PRECISION_TARGET; the rest
are dropped. The issue's bar: precision ≥ 0.9 for what the page shows.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from bench.reporting import (
    fit_logistic,
    generation_data,
    grouped_cv,
    lowest_threshold,
    plot_reliability,
    reliability,
    reliability_markdown,
    sample_or_fit_args,
    write_fit,
    write_report,
)
from graph.query.confidence import DIRECTION_FEATURES, KIND_FEATURES, load, model_file

LABELS = Path(__file__).parent / "eval" / "direction_judgements.csv"
KIND = "occupation_direction"
PRECISION_TARGET = 0.93


def candidates(state_dir: Path | None) -> tuple[dict, list, str, dict]:
    """The current generation's candidate pairs (rebuilt from its vectors with the build's own code),
    its nodes, encoder and the pairs it links."""
    from graph.build.dataset import DatasetBuilder
    from graph.build.derive import direction_candidates
    from graph.build.generations import current_generation
    from graph.model import Occupation, Skill, Task, TitleDirection
    from graph.settings import Settings

    generation = current_generation(state_dir or Settings().state_dir)
    dataset, vectors = generation_data(generation)
    builder = DatasetBuilder()
    types = {"Task": Task, "Skill": Skill, "TitleDirection": TitleDirection, "Occupation": Occupation}
    for n in dataset["nodes"]:
        if n["label"] in types:
            builder.node(types[n["label"]].model_validate(n))
    for r in dataset["relations"]:
        if r["type"] == "HAS_TASK":
            builder.relate("HAS_TASK", r["start"], r["end"], [])
    nodes = {n["id"]: n for n in dataset["nodes"]}
    task_owner = {r["end"]: r["start"] for r in dataset["relations"] if r["type"] == "HAS_TASK"}
    linked = {(task_owner[r["start"]], r["end"]) for r in dataset["relations"] if r["type"] == "RELATES_TO"}
    encoder = json.loads((generation / "meta.json").read_text())["model"]
    return nodes, direction_candidates(builder, vectors), encoder, {"linked": linked}


def _fit(rows: list[dict]) -> dict:
    return fit_logistic(rows, DIRECTION_FEATURES)


def cross_validated(rows: list[dict]) -> list[float]:
    """5-fold by occupation."""
    return grouped_cv(rows, "occupation", _fit)


def threshold(rows: list[dict], probs: list[float]) -> float:
    """The lowest threshold whose shown pairs reach PRECISION_TARGET on the tuning half."""
    return lowest_threshold(rows, probs, PRECISION_TARGET)


def judged(nodes: dict, cands: list) -> list[dict]:
    by_pair = {(c.occupation, c.direction): c for c in cands}
    rows = []
    with LABELS.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            occ = f"occ:{r['occupation_code']}"
            c = by_pair.get((occ, f"direction:{r['direction']}"))
            if c is not None:
                rows.append({**r, "occupation": occ, "label": int(r["label"]), "features": c.features()})
    return rows


def evaluate(nodes: dict, cands: list, encoder: str, linked: set, out: Path, fit: bool) -> dict:
    rows = judged(nodes, cands)
    tune = [r for r in rows if r["split"] == "tune"]
    report = [r for r in rows if r["split"] == "report"]
    probs = cross_validated(tune)
    show_from = threshold(tune, probs)
    path = model_file(KIND, encoder)
    if fit:
        write_fit(
            KIND,
            encoder,
            _fit(tune),
            show_from,
            max(show_from, 0.9),
            {"judgements": len(tune)},
            "an occupation → title direction score is the fitted share of such pairs a reviewer accepted; a pair "
            f"is shown from `partial`, where the tuning half's cross-validated precision reaches {PRECISION_TARGET}",
        )
    model = load(path, KIND_FEATURES[KIND]) if path.exists() else None
    shown = [r for r in report if (r["occupation"], f"direction:{r['direction']}") in linked]
    right = [r["label"] for r in shown]
    table, ece = reliability([(p, bool(r["label"])) for p, r in zip(probs, tune, strict=False)])
    plot_reliability(
        table,
        out.parent / f"{out.name}_reliability.png",
        "confidence (occupation fits direction)",
        "share accepted",
        "Occupation → title direction, 5-fold (tuning half)",
        {"shown": show_from},
    )
    name = lambda r: f"{nodes[r['occupation']]['name_zh']} → {r['direction']}"  # noqa: E731
    return {
        "encoder": encoder,
        "model": model.name if model else None,
        "candidates": len(cands),
        "judged": len(rows),
        "tune": {
            "n": len(tune),
            "accepted": sum(r["label"] for r in tune),
            "threshold": show_from,
            "ece": ece,
            "reliability": table,
        },
        "report": {
            "n": len(report),
            "accepted": sum(r["label"] for r in report),
            "shown": len(shown),
            "precision_shown": round(sum(right) / len(right), 3) if right else None,
            "recall_of_accepted": round(sum(right) / max(1, sum(r["label"] for r in report)), 3),
            "wrong_shown": [name(r) for r in shown if not r["label"]],
            "accepted_not_shown": [name(r) for r in report if r["label"] and r not in shown],
        },
        "pairs_shown": len(linked),
        "plot": f"{out.name}_reliability.png",
    }


def sample(nodes: dict, cands: list, out: Path) -> None:
    """A sheet of every candidate pair not yet judged, with the occupation's definition and evidence."""
    done = set()
    if LABELS.exists():
        with LABELS.open(encoding="utf-8") as fh:
            done = {(r["occupation_code"], r["direction"]) for r in csv.DictReader(fh)}
    occupations = sorted({c.occupation for c in cands})
    random.Random(20261202).shuffle(occupations)
    half = {o: "tune" if i % 2 == 0 else "report" for i, o in enumerate(occupations)}  # split by occupation
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["split", "occupation_code", "occupation", "direction", "definition", "tasks_linked"])
        for c in cands:
            o = nodes[c.occupation]
            if (o["code"], nodes[c.direction]["name"]) in done:
                continue
            ev = " | ".join(f"{nodes[link.task_id]['text']} [{link.work_area}]" for link in c.links[:4])
            w.writerow(
                [half[c.occupation], o["code"], o["name_zh"], nodes[c.direction]["name"], o.get("definition") or "", ev]
            )
    print(f"written {out}")


def main(argv: list[str] | None = None) -> dict | None:
    sampling, args = sample_or_fit_args(
        argv,
        __doc__.splitlines()[0],
        "bench/reports/directions_eval",
        "fit on the tuning half; write data/calibration/occupation_direction*.json",
        {},
    )
    nodes, cands, encoder, extra = candidates(args.state_dir)
    if sampling:
        sample(nodes, cands, args.out)
        return None
    result = evaluate(nodes, cands, encoder, extra["linked"], args.out, args.fit)
    write_report(args.out, result, "Occupation → title direction", markdown(result))
    return result


def markdown(r: dict) -> str:
    t, rep = r["tune"], r["report"]
    lines = [
        f"Encoder `{r['encoder']}`, model `{r['model']}`. {r['candidates']} candidate pairs, {r['judged']} judged; "
        f"{r['pairs_shown']} pairs shown by the current build.",
        "",
        f"- Report half ({rep['n']} pairs, {rep['accepted']} accepted): the build shows {rep['shown']}, precision "
        f"**{rep['precision_shown']}** (bar ≥ 0.9); {rep['recall_of_accepted']} of the accepted pairs are shown.",
        f"- Tuning half ({t['n']} pairs, {t['accepted']} accepted): shown from confidence {t['threshold']}; ECE "
        f"{t['ece']:.3f}. Plot: {r['plot']}.",
        "",
        *reliability_markdown(t["reliability"], "share accepted"),
        "",
        "Wrong pairs shown (report half):",
        "",
    ]
    lines += [f"- {w}" for w in rep["wrong_shown"]] or ["- none"]
    lines += ["", "Accepted pairs not shown (report half):", ""] + (
        [f"- {w}" for w in rep["accepted_not_shown"]] or ["- none"]
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
