"""Graph-level fixtures: one Neo4j server for the whole test session."""
from __future__ import annotations

import contextlib
import os

import pytest

from graph.errors import BackendUnavailable


def skip_or_fail(reason: str) -> None:
    """Skip, unless ZHIYE_REQUIRE_NEO4J=1 says a missing Neo4j is a failure."""
    if os.environ.get("ZHIYE_REQUIRE_NEO4J") == "1":
        pytest.fail(f"ZHIYE_REQUIRE_NEO4J=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_connection():
    """A Neo4jConnection that answers: NEO4J_URI, else a testcontainer, else the Maven-provisioned server.

    The local server is stopped at the end of the session if this fixture started it.
    """
    from graph.neo4j_server import session_server

    with contextlib.ExitStack() as stack:
        try:
            conn = stack.enter_context(session_server())
        except BackendUnavailable as exc:
            skip_or_fail(f"no Neo4j server: {exc}")
        yield conn
