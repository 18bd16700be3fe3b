"""The Neo4j fixtures of every test directory: one server (and one driver) for the whole test session,
and stores over the fixture and full graphs. A plugin (tests/conftest.py lists it), so each fixture is
defined once: copies per directory would each start a server."""

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

    A local server that a test session started is stopped when the last session using it ends
    (concurrent sessions share it); one started with `zhiye neo4j start` is left running.
    """
    from neo4j_containers import session_server

    with contextlib.ExitStack() as stack:
        try:
            conn = stack.enter_context(session_server())
        except BackendUnavailable as exc:
            skip_or_fail(f"no Neo4j server: {exc}")
        yield conn


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_connection):
    driver = neo4j_connection.driver()
    yield driver
    driver.close()


def neo4j_store_on(driver, generation, encoder):
    """A Neo4jStore serving `generation`, loading it first when another one is current."""
    from graph.neo4j.load import ensure_loaded
    from graph.neo4j.store import Neo4jStore

    ensure_loaded(driver, generation, log=lambda m: None)
    return Neo4jStore(driver, lambda: encoder, timeout_s=60)


@pytest.fixture()
def neo4j_fixture_store(neo4j_driver, fixture_build, encoder):
    return neo4j_store_on(neo4j_driver, fixture_build[1].generation, encoder)


@pytest.fixture()
def neo4j_full_store(neo4j_driver, full_build, encoder):
    return neo4j_store_on(neo4j_driver, full_build[1].generation, encoder)


@pytest.fixture(params=["embedded", "neo4j"])
def store(request):
    """The contract suite runs on both backends over the fixture graph."""
    if request.param == "embedded":
        return request.getfixturevalue("fixture_store")
    return request.getfixturevalue("neo4j_fixture_store")
