"""Where the test suite's Neo4j comes from: NEO4J_URI if set; else a throwaway testcontainers Neo4j
when a Docker engine answers (a clean server per session, the image docker-compose.yml runs); else
the local server from Maven Central jars that graph.neo4j.server manages (shared by concurrent test
sessions). Test infrastructure, so it lives here and not in the product's code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from graph.neo4j.server import Neo4jConnection, connection_from_env, shared_server
from graph.settings import Settings, get_settings

#: the image docker-compose.yml runs (tests/test_dockerfile.py keeps the two the same)
DOCKER_IMAGE = "neo4j:5.26-community"


def docker_container() -> Any | None:
    """A (not yet started) testcontainers Neo4j, or None without a Docker engine."""
    import docker
    from testcontainers.community.neo4j import Neo4jContainer

    try:
        client = docker.from_env(timeout=5)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # docker-py raises many kinds (DockerException, requests, OSError): all mean "no engine"
        return None
    return Neo4jContainer(DOCKER_IMAGE)


@contextlib.contextmanager
def session_server(settings: Settings | None = None) -> Iterator[Neo4jConnection]:
    """A Neo4j that answers for the duration of the block (a test session)."""
    settings = settings or get_settings()
    if connection_from_env(settings) is None and (container := docker_container()) is not None:
        print(f"Starting {DOCKER_IMAGE} with testcontainers ...", file=sys.stderr)
        with container as c:
            yield Neo4jConnection(c.get_connection_url(), getattr(c, "username", "neo4j"), c.password)
        return
    with shared_server(settings) as conn:
        yield conn
