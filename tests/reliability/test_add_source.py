"""Adding a batch notice: validated by its parser, built into a new generation, switched atomically;
a bad document changes nothing. Over the CLI, the library call and POST /admin/sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.build.generations import current_generation
from graph.errors import SourceFormatError

FIXTURES = Path(__file__).parent / "fixtures"
VALID = (FIXTURES / "notice_valid.txt").read_bytes()
MALFORMED = (FIXTURES / "notice_malformed.txt").read_bytes()


@pytest.fixture()
def state(sources_copy, tmp_path, encoder):
    """A tmp copy of data/ and a state dir that already serves a generation built from it."""
    from graph.build.pipeline import build
    from graph.settings import Settings

    settings = Settings(
        state_dir=tmp_path / "state",
        curated_dir=sources_copy,
        sources_dir=sources_copy / "sources",
        admin_token="s3cret",
    )
    settings.state_dir.mkdir()
    build(settings, None, log=lambda m: None, encoder=encoder)
    return settings


def _snapshot(settings):
    sources = settings.sources_dir
    return (
        sorted(p.name for p in sources.iterdir()),
        (sources / "manifest.json").read_bytes(),
        current_generation(settings.state_dir).name,
    )


def _job(client, response, headers, timeout_s: float = 300):
    """The admin job a 202 started, polled at its URL until it has finished."""
    import time

    assert response.status_code == 202, response.text
    url = response.json()["url"]
    assert response.headers["location"] == url
    deadline = time.monotonic() + timeout_s
    while True:
        job = client.get(url, headers=headers).json()
        if job["status"] != "running" or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def test_a_valid_notice_is_added_and_served(state, encoder):
    from graph.build.sources_admin import add_source
    from graph.embedded.store import EmbeddedStore

    before = _snapshot(state)
    added = add_source(state, "099_test_notice.txt", VALID, "notice_zh", "测试通知", encoder=encoder)
    assert added.parsed == 2
    assert (state.sources_dir / "099_test_notice.txt").read_bytes() == VALID
    manifest = json.loads((state.sources_dir / "manifest.json").read_text())
    assert manifest["documents"][-1]["file"] == "099_test_notice.txt"
    assert manifest["documents"][-1]["form"] == "notice_zh" and manifest["documents"][-1]["title"] == "测试通知"
    gen = current_generation(state.state_dir)
    assert gen.name != before[2] and gen == added.generation
    store = EmbeddedStore(gen, lambda: encoder)
    assert any("2099" in (b.announced or "") for b in store.batches())
    assert not list(state.sources_dir.glob(".*"))  # no temporaries left behind


def test_a_malformed_notice_changes_nothing(state, encoder):
    from graph.build.sources_admin import add_source

    before = _snapshot(state)
    with pytest.raises(SourceFormatError) as e:
        add_source(state, "099_bad.txt", MALFORMED, "notice_zh", encoder=encoder)
    assert e.value.file == "099_bad.txt" and e.value.line == 12 and "list item 2." in str(e.value)
    assert _snapshot(state) == before


def test_the_api_needs_the_token_and_reports_file_and_line(state, encoder):
    from api.app import create_app

    app = create_app(state)
    app.state.encoder = encoder
    c = TestClient(app)
    body = {"filename": "099_test_notice.txt", "content": VALID.decode(), "form": "notice_zh"}
    before = _snapshot(state)
    r = c.post("/admin/sources", json=body)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    r = c.post("/admin/sources", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    bad = {**body, "filename": "099_bad.txt", "content": MALFORMED.decode()}
    r = c.post("/admin/sources", json=bad, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_document" and "099_bad.txt:12" in err["message"]
    assert _snapshot(state) == before
    for name in ("../escape.txt", "manifest.json", "000_a603fc154322594f.txt"):
        r = c.post("/admin/sources", json={**body, "filename": name}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 422, (name, r.text)
    assert _snapshot(state) == before
    auth = {"Authorization": "Bearer s3cret"}
    job = _job(c, c.post("/admin/sources", json=body, headers=auth), auth)
    assert job["status"] == "succeeded", job
    assert job["result"]["generation"] == current_generation(state.state_dir).name != before[2]
    assert c.get(job["url"]).status_code == 401  # the job's state is admin-only too
    assert c.get("/batches").status_code == 200  # the app serves the new generation
    assert any("2099" in (b.get("announced") or "") for b in c.get("/batches").json()["batches"])


def test_admin_disabled_without_a_token(tmp_path):
    from api.app import create_app
    from graph.settings import Settings

    c = TestClient(create_app(Settings(state_dir=tmp_path)))
    body = {"filename": "a.txt", "content": "x", "form": "notice_zh"}
    for headers in ({}, {"Authorization": "Bearer anything"}):
        r = c.post("/admin/sources", json=body, headers=headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert "disabled" in r.json()["error"]["message"]


def _cli(state, *args):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "ZHIYE_STATE_DIR": str(state.state_dir),
        "ZHIYE_SOURCES_DIR": str(state.sources_dir),
        "ZHIYE_CURATED_DIR": str(state.curated_dir),
        "HF_HUB_OFFLINE": "1",
        "ZHIYE_ENCODE_THREADS": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=Path(__file__).parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_cli_add_source(state, tmp_path):
    bad = tmp_path / "099_bad.txt"
    bad.write_bytes(MALFORMED)
    before = _snapshot(state)
    r = _cli(state, "add-source", str(bad), "--form", "notice_zh")
    assert r.returncode == 2 and "099_bad.txt:12" in r.stderr, r.stderr
    assert _snapshot(state) == before
    good = tmp_path / "099_test_notice.txt"
    good.write_bytes(VALID)
    r = _cli(state, "add-source", str(good), "--form", "notice_zh", "--title", "测试通知", "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout)
    assert out["parsed"] == 2 and out["generation"] == current_generation(state.state_dir).name != before[2]
    assert (state.sources_dir / "099_test_notice.txt").is_file()


def test_occupation_information_is_validated_with_its_parser():
    from graph.build.sources_admin import validate
    from graph.errors import InvalidInput

    good = (Path(__file__).parents[1] / "fixtures" / "occupation_info_zh.txt").read_bytes()
    assert validate("099_info.txt", good, "occupation_info_zh") >= 1
    broken = good.replace("2.制订".encode(), "5.制订".encode(), 1)
    with pytest.raises(SourceFormatError) as e:
        validate("099_info.txt", broken, "occupation_info_zh")
    assert e.value.file == "099_info.txt" and e.value.line == 8 and "task 2." in str(e.value)
    with pytest.raises(SourceFormatError) as e:
        validate("099_info.txt", b"\xff\xfe not utf-8", "occupation_info_zh")
    assert e.value.line == 1 and "UTF-8" in str(e.value)
    with pytest.raises(InvalidInput):
        validate("099_info.txt", good, "catalog")


def test_cors_preflight_admits_the_bearer_header_for_configured_origins(tmp_path):
    from api.app import create_app
    from graph.settings import Settings

    c = TestClient(create_app(Settings(state_dir=tmp_path, admin_token="t", cors_origins=["https://ok.example"])))
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    r = c.options("/admin/sources", headers={"Origin": "https://ok.example", **pre})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://ok.example"
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    r = c.options("/admin/sources", headers={"Origin": "https://evil.example", **pre})
    assert "access-control-allow-origin" not in r.headers
    r = c.post(
        "/admin/sources",
        json={"filename": "a.txt", "content": "x", "form": "notice_zh"},
        headers={"Origin": "https://ok.example"},
    )
    assert r.status_code == 401 and r.headers["access-control-allow-origin"] == "https://ok.example"


def test_a_file_upload_is_added_like_a_json_body(state, encoder):
    from api.app import create_app

    app = create_app(state)
    app.state.encoder = encoder
    c = TestClient(app)
    auth = {"Authorization": "Bearer s3cret"}
    before = _snapshot(state)
    r = c.post(
        "/admin/sources/upload",
        files={"file": ("099_test_notice.txt", VALID, "text/plain")},
        data={"form": "notice_zh"},
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = c.post(
        "/admin/sources/upload",
        files={"file": ("099_bad.txt", MALFORMED, "text/plain")},
        data={"form": "notice_zh"},
        headers=auth,
    )
    assert r.status_code == 422 and "099_bad.txt:12" in r.json()["error"]["message"]
    r = c.post(
        "/admin/sources/upload",
        files={"file": ("099_test_notice.txt", VALID, "text/plain")},
        data={"form": "catalog"},
        headers=auth,
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = c.post(
        "/admin/sources/upload",
        files={"file": ("099_big.txt", b"x" * (2 * 1024 * 1024 + 10), "text/plain")},
        data={"form": "notice_zh"},
        headers=auth,
    )
    assert r.status_code == 422 and "larger than" in r.json()["error"]["message"]
    assert _snapshot(state) == before
    r = c.post(
        "/admin/sources/upload",
        files={"file": ("099_test_notice.txt", VALID, "text/plain")},
        data={"form": "notice_zh", "title": "测试通知"},
        headers=auth,
    )
    job = _job(c, r, auth)
    assert job["status"] == "succeeded", job
    assert job["result"]["parsed"] == 2 and job["result"]["title"] == "测试通知"
    assert (state.sources_dir / "099_test_notice.txt").read_bytes() == VALID


def _on_neo4j(settings, conn):
    return settings.model_copy(
        update={"backend": "neo4j", "neo4j_uri": conn.uri, "neo4j_user": conn.user, "neo4j_password": conn.password}
    )


@pytest.mark.neo4j
def test_on_neo4j_the_document_is_loaded_into_the_server_before_it_is_installed(
    state, encoder, neo4j_connection, neo4j_driver
):
    from api.app import create_app
    from graph.neo4j.store import Neo4jStore

    auth = {"Authorization": "Bearer s3cret"}
    served = Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60)

    # Neo4j unreachable: 503, and nothing changed, neither on disk nor in the server
    before = _snapshot(state)
    try:
        gen_before = served.gen
    except Exception:
        gen_before = None
    down = _on_neo4j(state, neo4j_connection).model_copy(update={"neo4j_uri": "bolt://127.0.0.1:9"})
    app = create_app(down)
    app.state.encoder = encoder
    c = TestClient(app)
    r = c.post(
        "/admin/sources",
        headers=auth,
        json={"filename": "099_test_notice.txt", "content": VALID.decode(), "form": "notice_zh"},
    )
    job = _job(c, r, auth)
    assert job["status"] == "failed" and job["error_status"] == 503, job
    assert job["error"]["code"] == "unavailable", job
    assert _snapshot(state) == before
    assert Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60).gen == gen_before

    # Neo4j up: the new generation is current in the server, then the file is installed
    app = create_app(_on_neo4j(state, neo4j_connection))
    app.state.encoder = encoder
    c = TestClient(app)
    r = c.post(
        "/admin/sources/upload",
        files={"file": ("099_test_notice.txt", VALID, "text/plain")},
        data={"form": "notice_zh"},
        headers=auth,
    )
    job = _job(c, r, auth)
    assert job["status"] == "succeeded", job
    gen = job["result"]["generation"]
    assert gen == current_generation(state.state_dir).name != before[2]
    store = Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60)
    assert store.gen == gen
    assert any("2099" in (b.announced or "") for b in store.batches())
    assert any("2099" in (b.get("announced") or "") for b in c.get("/batches").json()["batches"])
    assert c.get("/ready").status_code == 200


def test_one_addition_at_a_time_and_the_new_generation_is_served(state, encoder):
    """A second document while one builds: 409 with Retry-After, naming the running job. When the build is
    current, the embedded store that held the old generation in memory is dropped (the next request opens
    the new one); an unknown job is a 404."""
    from api.app import create_app

    app = create_app(state)
    app.state.encoder = encoder
    c = TestClient(app)
    assert c.get("/ready").status_code == 200
    served_before = app.state.store
    auth = {"Authorization": "Bearer s3cret"}
    body = {"filename": "099_test_notice.txt", "content": VALID.decode(), "form": "notice_zh"}
    first = c.post("/admin/sources", json=body, headers=auth)
    second = c.post("/admin/sources", json={**body, "filename": "099_other.txt"}, headers=auth)
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict", second.text
    assert second.headers["retry-after"] == "30" and first.json()["id"] in second.json()["error"]["message"]
    assert _job(c, first, auth)["status"] == "succeeded"
    assert app.state.store is not served_before
    assert c.get("/health").json()["generation"] == current_generation(state.state_dir).name
    assert c.get("/admin/jobs/0123456789abcdef", headers=auth).status_code == 404


def test_another_process_adding_a_document_is_a_conflict(state, encoder):
    """The lock is an flock in the state directory: held by another process (here: another lock object, as
    `zhiye add-source` in a second process would hold it), the addition is refused and nothing changes."""
    from filelock import FileLock

    from graph.build.sources_admin import LOCK_FILE, add_source
    from graph.errors import Conflict

    before = _snapshot(state)
    with FileLock(state.state_dir / LOCK_FILE, thread_local=False), pytest.raises(Conflict, match="another document"):
        add_source(state, "099_test_notice.txt", VALID, "notice_zh", encoder=encoder)
    assert _snapshot(state) == before
