"""API fixtures: the app over the session stores, a live server, a headless Chromium."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# no name resolves (a CDN, a font host); the live servers are reached by IP, 127.0.0.1
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


def skip_or_fail(reason: str) -> None:
    """Skip, unless ZHIYE_REQUIRE_FULL=1 (CI) says the missing piece is a failure."""
    if os.environ.get("ZHIYE_REQUIRE_FULL") == "1":
        pytest.fail(f"ZHIYE_REQUIRE_FULL=1 but {reason}")
    pytest.skip(reason)


def make_app(store, tmp_path: Path, **settings):
    """The real app with get_store overridden; the state dir is empty so nothing else is served. No rate
    limit unless one is given: these tests are one client asking fast (the limit: test_rate_limit.py)."""
    from api.app import create_app
    from api.deps import get_store
    from graph.settings import Settings

    app = create_app(Settings(state_dir=tmp_path, **{"rate_limit": "", **settings}))
    if store is not None:
        app.dependency_overrides[get_store] = lambda: store
    return app


@pytest.fixture(scope="session")
def client(fixture_store, tmp_path_factory) -> TestClient:
    return TestClient(make_app(fixture_store, tmp_path_factory.mktemp("api-fixture")))


@pytest.fixture(scope="session")
def full_client(full_store, tmp_path_factory) -> TestClient:
    return TestClient(make_app(full_store, tmp_path_factory.mktemp("api-full")))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn in a background thread on a free loopback port."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-test", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _live(store, tmp_path_factory, name):
    with LiveServer(make_app(store, tmp_path_factory.mktemp(name))) as server:
        yield server


@pytest.fixture(scope="session")
def embedded_live_server(fixture_store, tmp_path_factory):
    yield from _live(fixture_store, tmp_path_factory, "live-fixture")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def live_server(request, tmp_path_factory):
    """The page over the fixture graph on each backend: what a user sees must not depend on it. The Neo4j
    server is started per test (a second), since other tests switch the shared Neo4j's current graph."""
    if request.param == "embedded":
        yield request.getfixturevalue("embedded_live_server")
        return
    yield from _live(request.getfixturevalue("neo4j_fixture_store"), tmp_path_factory, "live-neo4j")


@pytest.fixture(scope="session")
def full_live_server(full_store, tmp_path_factory):
    yield from _live(full_store, tmp_path_factory, "live-full")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Headless Chromium from Debian's packages, driven through /usr/bin/chromedriver (no downloads),
    offline: every host name fails to resolve, so the page and the API docs are tested as they work
    with no network (only the loopback server's IP answers)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        skip_or_fail("chromium / chromium-driver are not installed (.ci/setup.sh installs them)")
    if not (Path(__file__).resolve().parents[2] / "api" / "web" / "node_modules" / "cytoscape").is_dir():
        skip_or_fail("api/web/node_modules is missing (npm ci in api/web, done by .ci/setup.sh)")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not try to download a driver or browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1440,1000",
        NO_NETWORK,
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture()
def shot(browser):
    """Save a full-page screenshot under tests/artifacts/ (1440 px wide, or ``width``) and return its path."""

    def take(name: str, width: int = 1440) -> Path:
        height = browser.execute_script("return Math.max(document.body.scrollHeight, 1000)")
        browser.set_window_size(width, min(int(height) + 40, 4000))
        path = ARTIFACTS / f"{name}.png"
        browser.save_screenshot(str(path))
        browser.set_window_size(1440, 1000)
        return path

    return take
