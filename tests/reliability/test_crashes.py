"""Crashes where they hurt most, with SIGKILL rather than an injected exception: at the generation
switch, and during a Neo4j load; and readers that keep reading while a load runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.build.generations import current_generation, write_generation

ROOT = Path(__file__).resolve().parents[2]
CONTENTS = [f"generation {i}\n".encode() * 2000 for i in range(4)]  # four, so old ones get pruned too

SWITCHER = """
import itertools, sys
from pathlib import Path
from graph.build.generations import write_generation
contents = [f"generation {i}\\n".encode() * 2000 for i in range(4)]
state = Path(sys.argv[1])
print("ready", flush=True)
for i in itertools.count(1):
    write_generation(state, {"dataset.json": contents[i % 4]})
"""


def _killed_after(
    args: list[str], delay_s: float = 0.0, until: Callable[[], bool] | None = None, ready: str = "ready"
) -> None:
    """Run a Python child until it prints `ready`, let it work `delay_s` (and until `until()` holds), then
    SIGKILL it."""
    proc = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline()
        assert ready in line, f"the child did not start: {line!r} {proc.stderr.read()[-2000:]}"
        time.sleep(delay_s)
        deadline = time.monotonic() + 300
        while until is not None and not until():
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()[-2000:]
            time.sleep(0.1)
        assert proc.poll() is None, f"the child ended before the kill: {proc.stderr.read()[-2000:]}"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_a_kill_at_the_generation_switch_leaves_a_whole_generation_current(tmp_path):
    """A process writing and switching generations as fast as it can (so most of its time is spent in the
    write, the switch and the pruning) is killed at 24 moments: each time `current` names a complete
    generation whose checksums verify, and the next write cleans up after the dead one."""
    state = tmp_path / "state"
    write_generation(state, {"dataset.json": CONTENTS[0]})
    for i in range(24):
        _killed_after(["-c", SWITCHER, str(state)], delay_s=0.002 + 0.013 * i)
        served = current_generation(state)  # raises CorruptGeneration if the checksums do not verify
        assert (served / "dataset.json").read_bytes() in CONTENTS, i
    final = write_generation(state, {"dataset.json": b"after the crashes\n"})
    assert current_generation(state) == final
    leftovers = [p.name for p in (state / "generations").iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers  # the dead writers' temporaries are gone
    assert len([p for p in (state / "generations").iterdir()]) <= 3


LOADER = """
import sys
from pathlib import Path
import neo4j
from graph.neo4j.load import load_generation
uri, user, password, generation = sys.argv[1:5]
with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
    print("ready", flush=True)
    load_generation(driver, Path(generation), log=lambda m: None)
"""


@pytest.mark.neo4j
@pytest.mark.full
def test_a_neo4j_load_killed_midway_leaves_the_previous_graph_served(
    neo4j_connection, neo4j_driver, fixture_build, full_build, encoder
):
    """`load_generation` of the full graph killed with SIGKILL once it has written nodes: readers still get the
    fixture graph, whole; loading the same generation again afterwards gives exact counts (the half-written
    nodes of the killed load do not double)."""
    from neo4j_fixtures import neo4j_store_on

    from graph.neo4j.load import load_generation
    from graph.neo4j.store import Neo4jStore

    before = neo4j_store_on(neo4j_driver, fixture_build[1].generation, encoder).stats()
    generation = full_build[1].generation
    with neo4j_driver.session() as session:  # an earlier test may have loaded it: the kill must find it unwritten
        session.run(
            "MATCH (n:Entity {gen: $gen}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
            gen=generation.name,
        ).consume()
    args = ["-c", LOADER, neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password, str(generation)]

    def writing() -> bool:  # killed only once the load has written nodes of the new generation
        rows, _, _ = neo4j_driver.execute_query(
            "MATCH (n:Entity {gen: $gen}) RETURN count(n) > 0 AS started", gen=generation.name
        )
        return bool(rows[0]["started"])

    _killed_after(args, until=writing)
    reader = Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60)
    assert reader.gen == fixture_build[1].generation.name
    assert reader.stats().nodes == before.nodes and reader.stats().relationships == before.relationships
    assert reader.profile("信息安全测试员").work_types == ["渗透测试员"]
    load_generation(neo4j_driver, generation, log=lambda m: None)
    after = Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60).stats()
    assert after.nodes == full_build[1].dataset.stats()["nodes"]
    assert after.relationships == full_build[1].dataset.stats()["relationships"]


@pytest.mark.neo4j
@pytest.mark.full
def test_readers_during_a_load_see_one_whole_generation_or_the_next(neo4j_driver, fixture_build, full_build, encoder):
    """Two threads query while the full graph loads: every answer succeeds and is wholly the fixture
    graph's or wholly the full graph's (never a mix), and once the load has returned, the full graph's."""
    from neo4j_fixtures import neo4j_store_on

    from graph.neo4j.load import load_generation
    from graph.neo4j.store import Neo4jStore

    neo4j_store_on(neo4j_driver, fixture_build[1].generation, encoder)
    expected = {
        fixture_build[1].generation.name: fixture_build[1].dataset.stats()["nodes"],
        full_build[1].generation.name: full_build[1].dataset.stats()["nodes"],
    }
    seen: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                stats = Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60).stats()
                seen.append((stats.meta["generation"], stats.nodes))
            except BaseException as exc:  # every failure is reported by the test, not lost in the thread
                errors.append(exc)
            time.sleep(0.05)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        load_generation(neo4j_driver, full_build[1].generation, log=lambda m: None)
    finally:
        done.set()
        for t in readers:
            t.join(timeout=60)
    assert not errors, errors[:3]
    assert len(seen) > 10, "the readers hardly read during the load"
    assert all(expected.get(gen) == nodes for gen, nodes in seen), [s for s in seen if expected.get(s[0]) != s[1]][:5]
    assert {gen for gen, _ in seen} <= set(expected)
    final = Neo4jStore(neo4j_driver, lambda: encoder, timeout_s=60).stats()
    assert final.meta["generation"] == full_build[1].generation.name
