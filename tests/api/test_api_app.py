"""The app itself: lazy store, CORS, OpenAPI, the static page, and `zhiye serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.api.conftest import free_port, make_app

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_app_builds_nothing():
    code = "import api.app, api.deps, api.routes; assert not hasattr(api.app, 'app'); print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_store_is_opened_lazily_once_per_app(fixture_build):
    from api.app import create_app

    settings, _ = fixture_build
    app = create_app(settings)
    assert app.state.store is None
    c = TestClient(app)
    assert c.get("/ready").status_code == 200
    store = app.state.store
    assert store is not None and store.backend == "embedded"
    assert c.get("/health").json()["nodes"]["Occupation"] == 190
    assert app.state.store is store
    assert create_app(settings).state.store is None  # each app has its own


def test_cors_origins_come_from_settings(fixture_store, tmp_path):
    c = TestClient(make_app(fixture_store, tmp_path, cors_origins=["https://example.org"]))
    pre = c.options("/search", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://example.org"
    ok = c.get("/batches", headers={"Origin": "https://example.org"})
    assert ok.headers["access-control-allow-origin"] == "https://example.org"
    other = c.get("/batches", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    # errors carry the header too, so a browser client can read them
    err = c.get("/occupations/不存在", headers={"Origin": "https://example.org"})
    assert err.status_code == 404 and err.headers["access-control-allow-origin"] == "https://example.org"


def test_no_cors_headers_by_default(client):
    assert "access-control-allow-origin" not in client.get("/batches", headers={"Origin": "https://x.org"}).headers


def test_openapi_lists_every_endpoint(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) >= {
        "/search",
        "/occupations/{name_or_code}",
        "/occupations/{name_or_code}/similar",
        "/occupations/{name_or_code}/title-directions",
        "/occupations/{name_or_code}/career-paths",
        "/occupations/{name_or_code}/graph",
        "/gap",
        "/curriculum/map",
        "/curriculum/heatmap",
        "/skills/{name}/occupations",
        "/directions/{name}/occupations",
        "/batches",
        "/special-abilities",
        "/special-abilities/{name_or_code}",
        "/health",
        "/ready",
    }
    assert (
        "ErrorOut"
        in paths["/occupations/{name_or_code}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"][
            "$ref"
        ]
    )


def test_the_page_and_its_modules_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "importmap" in page.text and "/static/main.js" in page.text
    for module in (
        "main.js",
        "api.js",
        "i18n.js",
        "dom.js",
        "courses.js",
        "views/graph.js",
        "views/curriculum.js",
        "views/occupation.js",
        "views/paths.js",
        "views/search.js",
        "style.css",
    ):
        assert client.get(f"/static/{module}").status_code == 200, module
    # no library comes from a CDN: every script and stylesheet is served here
    for ref in ("http://", "https://"):
        assert f'src="{ref}' not in page.text and f'href="{ref}' not in page.text


def test_cytoscape_comes_from_npm(client):
    if not (ROOT / "api" / "web" / "node_modules" / "cytoscape").is_dir():
        from tests.api.conftest import skip_or_fail

        skip_or_fail("api/web/node_modules is missing (npm ci in api/web, done by .ci/setup.sh)")
    r = client.get("/vendor/cytoscape/cytoscape.esm.min.mjs")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"] and len(r.content) > 100_000


def test_zhiye_serve_answers_and_stops_on_ctrl_c(fixture_build):
    settings, _ = fixture_build
    port = free_port()
    env = {**os.environ, "ZHIYE_STATE_DIR": str(settings.state_dir), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
                if r.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "zhiye serve did not become ready"
            time.sleep(0.3)
        assert httpx.get(f"http://127.0.0.1:{port}/health").json()["nodes"]["Occupation"] == 190
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert "Traceback" not in out and "Shutting down" in out
