"""The suite's Neo4j source (tests/neo4j_containers.py): a testcontainers Neo4j when a Docker engine
answers, the same image docker-compose.yml runs; the Maven-provisioned server otherwise."""

from __future__ import annotations

import re
from pathlib import Path

from neo4j_containers import DOCKER_IMAGE, docker_container

ROOT = Path(__file__).resolve().parent.parent


def test_the_container_is_the_image_compose_runs():
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*image:\s*(\S+)\s*$", compose, re.M).group(1) == DOCKER_IMAGE


def test_without_a_docker_engine_no_container_is_offered(monkeypatch):
    """testcontainers is installed (pinned in the dev extra), so the only reason for no container is the
    engine: an address where nothing answers gives None (the fixture then uses the local server)."""
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")  # the discard port: nothing listens
    assert docker_container() is None
