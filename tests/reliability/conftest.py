"""The graph fixtures (the session Neo4j server, `store` over both backends) for the reliability tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "_zhiye_graph_conftest", Path(__file__).parents[1] / "graph" / "conftest.py"
)
_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_graph)

neo4j_connection = _graph.neo4j_connection
neo4j_driver = _graph.neo4j_driver
neo4j_fixture_store = _graph.neo4j_fixture_store
neo4j_full_store = _graph.neo4j_full_store
store = _graph.store
