"""The Neo4j server: Cypher, vector and CJK fulltext indexes on a real server; state-file handling."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from graph.neo4j import server as neo4j_server
from graph.neo4j.server import Neo4jConnection, Neo4jServerError
from graph.settings import Settings, get_settings


@pytest.fixture()
def tmp_settings(tmp_path: Path, monkeypatch) -> Settings:
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    return Settings(cache_dir=tmp_path, neo4j_heap="512m", neo4j_pagecache="64m")


def _write_state(settings: Settings, **state) -> None:
    settings.neo4j_home.mkdir(parents=True, exist_ok=True)
    (settings.neo4j_home / "state.json").write_text(json.dumps(state))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- a real server (NEO4J_URI, a testcontainer or the Maven-provisioned one) -----------------


@pytest.mark.neo4j
def test_return_1(neo4j_connection: Neo4jConnection) -> None:
    with neo4j_connection.driver() as drv:
        records, _, _ = drv.execute_query("RETURN 1 AS x")
    assert records[0]["x"] == 1


@pytest.fixture()
def scratch_label(neo4j_connection: Neo4jConnection):
    """A label no other test uses; its nodes and indexes are dropped afterwards (the server may be shared)."""
    label = f"ZhiyeTest_{uuid.uuid4().hex[:8]}"
    yield label
    with neo4j_connection.driver() as drv:
        for record in drv.execute_query("SHOW INDEXES YIELD name, labelsOrTypes WHERE $l IN labelsOrTypes "
                                        "RETURN name", l=label).records:  # fmt: skip
            drv.execute_query(f"DROP INDEX `{record['name']}` IF EXISTS")
        drv.execute_query(f"MATCH (n:`{label}`) DETACH DELETE n")


@pytest.mark.neo4j
def test_vector_index(neo4j_connection: Neo4jConnection, scratch_label: str) -> None:
    index = f"{scratch_label}_vec"
    with neo4j_connection.driver() as drv:
        drv.execute_query(
            f"UNWIND $rows AS row CREATE (n:`{scratch_label}` {{name: row.name, embedding: row.v}})",
            rows=[{"name": "east", "v": [1.0, 0.0, 0.0]}, {"name": "north", "v": [0.0, 1.0, 0.0]},
                  {"name": "up", "v": [0.0, 0.0, 1.0]}],
        )  # fmt: skip
        drv.execute_query(
            f"CREATE VECTOR INDEX `{index}` FOR (n:`{scratch_label}`) ON n.embedding OPTIONS {{indexConfig: "
            "{`vector.dimensions`: 3, `vector.similarity_function`: 'cosine'}}"
        )
        drv.execute_query("CALL db.awaitIndexes(120)")
        records, _, _ = drv.execute_query(
            "CALL db.index.vector.queryNodes($index, 2, $q) YIELD node, score RETURN node.name AS name, score",
            index=index, q=[0.9, 0.2, 0.0],
        )  # fmt: skip
    assert [r["name"] for r in records] == ["east", "north"]
    assert records[0]["score"] > records[1]["score"]


@pytest.mark.neo4j
def test_fulltext_index_cjk(neo4j_connection: Neo4jConnection, scratch_label: str) -> None:
    index = f"{scratch_label}_ft"
    titles = ["信息安全测试员", "中式烹调师", "软件测试工程技术人员", "数据库运行管理员"]
    with neo4j_connection.driver() as drv:
        drv.execute_query(f"UNWIND $titles AS t CREATE (:`{scratch_label}` {{name: t}})", titles=titles)
        drv.execute_query(
            f"CREATE FULLTEXT INDEX `{index}` FOR (n:`{scratch_label}`) ON EACH [n.name] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        )
        drv.execute_query("CALL db.awaitIndexes(120)")
        records, _, _ = drv.execute_query(
            "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.name AS name", index=index, q="测试"
        )
        provider = drv.execute_query("SHOW INDEXES YIELD name, indexProvider WHERE name = $n RETURN indexProvider",
                                     n=index).records[0]["indexProvider"]  # fmt: skip
    assert {r["name"] for r in records} == {"信息安全测试员", "软件测试工程技术人员"}
    assert provider.startswith("fulltext")


@pytest.fixture()
def scratch_home(tmp_settings: Settings) -> Settings:
    """A fresh home that links the shared jars (fetched once), for tests that start their own server."""
    try:
        lib = neo4j_server.ensure_jars(get_settings())
        neo4j_server._java()
    except Neo4jServerError as exc:
        if os.environ.get("ZHIYE_REQUIRE_NEO4J") == "1":
            pytest.fail(f"ZHIYE_REQUIRE_NEO4J=1 but {exc}")
        pytest.skip(str(exc))
    tmp_settings.neo4j_home.mkdir(parents=True)
    (tmp_settings.neo4j_home / "lib").symlink_to(lib)
    return tmp_settings


@pytest.mark.neo4j
def test_local_server_lifecycle(scratch_home: Settings) -> None:
    """Start in a scratch home, reuse the running server, stop it; restart from the class-data archive."""
    tmp_settings = scratch_home
    conn = neo4j_server.start(tmp_settings)
    try:
        with conn.driver() as drv:
            assert drv.execute_query("RETURN 1 AS x").records[0]["x"] == 1
        first = neo4j_server.status(tmp_settings)
        assert first["running"] and first["answering"] and first["uri"] == conn.uri
        assert first["rss_mb"] and first["rss_mb"] > 50
        assert oct(os.stat(first["state_file"]).st_mode & 0o777) == "0o600"

        assert neo4j_server.start(tmp_settings) == conn  # reused, not restarted
        assert neo4j_server.status(tmp_settings)["pid"] == first["pid"]
    finally:
        stopped = neo4j_server.stop(tmp_settings)
    assert stopped
    after = neo4j_server.status(tmp_settings)
    assert not after["running"] and after["pid"] is None
    assert not neo4j_server._alive(first["pid"])
    assert after["password"] == conn.password  # kept: the data directory is bound to it
    assert neo4j_server.stop(tmp_settings) is False

    # the clean stop left a class-data archive; the next start loads it and keeps data and password
    state = json.loads(Path(after["state_file"]).read_text())
    assert Path(state["cds_archive"]).is_file() and state["cds_pending"] is None
    again = neo4j_server.start(tmp_settings)
    try:
        assert again.password == conn.password
        with again.driver() as drv:
            assert drv.execute_query("RETURN 2 AS x").records[0]["x"] == 2
        assert json.loads(Path(after["state_file"]).read_text())["cds_pending"] is None
    finally:
        assert neo4j_server.stop(tmp_settings)


@pytest.mark.neo4j
def test_a_server_that_cannot_start_reports_why(scratch_home: Settings) -> None:
    settings = scratch_home.model_copy(update={"neo4j_heap": "lots"})
    with pytest.raises(Neo4jServerError, match="set-initial-password failed(.|\n)*'lots' is not a valid size") as info:
        neo4j_server.start(settings, echo=lambda m: None)
    assert "\tat org.neo4j" not in str(info.value)

    # past the password step, the JVM itself refuses: the error carries the console log's tail
    (settings.neo4j_home / "data" / "databases" / "system").mkdir(parents=True)
    _write_state(settings, password="pw")
    with pytest.raises(Neo4jServerError, match="exited during startup(.|\n)*Invalid (initial|maximum) heap size"):
        neo4j_server.start(settings, echo=lambda m: None)
    st = neo4j_server.status(settings)
    assert not st["running"] and st["pid"] is None


# --- state file, jars and connections, without a server ----------------------------------------


def test_status_of_an_empty_home(tmp_settings: Settings) -> None:
    st = neo4j_server.status(tmp_settings)
    assert not st["running"] and not st["answering"] and not st["jars"]
    assert st["pid"] is None and st["uri"] is None
    assert st["version"].startswith("5.26.")
    assert neo4j_server.connection(tmp_settings) is None
    assert neo4j_server.stop(tmp_settings) is False


@pytest.mark.parametrize("pid", ["dead", "not-neo4j"])
def test_state_of_a_gone_server_is_not_reused(tmp_settings: Settings, pid: str) -> None:
    # "not-neo4j": a live pid that belongs to another program (a recycled pid) must never be signalled
    pid_value = _dead_pid() if pid == "dead" else os.getpid()
    _write_state(tmp_settings, pid=pid_value, port=1, uri="bolt://127.0.0.1:1", user="neo4j", password="pw")
    st = neo4j_server.status(tmp_settings)
    assert not st["running"] and st["pid"] is None and st["uri"] == "bolt://127.0.0.1:1"
    assert neo4j_server.connection(tmp_settings) is None
    assert neo4j_server.stop(tmp_settings) is False
    assert json.loads((tmp_settings.neo4j_home / "state.json").read_text())["password"] == "pw"


def test_start_reuses_a_recorded_server_that_answers(tmp_settings: Settings, monkeypatch) -> None:
    _write_state(tmp_settings, pid=os.getpid(), port=7, uri="bolt://127.0.0.1:7", user="neo4j", password="pw")
    monkeypatch.setattr(neo4j_server, "_is_ours", lambda pid, home: True)
    monkeypatch.setattr(Neo4jConnection, "probe", lambda self, timeout_s=5.0: None)

    def no_launch(*args, **kwargs):
        raise AssertionError("a recorded server that answers must be reused, not relaunched")

    monkeypatch.setattr(neo4j_server, "_launch", no_launch)
    monkeypatch.setattr(neo4j_server, "_ensure_jars", no_launch)
    conn = neo4j_server.start(tmp_settings, echo=lambda m: None)
    assert conn == Neo4jConnection("bolt://127.0.0.1:7", "neo4j", "pw")
    assert neo4j_server.connection(tmp_settings) == conn
    st = neo4j_server.status(tmp_settings)
    assert st["running"] and st["answering"] and st["pid"] == os.getpid()


@pytest.fixture()
def fake_server(tmp_settings: Settings, monkeypatch):
    """A process that looks like this home's Neo4j (same command line) and a probe that says it answers."""
    home = tmp_settings.neo4j_home
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", neo4j_server.ENTRY_POINT,
                             f"--home-dir={home}"])  # fmt: skip
    monkeypatch.setattr(Neo4jConnection, "probe", lambda self, timeout_s=5.0: None)
    yield proc
    proc.kill()
    proc.wait()


@pytest.mark.parametrize("started_by", ["session", "cli"])
def test_the_last_session_out_stops_only_a_session_started_server(
    tmp_settings: Settings, fake_server: subprocess.Popen, started_by: str
) -> None:
    _write_state(tmp_settings, pid=fake_server.pid, port=7, uri="bolt://127.0.0.1:7", password="pw",
                 started_by=started_by)  # fmt: skip
    other_session = tmp_settings.neo4j_home / "leases" / f"{fake_server.pid}-other"  # a live process's lease
    with neo4j_server.shared_server(tmp_settings) as conn:
        assert conn.uri == "bolt://127.0.0.1:7"
        assert neo4j_server.status(tmp_settings)["sessions"] == 1
        other_session.touch()
    assert neo4j_server._alive(fake_server.pid)  # the other session still uses it

    other_session.unlink()
    with neo4j_server.shared_server(tmp_settings):
        pass
    if started_by == "cli":
        assert neo4j_server._alive(fake_server.pid)  # a user's server outlives test sessions
    else:
        fake_server.wait(timeout=10)
        assert neo4j_server.status(tmp_settings)["pid"] is None
    assert neo4j_server.status(tmp_settings)["sessions"] == 0


def test_a_dead_sessions_lease_does_not_keep_the_server(tmp_settings: Settings, fake_server: subprocess.Popen) -> None:
    _write_state(tmp_settings, pid=fake_server.pid, port=7, uri="bolt://127.0.0.1:7", password="pw",
                 started_by="session")  # fmt: skip
    (tmp_settings.neo4j_home / "leases").mkdir()
    (tmp_settings.neo4j_home / "leases" / f"{_dead_pid()}-crashed").touch()
    with neo4j_server.shared_server(tmp_settings):
        pass
    fake_server.wait(timeout=10)
    assert not list((tmp_settings.neo4j_home / "leases").iterdir())


def test_a_damaged_class_data_archive_is_dropped_and_the_start_retried(tmp_settings: Settings, monkeypatch) -> None:
    lib = tmp_settings.neo4j_home / "lib"
    lib.mkdir(parents=True)
    (lib / "x.jar").write_bytes(b"")
    (lib / ".pom.sha256").write_text(hashlib.sha256(neo4j_server.pom_bytes()).hexdigest())
    (tmp_settings.neo4j_home / "data" / "databases" / "system").mkdir(parents=True)
    _write_state(tmp_settings, password="pw")
    archive = neo4j_server._cds_archive(lib.resolve(), "java 17")
    archive.parent.mkdir()
    archive.write_bytes(b"truncated")
    launched: list[list[str]] = []

    class FakeProc:
        pid = os.getpid()

    def fake_launch(java, home, settings, cds):
        launched.append(cds)
        return FakeProc()

    def fake_wait_ready(conn, pid, home, timeout_s):
        if any("SharedArchiveFile" in flag for flag in launched[-1]):
            home.console_log.write_text("# A fatal error has been detected by the Java Runtime Environment:\n#  SIGBUS")
            raise neo4j_server._ExitedAtStartup("SIGBUS")

    (tmp_settings.neo4j_home / "logs").mkdir()
    monkeypatch.setattr(neo4j_server, "_java", lambda: ("java", "java 17"))
    monkeypatch.setattr(neo4j_server, "_launch", fake_launch)
    monkeypatch.setattr(neo4j_server, "_wait_ready", fake_wait_ready)
    monkeypatch.setattr(neo4j_server, "_terminate", lambda pid: True)
    conn = neo4j_server.start(tmp_settings, echo=lambda m: None)
    assert conn.password == "pw"
    assert [flags[0].split("=")[0] for flags in launched] == ["-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit"]
    assert not archive.exists()  # recorded afresh at the next clean stop


def test_class_data_archive_is_recorded_once_then_used(tmp_path: Path) -> None:
    archive = tmp_path / "cds" / "neo4j-abc.jsa"
    flags, pending = neo4j_server._cds_flags(archive)
    assert flags == [f"-XX:ArchiveClassesAtExit={pending}"] and pending.parent == archive.parent
    pending.write_bytes(b"recorded")
    neo4j_server._finish_cds({"cds_pending": str(pending), "cds_archive": str(archive)}, clean=True)
    assert archive.read_bytes() == b"recorded" and not pending.exists()

    killed = archive.with_name("neo4j-abc.0badf00d.pending")  # left by a server killed while recording
    killed.write_bytes(b"trunc")
    assert neo4j_server._cds_flags(archive) == ([f"-XX:SharedArchiveFile={archive}"], None)
    assert not killed.exists()

    cut_short = archive.with_name("neo4j-abc.12345678.pending")
    cut_short.write_bytes(b"trunc")
    neo4j_server._finish_cds({"cds_pending": str(cut_short), "cds_archive": str(archive)}, clean=False)
    assert not cut_short.exists() and archive.read_bytes() == b"recorded"


def test_ensure_jars_runs_maven_only_when_the_pom_changed(tmp_settings: Settings, monkeypatch) -> None:
    calls: list[Path] = []

    def fake_maven(mvn: str, pom: Path, out: Path, echo) -> None:
        calls.append(pom)
        assert pom.read_bytes() == neo4j_server.pom_bytes()
        out.mkdir(parents=True)
        (out / "neo4j-fake.jar").write_bytes(b"jar")

    monkeypatch.setattr(neo4j_server, "_run_maven", fake_maven)
    monkeypatch.setattr(neo4j_server.shutil, "which", lambda name: "/usr/bin/" + name)
    lib = neo4j_server.ensure_jars(tmp_settings, echo=lambda m: None)
    assert lib == tmp_settings.neo4j_home / "lib" and (lib / "neo4j-fake.jar").exists()
    assert (lib / ".pom.sha256").read_text() == hashlib.sha256(neo4j_server.pom_bytes()).hexdigest()
    assert not (tmp_settings.neo4j_home / "lib.partial").exists()

    neo4j_server.ensure_jars(tmp_settings, echo=lambda m: None)
    assert len(calls) == 1  # stamp matches: no Maven

    (lib / ".pom.sha256").write_text("an older pom")
    neo4j_server.ensure_jars(tmp_settings, echo=lambda m: None)
    assert len(calls) == 2
    assert neo4j_server.status(tmp_settings)["jars"]


def test_maven_failure_is_reported_with_its_output(tmp_settings: Settings, monkeypatch) -> None:
    fake_mvn = tmp_settings.cache_dir / "mvn"
    fake_mvn.write_text("#!/bin/sh\necho '[ERROR] Could not resolve dependencies: network is unreachable'\nexit 1\n")
    fake_mvn.chmod(0o755)
    monkeypatch.setattr(neo4j_server.shutil, "which", lambda name: str(fake_mvn))
    with pytest.raises(Neo4jServerError, match="network is unreachable"):
        neo4j_server.ensure_jars(tmp_settings, echo=lambda m: None)
    assert not neo4j_server.status(tmp_settings)["jars"]


def test_connection_from_env(monkeypatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert neo4j_server.connection_from_env(Settings()) is None
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7687")
    monkeypatch.setenv("NEO4J_USER", "reader")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    conn = neo4j_server.connection_from_env(Settings())
    assert conn == Neo4jConnection("bolt://db.example:7687", "reader", "s3cret")
    assert "s3cret" not in repr(conn)


def test_shared_server_rejects_a_neo4j_uri_that_does_not_answer(monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    with pytest.raises(Neo4jServerError, match="does not answer"):
        with neo4j_server.shared_server(Settings(neo4j_timeout_s=2.0)):
            pass
