"""Faults: a build killed with SIGKILL midway, corrupted persisted graph files, Neo4j going away."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.build.generations import CHECKSUMS, CorruptGeneration, current_generation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def built_state(sources_copy, tmp_path, encoder):
    from graph.build.pipeline import build
    from graph.settings import Settings

    settings = Settings(state_dir=tmp_path / "state", curated_dir=sources_copy, sources_dir=sources_copy / "sources")
    settings.state_dir.mkdir()
    build(settings, None, log=lambda m: None, encoder=encoder)
    return settings


# (b) -------------------------------------------------------------------------------------------
def test_build_killed_midway_keeps_the_previous_generation(built_state, tmp_path, encoder):
    """`python -m api.cli build` killed with SIGKILL during encoding: the previous generation stays current,
    its checksums verify and the embedded store loads it."""
    from graph.embedded.store import EmbeddedStore

    before = current_generation(built_state.state_dir)
    before_files = {p.name: p.read_bytes() for p in before.iterdir()}
    # change a source so the build cannot be a no-op, and give it an empty embedding cache so encoding
    # takes long enough to be interrupted
    manifest = built_state.sources_dir / "manifest.json"
    data = json.loads(manifest.read_text())
    data["documents"][0]["title"] += "（改）"
    manifest.write_text(json.dumps(data, ensure_ascii=False))
    env = {
        **os.environ,
        "ZHIYE_STATE_DIR": str(built_state.state_dir),
        "ZHIYE_SOURCES_DIR": str(built_state.sources_dir),
        "ZHIYE_CURATED_DIR": str(built_state.curated_dir),
        "ZHIYE_CACHE_DIR": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "ZHIYE_ENCODE_THREADS": "1",
    }
    (tmp_path / "cache").mkdir()
    models = Path(built_state.cache_dir) / "models"
    if models.is_dir():
        (tmp_path / "cache" / "models").symlink_to(models)  # the model, not the embeddings
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "build"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = ""
    deadline = time.monotonic() + 120
    try:
        # "parsed and resolved" is logged just before the encoder starts; kill shortly after
        while "parsed and resolved" not in seen:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                pytest.fail(f"the build ended before encoding (rc {proc.returncode}): {seen[-2000:]}")
            seen += line
            assert time.monotonic() < deadline, seen[-2000:]
        time.sleep(1.5)
        assert proc.poll() is None, "the build finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    after = current_generation(built_state.state_dir)  # verifies the checksums
    assert after == before
    assert {p.name: p.read_bytes() for p in after.iterdir()} == before_files
    store = EmbeddedStore(after, lambda: encoder)
    assert store.stats().nodes
    assert store.profile("信息安全测试员").name_zh == "信息安全测试员"


# (c) -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "checksums"])
def test_a_corrupted_generation_is_detected(built_state, damage):
    gen = current_generation(built_state.state_dir)
    target = gen / "dataset.json"
    if damage == "flip":
        raw = bytearray(target.read_bytes())
        raw[len(raw) // 2] ^= 0x01
        target.write_bytes(bytes(raw))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "delete":
        (gen / "vectors.npy").unlink()
    else:
        (gen / CHECKSUMS).write_text("{not json")
    with pytest.raises(CorruptGeneration) as e:
        current_generation(built_state.state_dir)
    message = str(e.value)
    assert str(gen) in message and "zhiye build" in message


def test_a_corrupted_generation_answers_503_in_the_error_shape(built_state):
    from api.app import create_app

    gen = current_generation(built_state.state_dir)
    (gen / "lexical.json").write_bytes(b"{}")
    c = TestClient(create_app(built_state))
    r = c.get("/ready")
    assert r.status_code == 503
    err = r.json()["error"]
    assert err["code"] == "unavailable" and "lexical.json" in err["message"] and "checksum" in err["message"]
