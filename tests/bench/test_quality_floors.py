"""Ranking quality may not fall below the floors in bench/eval/floors.toml: the figures are
recomputed on the full graph with the benchmarks' own code (bench/floors.py), so a change that
costs search or title-coding quality turns CI red instead of only a later report."""

from __future__ import annotations

import doctest
import os

import pytest

from bench import floors
from bench.floors import check_floors, load_floors


def _floors(search: bool) -> dict:
    """The search figures' floors, or all the others (the titles'): every floor is checked by one test."""
    return {k: v for k, v in load_floors().items() if k.startswith("search_") == search}


def _assert_floors(figures: dict, guarded: dict) -> None:
    print(figures)
    messages = check_floors(figures, guarded)
    assert not messages, "\n".join(["below bench/eval/floors.toml:", *messages, f"all figures: {figures}"])


@pytest.mark.full
def test_search_ranking_stays_above_its_floors(full_store):
    _assert_floors(floors.search_figures(full_store), _floors(search=True))


@pytest.mark.full
def test_title_coding_stays_above_its_floors(full_store):
    from bench.eval_titles import DEV

    if not DEV.exists():
        if os.environ.get("ZHIYE_REQUIRE_FULL") == "1":
            pytest.fail(f"ZHIYE_REQUIRE_FULL=1 but the dev titles {DEV} are missing")
        pytest.skip(f"{DEV} is not beside the clone")
    _assert_floors(floors.title_figures(full_store, DEV), _floors(search=False))


def test_a_figure_under_its_floor_or_missing_is_named():
    guarded = {
        "search_hybrid_mrr": {"floor": 0.889, "measured": 0.9094, "date": "2026-12-02"},
        "search_hybrid_r5": {"floor": 0.962},
    }
    assert check_floors({"search_hybrid_mrr": 0.889, "search_hybrid_r5": 0.99}, guarded) == []
    assert check_floors({"search_hybrid_mrr": 0.8, "search_hybrid_r5": 0.99}, guarded) == [
        "search_hybrid_mrr: 0.8000 is below its floor 0.889 (measured 0.9094 on 2026-12-02)"
    ]
    assert check_floors({"search_hybrid_mrr": 0.95}, guarded) == ["search_hybrid_r5: missing (floor 0.962)"]


def test_the_floors_file_is_complete_and_under_its_measurements():
    """Every floor says what it guards, when it was measured, and sits under that measurement."""
    entries = load_floors()
    assert {"search_hybrid_mrr", "search_hybrid_r5"} <= set(entries)
    for name, e in entries.items():
        assert {"what", "measured", "date", "floor"} <= set(e), name
        assert 0 < e["floor"] < e["measured"] <= 1, name


def test_the_docstring_examples_hold():
    result = doctest.testmod(floors)
    assert result.attempted and not result.failed, result
