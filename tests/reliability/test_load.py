"""bench/load.py in CI: 50 concurrent clients for 60 s (ZHIYE_LOAD_SECONDS) on loopback against
uvicorn serving the full graph, on each backend: no errors. The figures go to tests/artifacts/load.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CLIENTS = 50
SECONDS = float(os.environ.get("ZHIYE_LOAD_SECONDS", "60"))
ARTIFACTS = Path(__file__).parents[1] / "artifacts"


def _load(backend: str, env: dict[str, str]) -> dict:
    from bench.load import run_load, write_reports

    result = run_load(backend, CLIENTS, SECONDS, env=env)
    write_reports(result, ARTIFACTS / "load")
    print(
        f"\nload {backend}: {result['requests']} requests in {SECONDS:g} s, {result['errors']} errors, "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms"
    )
    return result


def _check(result: dict) -> None:
    assert result["errors"] == 0, result["error_outcomes"]
    assert result["requests"] >= CLIENTS, result
    assert set(result["by_kind"]) == {"search", "profile", "similar", "title-directions", "batches"}


@pytest.mark.full
def test_load_embedded(full_build):
    settings, _ = full_build
    _check(_load("embedded", {"ZHIYE_STATE_DIR": str(settings.state_dir)}))


@pytest.mark.full
@pytest.mark.neo4j
def test_load_neo4j(full_build, neo4j_full_store, neo4j_connection):
    settings, built = full_build
    assert neo4j_full_store.gen == built.generation.name
    env = {
        "ZHIYE_STATE_DIR": str(settings.state_dir),
        "NEO4J_URI": neo4j_connection.uri,
        "NEO4J_USER": neo4j_connection.user,
    }
    if neo4j_connection.password is not None:
        env["NEO4J_PASSWORD"] = neo4j_connection.password
    _check(_load("neo4j", env))
