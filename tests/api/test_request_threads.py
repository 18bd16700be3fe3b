"""How many requests the server works on at once (api/app.py request_threads): few on the embedded
backend, whose requests hold the GIL; anyio's 40 on Neo4j; the setting when given."""

from __future__ import annotations

import anyio.to_thread
from fastapi.testclient import TestClient

from api.app import request_threads
from graph.settings import Settings
from tests.api.conftest import make_app


def test_the_default_follows_the_backend_and_the_setting_wins():
    assert request_threads(Settings(backend="embedded")) == 4
    assert request_threads(Settings(backend="neo4j")) == 40
    assert request_threads(Settings(backend="embedded", request_threads=16)) == 16


def test_the_app_sets_the_thread_limit_of_its_event_loop(fixture_store, tmp_path):
    def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(make_app(fixture_store, tmp_path, request_threads=3)) as c:  # runs the lifespan
        assert c.portal is not None and c.portal.call(tokens) == 3
        assert c.get("/batches").status_code == 200
