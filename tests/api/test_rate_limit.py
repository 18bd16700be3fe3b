"""The per-client rate limit (api/rate_limit.py): a client over it gets 429 with Retry-After in the API's
error shape; other clients, the probes and the admin endpoints are not held back."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.api.conftest import make_app

LIMIT = "4/minute"  # a minute, so that no test reaches the window's end while it runs


def client_at(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def test_a_client_over_its_limit_gets_429_with_retry_after_and_the_error_shape(fixture_store, tmp_path):
    app = make_app(fixture_store, tmp_path, rate_limit=LIMIT)
    greedy = client_at(app, "10.0.0.1")
    paths = [
        "/search?q=信息安全",
        "/batches",
        f"/occupations/{quote('信息安全测试员')}",
        f"/occupations/{quote('信息安全测试员')}/similar",
    ]
    # the limit is one budget over all the read endpoints, not one per endpoint
    assert [greedy.get(p).status_code for p in paths] == [200, 200, 200, 200]
    over = greedy.get("/search?q=区块链")
    assert over.status_code == 429
    body = over.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "suggestions", "suggestions_en"}
    assert body["error"]["code"] == "rate_limited"
    assert "4 per 1 minute" in body["error"]["message"]
    retry = int(over.headers["Retry-After"])
    assert 1 <= retry <= 60
    assert f"{retry} s" in body["error"]["message"]


def test_another_client_is_unaffected(fixture_store, tmp_path):
    app = make_app(fixture_store, tmp_path, rate_limit=LIMIT)
    greedy, other = client_at(app, "10.0.0.1"), client_at(app, "10.0.0.2")
    statuses = [greedy.get("/search?q=信息安全").status_code for _ in range(10)]
    assert statuses == [200] * 4 + [429] * 6
    assert [other.get("/search?q=信息安全").status_code for _ in range(4)] == [200] * 4


def test_probes_admin_and_the_page_are_not_counted(fixture_store, tmp_path):
    app = make_app(fixture_store, tmp_path, rate_limit=LIMIT, admin_token="secret")
    c = client_at(app, "10.0.0.3")
    for _ in range(10):
        assert c.get("/ready").status_code == 200
        assert c.get("/health").status_code == 200
        assert c.get("/admin/jobs/nothing", headers={"Authorization": "Bearer secret"}).status_code == 404
        assert c.get("/").status_code in (200, 404)  # the page, when its file is there
    assert [c.get("/batches").status_code for _ in range(5)] == [200] * 4 + [429]  # its budget untouched


def test_the_limit_is_documented_and_can_be_turned_off(fixture_store, tmp_path):
    limited = make_app(fixture_store, tmp_path, rate_limit=LIMIT)
    spec = client_at(limited, "10.0.0.4").get("/openapi.json").json()
    assert "429" in spec["paths"]["/search"]["get"]["responses"]
    assert "429" not in spec["paths"]["/ready"]["get"]["responses"]
    unlimited = client_at(make_app(fixture_store, tmp_path, rate_limit=""), "10.0.0.4")
    assert {unlimited.get("/batches").status_code for _ in range(10)} == {200}


def test_a_refusal_carries_the_cors_headers(fixture_store, tmp_path):
    """A browser page must be able to read the 429 (and its Retry-After) to back off."""
    app = make_app(fixture_store, tmp_path, rate_limit="1/minute", cors_origins=["https://example.org"])
    c = client_at(app, "10.0.0.5")
    origin = {"Origin": "https://example.org"}
    assert c.get("/batches", headers=origin).status_code == 200
    over = c.get("/batches", headers=origin)
    assert over.status_code == 429 and over.headers["access-control-allow-origin"] == "https://example.org"
    assert "retry-after" in over.headers["access-control-expose-headers"].lower()
