"""Shared fixtures: the bundled sources, the external classification CSV, built graphs."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def classification_csv() -> Path | None:
    """The external CSV: $ZHIYE_CLASSIFICATION_CSV, data/external/, or ../shared/data beside the clone."""
    candidates = [os.environ.get("ZHIYE_CLASSIFICATION_CSV"), *sorted((ROOT / "data" / "external").glob("*.csv")),
                  ROOT.parent / "shared" / "data" / "occupation-classification-2022.csv"]
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
