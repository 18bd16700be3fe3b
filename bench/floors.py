"""Quality floors: the ranking figures a change may not quietly lose, and the check that names each
one that fell.

Why: the benchmarks (bench/eval_search.py, bench/eval_titles.py) only report figures, so a change
that costs ranking quality passes every test. bench/eval/floors.toml writes down each guarded
figure's measured value, when it was measured, and a floor a little under it;
tests/bench/test_quality_floors.py recomputes the figures on the full graph through the benchmarks'
own code and fails with check_floors' messages. Raising a floor after an improvement, or lowering
one for a trade made on purpose, is an edit of that file with the new measurement.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

FLOORS = Path(__file__).parent / "eval" / "floors.toml"


def load_floors(path: Path = FLOORS) -> dict[str, dict]:
    """The floors file: figure name → {floor, measured, date, what}."""
    with path.open("rb") as fh:
        return tomllib.load(fh)


def check_floors(figures: dict, floors: dict) -> list[str]:
    """One message per figure below its floor or missing from `figures`; empty when every floor holds.

    A floor is a number or a table with `floor` (and optionally `measured` and `date`, which the
    message repeats, so a red run says how far the figure fell). Figures without a floor are ignored.

    >>> floors = {"search_hybrid_mrr": {"floor": 0.889, "measured": 0.9094, "date": "2026-12-02"},
    ...           "search_hybrid_r5": 0.962}
    >>> check_floors({"search_hybrid_mrr": 0.91, "search_hybrid_r5": 0.97, "other": 0.1}, floors)
    []
    >>> for message in check_floors({"search_hybrid_mrr": 0.85}, floors):
    ...     print(message)
    search_hybrid_mrr: 0.8500 is below its floor 0.889 (measured 0.9094 on 2026-12-02)
    search_hybrid_r5: missing (floor 0.962)
    """
    return [m for name, entry in floors.items() if (m := _message(name, figures.get(name), entry))]


def _message(name: str, value: float | None, entry) -> str | None:
    """The failure for one figure, or None when it holds (at the floor is holding)."""
    floor = entry["floor"] if isinstance(entry, dict) else entry
    if value is None:
        return f"{name}: missing (floor {floor})"
    if value >= floor:
        return None
    measured = ""
    if isinstance(entry, dict) and "measured" in entry:
        measured = f" (measured {entry['measured']} on {entry.get('date', '?')})"
    return f"{name}: {value:.4f} is below its floor {floor}{measured}"


def search_figures(store) -> dict[str, float]:
    """Hybrid MRR and R@5 on bench/eval/queries.csv, as bench/eval_search.py computes them."""
    from bench.eval_search import MODES, evaluate, load_queries

    hybrid = evaluate(store, load_queries(), {"hybrid": MODES["hybrid"]})["hybrid"]
    return {"search_hybrid_mrr": hybrid["MRR"], "search_hybrid_r5": hybrid["R@5"]}


def title_figures(store, dev: Path | None = None) -> dict[str, float]:
    """/code top-1 and top-5 on the dev titles' reporting half (bench/eval_titles.py's protocol; the
    tuning half the model was fitted on is left out) and on the everyday-title set."""
    from bench import eval_titles

    rows = [r for r in eval_titles.load_dev(dev or eval_titles.DEV) if r["split"] == "report"]
    code = eval_titles.score(rows, eval_titles.predictions_code(store, [r["job_name"] for r in rows]))
    everyday = eval_titles.everyday(store)["all"]
    return {
        "titles_code_top1": code["top1"],
        "titles_code_top5": code["top5"],
        "everyday_titles_top1": everyday["top1"],
        "everyday_titles_top5": everyday["top5"],
    }
