"""Loading into Neo4j: idempotent, and atomic as readers see it."""

import pytest
from neo4j_fixtures import neo4j_store_on

from graph.neo4j import load as neo4j_load
from graph.neo4j.store import Neo4jStore


def test_loading_twice_gives_identical_counts(neo4j_driver, fixture_build, encoder):
    generation = fixture_build[1].generation
    first = neo4j_load.load_generation(neo4j_driver, generation, log=lambda m: None)
    second = neo4j_load.load_generation(neo4j_driver, generation, log=lambda m: None)
    assert first == second
    stats = Neo4jStore(neo4j_driver, lambda: encoder).stats()
    assert stats.nodes == fixture_build[1].dataset.stats()["nodes"]
    assert stats.relationships == fixture_build[1].dataset.stats()["relationships"]


def test_a_load_that_fails_midway_leaves_the_previous_graph_served(
    neo4j_driver, fixture_build, full_build, encoder, monkeypatch
):
    store = neo4j_store_on(neo4j_driver, fixture_build[1].generation, encoder)
    before = store.stats()
    calls = {"n": 0}
    real = neo4j_load._batched

    def dies_after_nodes(session, statement, rows, what, log, **params):
        calls["n"] += 1
        if what == "relationships":
            raise RuntimeError("simulated crash while loading relationships")
        return real(session, statement, rows, what, log, **params)

    monkeypatch.setattr(neo4j_load, "_batched", dies_after_nodes)
    with pytest.raises(RuntimeError, match="simulated crash"):
        neo4j_load.load_generation(neo4j_driver, full_build[1].generation, log=lambda m: None)
    reader = Neo4jStore(neo4j_driver, lambda: encoder)
    assert reader.gen == fixture_build[1].generation.name
    assert reader.stats().nodes == before.nodes
    assert reader.profile("信息安全测试员").work_types == ["渗透测试员"]
