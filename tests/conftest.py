"""Shared fixtures: the bundled sources, the external classification CSV, built graphs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# tests/skip_policy.py: under ZHIYE_SKIP_POLICY=strict an unlisted skip fails the run;
# tests/tiers.py: the `model` marker and the fast tier (ZHIYE_TEST_TIER=fast)
pytest_plugins = ["skip_policy", "tiers", "neo4j_fixtures"]
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def classification_csv() -> Path | None:
    """The external CSV: $ZHIYE_CLASSIFICATION_CSV, data/external/, or ../shared/data beside the clone."""
    candidates = [
        os.environ.get("ZHIYE_CLASSIFICATION_CSV"),
        *sorted((ROOT / "data" / "external").glob("*.csv")),
        ROOT.parent / "shared" / "data" / "occupation-classification-2022.csv",
    ]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def csv_path() -> Path:
    path = classification_csv()
    if path is None:
        if os.environ.get("ZHIYE_REQUIRE_FULL") == "1":
            pytest.fail("the classification CSV is required (ZHIYE_REQUIRE_FULL=1) but was not found")
        pytest.skip("no classification CSV available")
    return path


@pytest.fixture()
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (sources and curated tables) for tests that break inputs."""
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest, ignore=shutil.ignore_patterns("external"))
    return dest


def make_settings(
    state_dir: Path, curated_dir: Path | None = None, sources_dir: Path | None = None, bundled: bool = False
):
    """Settings for a test build; `bundled` adds the bundled classification (csco22.csv), which
    the small fixture graph leaves out."""
    from graph.settings import Settings

    kwargs = {"state_dir": state_dir}
    if not bundled:
        kwargs["bundled_classification"] = None
    if curated_dir is not None:
        kwargs["curated_dir"] = curated_dir
    if sources_dir is not None:
        kwargs["sources_dir"] = sources_dir
    return Settings(**kwargs)


@pytest.fixture(scope="session")
def encoder():
    """The real encoder; in the fast tier (ZHIYE_TEST_TIER=fast, tests/tiers.py) the small deterministic
    one of tests/fast_encoder.py, which needs no torch."""
    from tiers import fast

    if fast():
        from fast_encoder import FastEncoder

        return FastEncoder()
    from api.wiring import load_encoder
    from graph.settings import Settings

    return load_encoder(Settings())


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory, encoder):
    """The small graph: the five bundled documents only, no classification CSV."""
    from graph.build.pipeline import build

    settings = make_settings(tmp_path_factory.mktemp("fixture-state"))
    return settings, build(settings, None, log=lambda m: None, encoder=encoder)


@pytest.fixture(scope="session")
def full_build(tmp_path_factory, encoder, csv_path):
    """The full graph: bundled documents, the bundled classification and the external CSV."""
    from graph.build.pipeline import build

    settings = make_settings(tmp_path_factory.mktemp("full-state"), bundled=True)
    return settings, build(settings, csv_path, log=lambda m: None, encoder=encoder)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory, encoder):
    """The graph a fresh clone builds: bundled documents and the bundled classification, no external CSV."""
    from graph.build.pipeline import build

    settings = make_settings(tmp_path_factory.mktemp("default-state"), bundled=True)
    return settings, build(settings, None, log=lambda m: None, encoder=encoder)


@pytest.fixture(scope="session")
def default_store(default_build, encoder):
    from graph.embedded.store import EmbeddedStore

    return EmbeddedStore(default_build[1].generation, lambda: encoder)


@pytest.fixture(scope="session")
def fixture_store(fixture_build, encoder):
    from graph.embedded.store import EmbeddedStore

    return EmbeddedStore(fixture_build[1].generation, lambda: encoder)


@pytest.fixture(scope="session")
def full_store(full_build, encoder):
    from graph.embedded.store import EmbeddedStore

    return EmbeddedStore(full_build[1].generation, lambda: encoder)
