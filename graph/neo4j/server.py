"""A real Neo4j Community server without Docker: jars from Maven Central, run on this machine's Java.

Everything lives in ``settings.neo4j_home`` (outside the clone): ``lib/`` (the jars and the hash of
the pom they came from), ``cds/`` (a class-data archive that speeds up starts), ``conf/neo4j.conf``
(rewritten at each start), ``data/``, ``logs/``, ``state.json`` (pid, port, password, uri),
``leases/`` (test sessions using the server) and ``lock`` (serialises start/stop across processes).

``shared_server()`` serves test sessions and benchmarks: ``NEO4J_URI`` if set, else this module's
server, kept up by a lease per session until the last one ends.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import BackendUnavailable
from graph.settings import Settings, get_settings

if TYPE_CHECKING:
    import neo4j

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"
POM_RESOURCE = "pom.xml"
STAMP = ".pom.sha256"

# The defaults of the 5.26 tarball's neo4j.conf, minus -XX:+AlwaysPreTouch: pre-touching would make
# an idle dev server resident at its full heap + page cache.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

Echo = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Neo4jServerError(BackendUnavailable):
    """The local Neo4j server could not be provisioned, started or reached."""


class _ExitedAtStartup(Neo4jServerError):
    """The server process died before it answered."""


@dataclass(frozen=True)
class Neo4jConnection:
    """Where a Neo4j server answers, and as whom."""

    uri: str
    user: str = "neo4j"
    password: str | None = dataclasses.field(default=None, repr=False)

    def driver(self, **config: Any) -> neo4j.Driver:
        """A new driver for this server; the caller closes it."""
        from neo4j import GraphDatabase

        auth = (self.user, self.password) if self.password is not None else None
        return GraphDatabase.driver(self.uri, auth=auth, **config)

    def probe(self, timeout_s: float = 5.0) -> str | None:
        """None when the server answers ``RETURN 1``, else why not."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            with self.driver(
                connection_timeout=timeout_s,
                connection_acquisition_timeout=timeout_s,
                max_transaction_retry_time=timeout_s,
            ) as drv:
                drv.verify_connectivity()
                drv.execute_query("RETURN 1")
        except (DriverError, Neo4jError, OSError) as exc:
            return f"{type(exc).__name__}: {exc}"
        return None


# --- layout, pom, state ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Home:
    root: Path

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def conf(self) -> Path:
        return self.root / "conf"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state(self) -> Path:
        return self.root / "state.json"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    def initialised(self) -> bool:
        """True once the server has created its system database (the password is then fixed)."""
        return (self.data / "databases" / "system").exists()


def _home(settings: Settings) -> _Home:
    # absolute: the server runs with the home as its working directory
    return _Home(Path(settings.neo4j_home).expanduser().absolute())


def pom_bytes() -> bytes:
    return resources.files("graph.neo4j").joinpath(POM_RESOURCE).read_bytes()


def neo4j_version() -> str:
    """The Neo4j version the shipped pom pins."""
    m = re.search(rb"<neo4j\.version>\s*([^<\s]+)\s*</neo4j\.version>", pom_bytes())
    return m.group(1).decode() if m else "unknown"


def _read_state(home: _Home) -> dict[str, Any]:
    try:
        return json.loads(home.state.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_state(home: _Home, state: dict[str, Any]) -> None:
    home.root.mkdir(parents=True, exist_ok=True)
    tmp = home.state.with_suffix(".tmp")
    # the password is in here
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(state, f, indent=2)
    os.replace(tmp, home.state)


def _recorded_connection(state: dict[str, Any]) -> Neo4jConnection | None:
    if not state.get("uri") or not state.get("password"):
        return None
    return Neo4jConnection(state["uri"], state.get("user", "neo4j"), state["password"])


@contextlib.contextmanager
def _locked(home: _Home) -> Iterator[None]:
    import fcntl  # POSIX only, so not at import time

    home.root.mkdir(parents=True, exist_ok=True)
    with open(home.root / "lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --- processes -----------------------------------------------------------------------------

# Servers this process started: they must be reaped, or they linger as zombies that look alive.
_children: dict[int, subprocess.Popen] = {}


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _running_pid(state: dict[str, Any], home: _Home) -> int | None:
    """The recorded server's process id when that process is alive and this home's Neo4j, else None."""
    pid: int | None = state.get("pid")
    return pid if pid and _alive(pid) and _is_ours(pid, home) else None


def _is_ours(pid: int, home: _Home) -> bool:
    """Guards against a recycled pid: the process must be this home's Neo4j."""
    if not Path("/proc/self").exists():  # no procfs (macOS): trust the state file
        return True
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return ENTRY_POINT in args and f"--home-dir={home.root}" in args


def _rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return round(int(m.group(1)) / 1024, 1) if m else None


def _terminate(pid: int, grace_s: float = 60.0) -> bool:
    """SIGTERM, then SIGKILL after ``grace_s``; True if the process shut down cleanly."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    clean = not _alive(pid)
    if not clean:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)
    child = _children.pop(pid, None)
    if child is not None:
        child.wait()
    return clean


def _free_port(preferred: int | None) -> int:
    """The port used last time when it is free (stable URIs), else any free loopback port."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            # as the server's own listener does, so a port left in TIME_WAIT by the last run counts as free
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise Neo4jServerError("no free loopback port")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"({path} not written)"
    return f"--- last lines of {path} ---\n" + "\n".join(text.splitlines()[-lines:])


# --- jars ----------------------------------------------------------------------------------


def _jars_ready(lib: Path, digest: str) -> bool:
    stamp = lib / STAMP
    return stamp.is_file() and stamp.read_text().strip() == digest and any(lib.glob("*.jar"))


def _run_maven(mvn: str, pom: Path, out: Path, echo: Echo) -> None:
    """Copy the pom's runtime dependencies into ``out``, echoing download progress."""
    cmd = [mvn, "-B", "-f", str(pom), DEPENDENCY_PLUGIN, f"-DoutputDirectory={out}", "-DincludeScope=runtime"]
    proc = subprocess.Popen(cmd, cwd=pom.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tail: collections.deque[str] = collections.deque(maxlen=40)
    downloads = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        tail.append(line.rstrip())
        if "Downloaded from" in line:
            downloads += 1
            if downloads % 100 == 0:
                echo(f"  ... {downloads} files downloaded")
    if rc := proc.wait():
        raise Neo4jServerError(f"Maven failed (exit {rc}) fetching the Neo4j jars:\n" + "\n".join(tail))


def _ensure_jars(settings: Settings, echo: Echo) -> Path:
    home = _home(settings)
    pom = pom_bytes()
    digest = hashlib.sha256(pom).hexdigest()
    if _jars_ready(home.lib, digest):
        return home.lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError("Maven (mvn) is not on PATH; it is needed once to fetch the Neo4j jars")
    home.root.mkdir(parents=True, exist_ok=True)
    pom_path = home.root / "pom.xml"
    pom_path.write_bytes(pom)
    partial = home.root / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    echo(f"Fetching Neo4j {neo4j_version()} jars from Maven Central into {home.lib} (once; about a minute) ...")
    t0 = time.monotonic()
    _run_maven(mvn, pom_path, partial, echo)
    jars = list(partial.glob("*.jar"))
    if not jars:
        raise Neo4jServerError(f"Maven reported success but copied no jars into {partial}")
    (partial / STAMP).write_text(digest)
    size_mb = sum(j.stat().st_size for j in jars) / 2**20
    # swap in whole, so an interrupted fetch never leaves a half-filled lib/ that looks ready
    if home.lib.is_symlink() or home.lib.is_file():
        home.lib.unlink()
    else:
        shutil.rmtree(home.lib, ignore_errors=True)
    partial.rename(home.lib)
    echo(f"Fetched {len(jars)} jars ({size_mb:.0f} MB) in {time.monotonic() - t0:.0f} s.")
    return home.lib


def ensure_jars(settings: Settings | None = None, echo: Echo = _stderr) -> Path:
    """The directory of Neo4j jars, fetched with Maven unless present for the current pom."""
    settings = settings or get_settings()
    home = _home(settings)
    if _jars_ready(home.lib, hashlib.sha256(pom_bytes()).hexdigest()):
        return home.lib
    with _locked(home):  # another process may be fetching right now
        return _ensure_jars(settings, echo)


# --- the server ----------------------------------------------------------------------------


def _java() -> tuple[str, str]:
    """The java executable and its ``-version`` text."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise Neo4jServerError("Java (17 or 21) is not installed or not on PATH; Neo4j 5.26 needs it")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    m = re.search(r'version "(\d+)', out)
    if not m or int(m.group(1)) < 17:
        raise Neo4jServerError(f"Neo4j 5.26 needs Java 17 or 21; {java} is: {out.strip()[:200]}")
    return java, out


def _env(home: _Home) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(home.root), "NEO4J_CONF": str(home.conf)}


def _write_conf(home: _Home, settings: Settings, port: int) -> None:
    home.conf.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Written by graph/neo4j/server.py at every start; edits here are lost.",
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        f"server.directories.data={home.data}",
        f"server.directories.logs={home.logs}",
        f"server.directories.run={home.root / 'run'}",
        f"server.directories.import={home.root / 'import'}",
        f"server.directories.plugins={home.root / 'plugins'}",
        "dbms.security.auth_enabled=true",
        f"server.memory.heap.initial_size={settings.neo4j_heap}",
        f"server.memory.heap.max_size={settings.neo4j_heap}",
        f"server.memory.pagecache.size={settings.neo4j_pagecache}",
        "dbms.usage_report.enabled=false",
    ]
    (home.conf / "neo4j.conf").write_text("\n".join(lines) + "\n")


def _set_initial_password(java: str, home: _Home, password: str) -> None:
    cmd = [java, "-cp", str(home.lib / "*"), ADMIN_TOOL, "dbms", "set-initial-password", password]
    done = subprocess.run(cmd, env=_env(home), cwd=home.root, capture_output=True, text=True, timeout=300)
    if done.returncode:
        # the message, without the Java stack frames
        lines = [ln for ln in (done.stdout + done.stderr).splitlines() if not ln.lstrip().startswith(("at ", "..."))]
        raise Neo4jServerError("neo4j-admin dbms set-initial-password failed:\n" + "\n".join(lines[-10:]))


def _cds_archive(lib: Path, java_version: str) -> Path:
    """Where the class-data-sharing archive for these jars and this JVM lives (beside the jars' dir)."""
    key = hashlib.sha256(f"{java_version}\n{(lib / STAMP).read_text()}".encode()).hexdigest()[:16]
    return lib.parent / "cds" / f"neo4j-{key}.jsa"


def _cds_flags(archive: Path) -> tuple[list[str], Path | None]:
    """JVM flags that use the archive, or record one at exit; and the file being recorded.

    Loading Neo4j's ~20k classes dominates startup on a small machine; with the archive a start
    takes about a third of the time. The first clean stop records it (stop() renames it into place).
    """
    if archive.is_file():
        # recordings still pending are redundant now (a server killed mid-recording leaves one behind)
        for stale in archive.parent.glob(f"{archive.stem}.*.pending"):
            stale.unlink(missing_ok=True)
        return [f"-XX:SharedArchiveFile={archive}"], None
    archive.parent.mkdir(parents=True, exist_ok=True)
    pending = archive.with_name(f"{archive.stem}.{secrets.token_hex(4)}.pending")
    return [f"-XX:ArchiveClassesAtExit={pending}"], pending


def _launch(java: str, home: _Home, settings: Settings, cds: list[str]) -> subprocess.Popen:
    home.logs.mkdir(parents=True, exist_ok=True)
    # the resolved jar directory: the archive is only valid for the exact classpath it was recorded with
    cmd = [
        java, f"-Xms{settings.neo4j_heap}", f"-Xmx{settings.neo4j_heap}", *JVM_FLAGS, *cds,
        f"-XX:ErrorFile={home.logs / 'hs_err_pid%p.log'}",
        "-cp", str(home.lib.resolve() / "*"), ENTRY_POINT, f"--home-dir={home.root}", f"--config-dir={home.conf}",
    ]  # fmt: skip
    with open(home.console_log, "ab") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {ENTRY_POINT}\n".encode())
        log.flush()
        # own session: the server outlives `zhiye neo4j start` and ignores the terminal's Ctrl-C
        proc = subprocess.Popen(
            cmd, cwd=home.root, env=_env(home), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    _children[proc.pid] = proc
    return proc


def _wait_ready(conn: Neo4jConnection, pid: int, home: _Home, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    why: str | None = "not probed yet"
    while True:
        if not _alive(pid):
            raise _ExitedAtStartup(
                f"Neo4j exited during startup ({why}).\n{_tail(home.console_log)}\n{_tail(home.logs / 'neo4j.log')}"
            )
        if (why := conn.probe(timeout_s=2.0)) is None:
            return
        if time.monotonic() > deadline:
            _terminate(pid)
            raise Neo4jServerError(
                f"Neo4j did not answer on {conn.uri} within {timeout_s:.0f} s (last: {why}); stopped it.\n"
                f"{_tail(home.console_log)}\n{_tail(home.logs / 'neo4j.log')}"
            )
        time.sleep(0.5)


def _jvm_crashed(home: _Home, console_at: int) -> bool:
    """Whether the JVM itself died (not Neo4j refusing to start) since ``console_at`` in the console log."""
    try:
        with open(home.console_log, "rb") as f:
            f.seek(console_at)
            out = f.read()
    except OSError:
        return False
    return b"A fatal error has been detected by the Java Runtime" in out or b"shared archive" in out


def _start(settings: Settings, echo: Echo, by: str = "cli", lease: str | None = None) -> Neo4jConnection:
    """The running server's connection, starting it if needed.

    ``by`` ("cli" or "session") is recorded: a server a user started is never stopped by a test
    session. ``lease`` registers the caller as a user of the server in the same locked step.
    """
    home = _home(settings)
    with _locked(home):
        if not lease:
            return _start_locked(settings, home, echo, by)
        _lease_dir(home).mkdir(parents=True, exist_ok=True)
        (_lease_dir(home) / lease).touch()
        try:
            return _start_locked(settings, home, echo, by)
        except BaseException:
            (_lease_dir(home) / lease).unlink(missing_ok=True)
            raise


def _start_locked(settings: Settings, home: _Home, echo: Echo, by: str) -> Neo4jConnection:
    """Start or reuse the server; the caller holds the lock."""
    state = _read_state(home)
    conn, pid = _recorded_connection(state), state.get("pid")
    if pid and _alive(pid) and _is_ours(pid, home):
        if conn is not None and conn.probe(timeout_s=settings.neo4j_timeout_s) is None:
            if by == "cli" and state.get("started_by") != "cli":
                _write_state(home, {**state, "started_by": "cli"})
            return conn
        echo(f"Neo4j pid {pid} does not answer; restarting it")
        _finish_cds(state, clean=_terminate(pid))

    lib = _ensure_jars(settings, echo)
    java, java_version = _java()
    password = state.get("password")
    port = _free_port(state.get("port"))
    _write_conf(home, settings, port)
    if not home.initialised():
        # hex: a urlsafe token starts with '-' one time in 64, and neo4j-admin then reads it as an
        # option and prints its usage (seen in CI)
        password = password or secrets.token_hex(18)
        _set_initial_password(java, home, password)
    elif not password:
        raise Neo4jServerError(
            f"{home.data} holds a Neo4j whose password is not recorded in {home.state}; "
            f"delete {home.data} to start afresh"
        )

    conn = Neo4jConnection(f"bolt://127.0.0.1:{port}", "neo4j", password)
    echo(f"Starting Neo4j {neo4j_version()} on {conn.uri} (heap {settings.neo4j_heap}, page cache "
         f"{settings.neo4j_pagecache}; logs in {home.logs}) ...")  # fmt: skip
    t0 = time.monotonic()
    archive = _cds_archive(lib.resolve(), java_version)
    for attempt in (1, 2):
        cds, pending = _cds_flags(archive)
        console_at = home.console_log.stat().st_size if home.console_log.exists() else 0
        proc = _launch(java, home, settings, cds)
        state = {
            "pid": proc.pid, "port": port, "uri": conn.uri, "user": conn.user, "password": password,
            "version": neo4j_version(), "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "cds_archive": str(archive), "cds_pending": str(pending) if pending else None,
            "started_by": by,
        }  # fmt: skip
        _write_state(home, state)  # before waiting, so stop() finds a server that hangs at startup
        try:
            _wait_ready(conn, proc.pid, home, settings.neo4j_start_timeout_s)
            break
        except BaseException as exc:
            _terminate(proc.pid)
            _finish_cds(state, clean=False)
            _write_state(home, {**state, "pid": None, "cds_pending": None})
            # a damaged archive crashes the JVM outright; it is only a cache, so drop it and retry
            if (
                isinstance(exc, _ExitedAtStartup)
                and pending is None
                and attempt == 1
                and _jvm_crashed(home, console_at)
            ):
                echo(f"Neo4j died at startup with the class-data archive {archive.name}; retrying without it")
                archive.unlink(missing_ok=True)
                continue
            raise
    state["ready_s"] = round(time.monotonic() - t0, 1)
    _write_state(home, state)
    echo(f"Neo4j is ready on {conn.uri} after {state['ready_s']} s (pid {proc.pid}).")
    return conn


def start(settings: Settings | None = None, echo: Echo = _stderr) -> Neo4jConnection:
    """Start the local server (fetching jars first if needed), or reuse the recorded one if it answers."""
    return _start(settings or get_settings(), echo)


def stop(settings: Settings | None = None) -> bool:
    """Stop the local server recorded in the state file; False if none was running."""
    home = _home(settings or get_settings())
    with _locked(home):
        return _stop_locked(home)


def _stop_locked(home: _Home) -> bool:
    state = _read_state(home)
    pid = _running_pid(state, home)
    running = pid is not None
    if pid is not None:
        _finish_cds(state, clean=_terminate(pid))
    if state:
        # keep the password: the data directory is bound to it
        _write_state(home, {**state, "pid": None, "cds_pending": None})
    return running


def _lease_dir(home: _Home) -> Path:
    return home.root / "leases"


def _live_leases(home: _Home) -> list[str]:
    """Leases (``<pid>-<token>``) of processes still alive; those of dead ones are removed."""
    live = []
    for path in _lease_dir(home).glob("*-*"):
        pid = path.name.split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            live.append(path.name)
        else:
            path.unlink(missing_ok=True)
    return live


def _release(settings: Settings, lease: str) -> None:
    """Drop a session's lease; the last session out stops a server that a session started."""
    home = _home(settings)
    with _locked(home):
        (_lease_dir(home) / lease).unlink(missing_ok=True)
        if not _live_leases(home) and _read_state(home).get("started_by") == "session":
            _stop_locked(home)


def _finish_cds(state: dict[str, Any], clean: bool) -> None:
    """Move an archive recorded at a clean exit into place; drop one a killed JVM may have cut short."""
    pending = state.get("cds_pending")
    if not pending or not Path(pending).exists():
        return
    if clean and state.get("cds_archive"):
        os.replace(pending, state["cds_archive"])
    else:
        Path(pending).unlink()


def status(settings: Settings | None = None) -> dict[str, Any]:
    """What the state file says, checked against the process table and a Bolt probe."""
    settings = settings or get_settings()
    home = _home(settings)
    state = _read_state(home)
    pid = _running_pid(state, home)
    running = pid is not None
    conn = _recorded_connection(state)
    answering = running and conn is not None and conn.probe(timeout_s=settings.neo4j_timeout_s) is None
    return {
        "running": running,
        "answering": answering,
        "pid": pid if running else None,
        "uri": state.get("uri"),
        "user": state.get("user", "neo4j"),
        "password": state.get("password"),
        "version": state.get("version") or neo4j_version(),
        "rss_mb": _rss_mb(pid) if pid is not None else None,
        "ready_s": state.get("ready_s"),
        "started_by": state.get("started_by"),
        "sessions": len(_live_leases(home)),
        "home": str(home.root),
        "jars": _jars_ready(home.lib, hashlib.sha256(pom_bytes()).hexdigest()),
        "state_file": str(home.state),
        "log": str(home.logs / "neo4j.log"),
    }


# --- where a server comes from --------------------------------------------------------------


def connection_from_env(settings: Settings | None = None) -> Neo4jConnection | None:
    """The server named by NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, if NEO4J_URI is set."""
    settings = settings or get_settings()
    if not settings.neo4j_uri:
        return None
    return Neo4jConnection(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)


def connection(settings: Settings | None = None) -> Neo4jConnection | None:
    """NEO4J_URI if set, else the local server when it runs (not probed), else None."""
    settings = settings or get_settings()
    if (conn := connection_from_env(settings)) is not None:
        return conn
    home = _home(settings)
    state = _read_state(home)
    if _running_pid(state, home) is not None:
        return _recorded_connection(state)
    return None


@contextlib.contextmanager
def shared_server(settings: Settings | None = None, echo: Echo = _stderr) -> Iterator[Neo4jConnection]:
    """A Neo4j that answers, for the duration of the block, for a process that needs one a while (a test
    session, a benchmark): NEO4J_URI if set; else the local server, started if need be and stopped on exit
    if a session started it and no other session (process) still uses it. (The test suite's fixture tries
    a testcontainers Neo4j first when a Docker engine answers: tests/neo4j_containers.py.)
    """
    settings = settings or get_settings()
    if (conn := connection_from_env(settings)) is not None:
        if (why := conn.probe(timeout_s=settings.neo4j_timeout_s)) is not None:
            raise Neo4jServerError(f"NEO4J_URI={conn.uri} does not answer: {why}")
        yield conn
        return
    # concurrent test sessions share one server; a lease per session keeps it up until the last ends
    lease = f"{os.getpid()}-{secrets.token_hex(4)}"
    conn = _start(settings, echo, by="session", lease=lease)
    try:
        yield conn
    finally:
        _release(settings, lease)
