"""One error shape everywhere: 404 with suggestions, 422, 413, 503 — never a 500 for bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from graph.errors import BackendUnavailable, GraphNotBuilt
from tests.api.conftest import make_app


def error_of(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "suggestions", "suggestions_en"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/occupations/信息安全测试",
        "/occupations/信息安全测试/similar",
        "/occupations/信息安全测试/title-directions",
        "/occupations/信息安全测试/career-paths",
        "/occupations/信息安全测试/graph",
        "/gap?from=信息安全测试&to=密码技术应用员",
        "/occupations/信息安全测试员/career-paths?to=密码技术应用",
    ],
)
def test_unknown_occupation_is_404_with_suggestions(client, path):
    err = error_of(client.get(path), 404, "not_found")
    assert err["suggestions"] and ("信息安全测试员" in err["suggestions"] or "密码技术应用员" in err["suggestions"])
    # each suggestion's English name beside it, for the English page (null where the graph has none)
    english = dict(zip(err["suggestions"], err["suggestions_en"], strict=True))
    assert english.get("信息安全测试员", "Information Security Testers") == "Information Security Testers"


def test_unknown_skill_direction_and_target_are_404(client):
    assert error_of(client.get("/skills/不存在的技能xyz/occupations"), 404, "not_found")["message"].startswith(
        "unknown skill"
    )
    err = error_of(client.get("/directions/数据安/occupations"), 404, "not_found")
    assert "数据安全" in err["suggestions"]
    body = {"courses": [{"title": "网络安全"}], "target": "信息安全测试"}
    assert "信息安全测试员" in error_of(client.post("/curriculum/map", json=body), 404, "not_found")["suggestions"]
    assert error_of(client.post("/curriculum/heatmap", json=body), 404, "not_found")["suggestions"]


@pytest.mark.parametrize(
    "params, words",
    [
        ({"q": "渗透", "k": 0}, "k:"),
        ({"q": "渗透", "k": 101}, "less than or equal to 100"),
        ({"q": "渗透", "k": "ten"}, "k:"),
        ({"q": ""}, "q:"),
        ({}, "q: Field required"),
        ({"q": "测" * 501}, "at most 500 characters"),
        ({"q": "   "}, "empty"),  # passes the length check; the store rejects it
        ({"q": "渗透", "labels": "Occupation,Nope"}, "unknown labels"),
    ],
)
def test_invalid_search_is_422_with_a_readable_message(client, params, words):
    assert words in error_of(client.get("/search", params=params), 422, "invalid_input")["message"]


def test_invalid_k_and_names_elsewhere_are_422(client):
    error_of(client.get("/occupations/信息安全测试员/similar", params={"k": 101}), 422, "invalid_input")
    error_of(client.get("/occupations/信息安全测试员/career-paths", params={"k": 0}), 422, "invalid_input")
    error_of(client.get("/skills/测试/occupations", params={"k": 1000}), 422, "invalid_input")
    error_of(client.get("/occupations/" + "名" * 201), 422, "invalid_input")
    assert "from" in error_of(client.get("/gap", params={"to": "信息安全测试员"}), 422, "invalid_input")["message"]


@pytest.mark.parametrize(
    "body, words",
    [
        ({"courses": []}, "courses:"),
        ({"courses": [{"title": f"c{i}"} for i in range(201)]}, "at most 200"),
        ({"courses": [{"title": "x", "description": "长" * 5001}]}, "courses.0.description"),
        ({"courses": [{"title": ""}]}, "courses.0.title"),
        ({"courses": [{"description": "no title"}]}, "courses.0.title: Field required"),
        ({"courses": "渗透测试"}, "courses:"),
        ({"target": "信息安全测试员"}, "give courses or a syllabus, one of them"),
    ],
)
def test_invalid_curriculum_is_422(client, body, words):
    for path in ("/curriculum/map", "/curriculum/heatmap"):
        assert words in error_of(client.post(path, json=body), 422, "invalid_input")["message"]


def test_malformed_json_is_422(client):
    r = client.post("/curriculum/map", content=b'{"courses": [', headers={"Content-Type": "application/json"})
    assert "JSON" in error_of(r, 422, "invalid_input")["message"]


def test_the_largest_valid_curriculum_is_accepted_by_the_size_limit(client):
    from api.limits import MAX_BODY_BYTES

    body = {"courses": [{"title": "课" * 200, "description": "述" * 5000} for _ in range(200)]}
    assert len(json.dumps(body, ensure_ascii=False).encode()) < MAX_BODY_BYTES
    # sent: the size limit and the schema let it through to the store, which names the unknown target
    # (checked before anything is encoded, so the test does not map 200 long courses)
    r = client.post("/curriculum/map", json={**body, "target": "不存在的职业名"})
    assert error_of(r, 404, "not_found")["message"].startswith("unknown occupation")


def test_oversized_body_is_413(client):
    from api.limits import MAX_BODY_BYTES

    big = b'{"courses": [{"title": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}]}'
    err = error_of(
        client.post("/curriculum/map", content=big, headers={"Content-Type": "application/json"}),
        413,
        "payload_too_large",
    )
    assert "larger than" in err["message"]

    def chunks():  # no Content-Length: the limit counts the chunks as they arrive
        yield b'{"courses": [{"title": "'
        for _ in range(5):
            yield b"y" * (MAX_BODY_BYTES // 4)
        yield b'"}]}'

    error_of(
        client.post("/curriculum/heatmap", content=chunks(), headers={"Content-Type": "application/json"}),
        413,
        "payload_too_large",
    )


def test_body_limit_is_a_create_app_argument(fixture_store, tmp_path):
    from api.app import create_app
    from api.deps import get_store
    from graph.settings import Settings

    app = create_app(Settings(state_dir=tmp_path), max_body_bytes=100)
    app.dependency_overrides[get_store] = lambda: fixture_store
    r = TestClient(app).post("/curriculum/map", json={"courses": [{"title": "x" * 200}]})
    error_of(r, 413, "payload_too_large")


@pytest.mark.parametrize(
    "exc",
    [
        BackendUnavailable("neo4j at bolt://127.0.0.1:7687 is not answering"),
        GraphNotBuilt("no built graph; run `zhiye build` first"),
    ],
)
def test_store_down_is_503_everywhere(tmp_path, exc):
    from api.deps import get_store

    app = make_app(None, tmp_path)

    def down():
        raise exc

    app.dependency_overrides[get_store] = down
    c = TestClient(app)
    for r in (
        c.get("/ready"),
        c.get("/health"),
        c.get("/search", params={"q": "x"}),
        c.get("/occupations/x"),
        c.get("/batches"),
        c.post("/curriculum/map", json={"courses": [{"title": "x"}]}),
    ):
        err = error_of(r, 503, "unavailable")
        assert str(exc) in err["message"] and r.headers["retry-after"]


def test_no_built_graph_without_override_is_503(tmp_path):
    c = TestClient(make_app(None, tmp_path))  # empty state dir: the real get_store raises GraphNotBuilt
    assert "zhiye build" in error_of(c.get("/ready"), 503, "unavailable")["message"]
    error_of(c.get("/search", params={"q": "渗透"}), 503, "unavailable")


def test_unknown_route_and_wrong_method_use_the_same_shape(client):
    error_of(client.get("/nope"), 404, "not_found")
    error_of(client.get("/curriculum/map"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "path",
    [
        "/occupations/%00",
        "/occupations/..%2F..%2Fetc",
        "/occupations/😀",
        "/occupations/%20",
        "/search?q=%00",
        "/search?q=😀😀",
        "/search?q=" + "a" * 500,
        "/search?k=-1&q=x",
        "/gap?from=&to=",
        "/occupations/x/career-paths?to=",
        "/skills/%20/occupations",
        "/search?q=x&labels=,,,",
    ],
)
def test_odd_input_never_500(client, path):
    r = client.get(path)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "suggestions", "suggestions_en"}
