"""Skip policy: with ZHIYE_SKIP_POLICY=strict, a skip or a non-strict xfail that is not on the
written allowlist fails the run.

Why: CI has everything the suite needs (the classification CSV, the Neo4j jars, schemathesis,
Chromium), so a test that skips there has not run, and a green run would hide it. Fixtures that
know CI needs them already fail under ZHIYE_REQUIRE_FULL / ZHIYE_REQUIRE_NEO4J; this catches the
rest (importorskip, a new skipif, a skip in a new fixture) and xfails that would pass silently
either way. The few skips that can legitimately happen in CI are listed, each with why, in
tests/skip_allowlist.txt (one entry a line: NODEID-GLOB | REASON-REGEX | WHY).

Registered from tests/conftest.py (pytest_plugins); without the variable it does nothing.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ENV = "ZHIYE_SKIP_POLICY"
ALLOWLIST = Path(__file__).with_name("skip_allowlist.txt")


@dataclass(frozen=True)
class Entry:
    """One allowlist line: which tests may skip, for which reason, and why that is fine in CI."""

    nodeid: str  # fnmatch glob over the node id
    reason: str  # regex searched in the skip or xfail reason; empty matches any
    why: str

    def allows(self, nodeid: str, reason: str) -> bool:
        return fnmatch.fnmatchcase(nodeid, self.nodeid) and re.search(self.reason, reason) is not None


@dataclass(frozen=True)
class Offence:
    nodeid: str
    kind: str  # "skipped", "xfailed (not strict)", "xfailed (not run)", "xpassed (not strict)"
    reason: str


def read_allowlist(path: Path) -> list[Entry]:
    """The entries of `path`; a line without all three fields is an error, not a silent allowance."""
    if not path.is_file():
        raise pytest.UsageError(f"{ENV}=strict but the skip allowlist {path} does not exist")
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split(" | ")]
        if len(fields) != 3 or not fields[0] or not fields[2]:
            raise pytest.UsageError(f"{path}:{number}: expected 'NODEID-GLOB | REASON-REGEX | WHY', got {line!r}")
        try:
            re.compile(fields[1])
        except re.error as exc:
            raise pytest.UsageError(f"{path}:{number}: bad reason regex {fields[1]!r}: {exc}") from exc
        entries.append(Entry(*fields))
    return entries


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--skip-allowlist",
        type=Path,
        default=ALLOWLIST,
        help=f"skips allowed under {ENV}=strict (default: tests/skip_allowlist.txt)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Under the policy, register its watcher; the allowlist is read now, so a malformed one stops
    the run before any test."""
    if os.environ.get(ENV) == "strict":
        path = config.getoption("skip_allowlist")
        config.pluginmanager.register(SkipPolicy(path, read_allowlist(path)), "zhiye-skip-policy")


def _strict_xfail(item: pytest.Item) -> bool:
    """Whether the item's xfail is strict and lets the test run (with run=False a pass could never
    show), as pytest itself evaluated the marker for this item (its conditions, `strict`, the ini);
    pytest.xfail() called inside a test has no marker and is never strict."""
    from _pytest.skipping import xfailed_key  # pytest's own evaluation, kept on the item

    xfailed = item.stash.get(xfailed_key, None)
    return xfailed is not None and xfailed.strict and xfailed.run


def _skip_reason(report) -> str:
    """The reason pytest.skip / importorskip / skipif gave ("Skipped: " dropped)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def offence(report, item: pytest.Item | None = None) -> Offence | None:
    """What, if anything, this report hides: a skip, or an xfail / xpass that is not strict."""
    if hasattr(report, "wasxfail"):
        if report.skipped and item is not None and _strict_xfail(item):
            return None  # a strict xfail turns an unexpected pass into a failure: nothing is hidden
        kind = "xpassed (not strict)" if report.passed else "xfailed (not strict)"
        if report.wasxfail.startswith("[NOTRUN]"):
            kind = "xfailed (not run)"
        return Offence(report.nodeid, kind, report.wasxfail)
    if report.skipped:
        return Offence(report.nodeid, "skipped", _skip_reason(report))
    return None


class SkipPolicy:
    """The watcher for one run: sorts every skip and loose xfail into allowed and offending."""

    def __init__(self, path: Path, entries: list[Entry]):
        self.path, self.entries = path, entries
        self.offences: list[Offence] = []
        self.allowed: list[Offence] = []

    def record(self, found: Offence | None) -> None:
        if found is not None:
            allowed = any(e.allows(found.nodeid, found.reason) for e in self.entries)
            (self.allowed if allowed else self.offences).append(found)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        """Test-level skips and xfails; outermost, so it sees the report after pytest's own xfail
        handling, and here rather than in logreport because strictness needs the item."""
        report = yield
        self.record(offence(report, item))
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Module-level skips: importorskip or pytest.skip(allow_module_level=True) skip a whole file."""
        if report.skipped:
            self.record(offence(report))

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """A run whose tests all passed still fails when something was skipped outside the allowlist."""
        if self.offences and exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        """Name each offending test and its reason, and how to mend it."""
        if self.allowed:
            terminalreporter.write_line(f"{ENV}=strict: {len(self.allowed)} skip(s) allowed by {self.path}")
        if not self.offences:
            return
        terminalreporter.write_sep(
            "=", f"{ENV}=strict: {len(self.offences)} test(s) did not run or pass for real", red=True
        )
        for o in self.offences:
            terminalreporter.write_line(f"{o.nodeid}: {o.kind}: {o.reason}", red=True)
        terminalreporter.write_line(
            f"Not on {self.path}. Fix the cause (CI has the CSV, the Neo4j jars and every package), make the "
            "xfail strict, or add a line 'NODEID-GLOB | REASON-REGEX | WHY' saying why this skip is fine in CI."
        )
