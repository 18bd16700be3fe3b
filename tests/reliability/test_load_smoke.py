"""A small version of bench/load.py (10 clients × 3 s) against uvicorn on loopback: no errors."""
from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest


@pytest.fixture(scope="module")
def served(fixture_store, tmp_path_factory):
    import uvicorn

    from api.app import create_app
    from api.deps import get_store
    from graph.settings import Settings

    app = create_app(Settings(state_dir=tmp_path_factory.mktemp("load")))
    app.dependency_overrides[get_store] = lambda: fixture_store
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_load_smoke(served):
    from bench.load import run_clients, summarise, workload

    items = workload(served)
    assert {k for k, _ in items} == {"search", "profile", "similar", "title-directions", "batches"}
    import httpx

    for kind in ("search", "profile", "similar", "title-directions", "batches"):  # lazily built indexes
        httpx.get(served + next(p for k, p in items if k == kind), timeout=120)
    samples = asyncio.run(run_clients(served, 10, 3.0, items))
    result = summarise(samples, 10, 3.0, "embedded")
    print(f"\nload smoke: {result['requests']} requests, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    assert result["requests"] >= 10 and result["errors"] == 0, result["error_outcomes"]
