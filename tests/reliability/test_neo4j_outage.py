"""Neo4j going away under a running API: 503 within 2 s, never a hang; back again without a restart.

A dedicated server in a tmp home (the shared session server is left alone), reusing the Maven jars
(and so the class-data archive beside them) through a symlink.
"""

from __future__ import annotations

import os
import time

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def own_server(tmp_path_factory, fixture_build):
    from graph.errors import BackendUnavailable
    from graph.neo4j import server as neo4j_server
    from graph.neo4j.load import load_generation
    from graph.settings import Settings

    if os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI names an external server; this test starts and stops its own")
    try:
        shared_lib = neo4j_server.ensure_jars(Settings(), echo=lambda m: None)  # fetched once, shared
    except BackendUnavailable as exc:
        if os.environ.get("ZHIYE_REQUIRE_NEO4J") == "1":
            pytest.fail(f"ZHIYE_REQUIRE_NEO4J=1 but the Neo4j jars are missing: {exc}")
        pytest.skip(f"no Neo4j jars: {exc}")
    cache = tmp_path_factory.mktemp("neo4j-outage")
    (cache / "neo4j").mkdir()
    (cache / "neo4j" / "lib").symlink_to(shared_lib)
    settings = Settings(cache_dir=cache, neo4j_heap="384m", neo4j_pagecache="32m", neo4j_timeout_s=2.0)
    try:
        t0 = time.monotonic()
        conn = neo4j_server.start(settings, echo=lambda m: None)
        started = time.monotonic() - t0
    except BackendUnavailable as exc:
        if os.environ.get("ZHIYE_REQUIRE_NEO4J") == "1":
            pytest.fail(f"ZHIYE_REQUIRE_NEO4J=1 but a dedicated Neo4j did not start: {exc}")
        pytest.skip(f"cannot start a dedicated Neo4j: {exc}")
    try:
        with conn.driver() as driver:
            load_generation(driver, fixture_build[1].generation, log=lambda m: None)
        yield settings, conn, started
    finally:
        neo4j_server.stop(settings)


def _timed(client, url):
    t0 = time.monotonic()
    r = client.get(url)
    return r, time.monotonic() - t0


def test_outage_answers_503_quickly_and_recovers_without_restart(own_server, encoder, tmp_path):
    from api.app import create_app
    from graph.neo4j import server as neo4j_server
    from graph.settings import Settings

    server_settings, conn, started = own_server
    app_settings = Settings(
        backend="neo4j",
        NEO4J_URI=conn.uri,
        NEO4J_USER=conn.user,
        NEO4J_PASSWORD=conn.password,
        neo4j_timeout_s=10.0,
        state_dir=tmp_path,
    )
    app = create_app(app_settings)
    client = TestClient(app)
    queries = ["/ready", "/search?q=信息安全", "/occupations/信息安全测试员", "/batches"]
    assert client.get("/ready").status_code == 200
    app.state.store._encoder_factory = lambda: encoder  # the session encoder, not a second copy
    for url in queries:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])

    t0 = time.monotonic()
    assert neo4j_server.stop(server_settings)
    stop_s = time.monotonic() - t0
    down = {}
    for url in queries:
        r, took = _timed(client, url)
        down[url] = round(took, 2)
        assert r.status_code == 503, (url, r.status_code, r.text[:300])
        assert r.json()["error"]["code"] == "unavailable" and r.headers.get("retry-after")
        assert took < 2.0, (url, took)

    t0 = time.monotonic()
    conn2 = neo4j_server.start(server_settings, echo=lambda m: None)
    restart_s = time.monotonic() - t0
    if conn2.uri != conn.uri:
        pytest.skip(f"the port was taken meanwhile ({conn.uri} → {conn2.uri}); recovery needs the same address")
    t0 = time.monotonic()
    deadline = t0 + 30
    while True:  # the same app, no restart: the driver reconnects
        r = client.get("/ready")
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    recovered_s = time.monotonic() - t0
    assert r.status_code == 200, r.text[:300]
    for url in queries:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
    print(
        f"\nneo4j outage: first start {started:.1f} s, stop {stop_s:.1f} s, answers while down {down} s, "
        f"restart {restart_s:.1f} s, ready again {recovered_s:.1f} s after the restart"
    )


def test_a_slow_query_is_cut_off_by_the_transaction_timeout(own_server, encoder, monkeypatch):
    """Every Query carries timeout=settings.neo4j_timeout_s: a runaway query ends instead of hanging,
    and the store reports it as the backend being unavailable (the API's 503)."""
    import graph.neo4j.store as ns
    from graph.errors import BackendUnavailable
    from graph.neo4j.store import Neo4jStore

    _, conn, _ = own_server
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
    monkeypatch.setattr(ns, "cypher", lambda name: slow if name == "slow" else ns.cypher(name))
    with conn.driver() as driver:
        store = Neo4jStore(driver, lambda: encoder, timeout_s=1.0)
        t0 = time.monotonic()
        with pytest.raises(BackendUnavailable) as e:
            store.run("slow")
        took = time.monotonic() - t0
    print(f"\nslow query cut off after {took:.2f} s: {e.value}")
    assert "timed out" in str(e.value) and took < 5.0


def test_a_timed_out_query_answers_503_timeout(tmp_path):
    """A transaction timeout is translated where the driver is called (Neo4jStore.run) into QueryTimedOut,
    which the API answers as 503 `timeout` in the error shape (it was a 500); the API knows no driver."""
    from neo4j.exceptions import ClientError

    from api.app import create_app
    from api.deps import get_store
    from graph.errors import QueryTimedOut
    from graph.neo4j.store import Neo4jStore
    from graph.settings import Settings

    class TimedOut(ClientError):
        code = "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"

    class TimingOutDriver:  # the server's answer to a query past its timeout, as the driver raises it
        def execute_query(self, *args, **kwargs):
            raise TimedOut("The transaction has not completed within the timeout specified at its start")

    store = Neo4jStore(TimingOutDriver(), lambda: None, timeout_s=1.0)
    with pytest.raises(QueryTimedOut, match="timed out after 1.0 s"):
        store.run("stats", gen="g")
    app = create_app(Settings(state_dir=tmp_path))
    app.dependency_overrides[get_store] = lambda: store
    r = TestClient(app).get("/ready")
    assert r.status_code == 503 and r.json()["error"]["code"] == "timeout", r.text
