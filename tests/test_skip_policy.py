"""The skip policy itself (tests/skip_policy.py): under ZHIYE_SKIP_POLICY=strict a skip or a loose
xfail outside the allowlist turns a run red, a listed one does not, and without the variable
nothing changes. Each case is a small pytest run in a scratch directory (pytester, in process)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TESTS = """
import pytest

def test_passes():
    pass

def test_needs_the_csv():
    pytest.skip("no classification CSV available")
"""
ALLOWING = "test_it.py::test_needs_the_csv | classification CSV | the scratch run has no CSV, on purpose\n"


@pytest.fixture()
def run(pytester, monkeypatch):
    """Run `tests` (a test module's text) with the plugin registered as tests/conftest.py does, the
    given allowlist text, and ZHIYE_SKIP_POLICY set to `policy` (None: unset)."""

    def _run(tests: str = TESTS, allowlist: str = "", policy: str | None = "strict"):
        if policy is None:
            monkeypatch.delenv("ZHIYE_SKIP_POLICY", raising=False)
        else:
            monkeypatch.setenv("ZHIYE_SKIP_POLICY", policy)
        pytester.makeconftest('pytest_plugins = ["skip_policy"]')
        pytester.makepyfile(test_it=tests)
        allow = pytester.path / "allow.txt"
        allow.write_text(allowlist, encoding="utf-8")
        return pytester.runpytest("-p", "no:cacheprovider", "--skip-allowlist", str(allow))

    return _run


def test_an_unlisted_skip_fails_the_run_and_is_named(run):
    result = run()
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*ZHIYE_SKIP_POLICY=strict: 1 test(s) did not run or pass for real*",
            "test_it.py::test_needs_the_csv: skipped: no classification CSV available",
        ]
    )


def test_a_listed_skip_keeps_the_run_green(run):
    result = run(allowlist="# why each skip is fine\n\n" + ALLOWING)
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*1 skip(s) allowed by*allow.txt"])


def test_the_reason_must_match_too(run):
    """An entry allows one reason: the same test skipping for another reason is still red."""
    result = run(allowlist="test_it.py::test_needs_the_csv | Neo4j jars | not this reason\n")
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_without_the_variable_nothing_changes(run):
    for policy in (None, "off"):
        result = run(policy=policy)
        result.assert_outcomes(passed=1, skipped=1)
        assert result.ret == pytest.ExitCode.OK
        assert "ZHIYE_SKIP_POLICY" not in result.stdout.str()


def test_a_module_skipped_by_importorskip_fails_the_run(run, pytester):
    pytester.makepyfile(test_other="def test_passes():\n    pass\n")  # else pytest's own "no tests" (5)
    result = run(tests='import pytest\npytest.importorskip("no_such_module_zhiye")\n\ndef test_x():\n    pass\n')
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["test_it.py: skipped: could not import 'no_such_module_zhiye'*"])


def test_loose_xfails_count_and_strict_ones_do_not(run):
    """A strict xfail that never runs (run=False) could not show a pass either: it counts."""
    tests = """
import pytest

@pytest.mark.xfail(reason="known bug, fails")
def test_loose_xfail():
    assert False

@pytest.mark.xfail(reason="known bug, passes")
def test_loose_xpass():
    pass

@pytest.mark.xfail(reason="known bug, strict", strict=True)
def test_strict_xfail():
    assert False

def test_imperative_xfail():
    pytest.xfail("not done yet")

@pytest.mark.xfail(reason="hangs", strict=True, run=False)
def test_strict_but_never_run():
    pass
"""
    result = run(tests=tests)
    result.assert_outcomes(xfailed=4, xpassed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*4 test(s) did not run or pass for real*"])
    result.stdout.fnmatch_lines(
        [
            "test_it.py::test_loose_xfail: xfailed (not strict): known bug, fails",
            "test_it.py::test_loose_xpass: xpassed (not strict): known bug, passes",
            "test_it.py::test_imperative_xfail: xfailed (not strict): not done yet",
            "test_it.py::test_strict_but_never_run: xfailed (not run): [[]NOTRUN[]] hangs",
        ]
    )
    assert "test_strict_xfail:" not in result.stdout.str()


def test_a_red_run_stays_red_with_its_own_exit_code(run):
    result = run(tests=TESTS + "\ndef test_fails():\n    assert False\n")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*test_needs_the_csv: skipped*"])


def test_an_allowlist_entry_without_a_why_is_refused(run):
    result = run(allowlist="test_it.py::* | CSV\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*allow.txt:1: expected 'NODEID-GLOB | REASON-REGEX | WHY'*"])


def test_the_project_allowlist_parses():
    from skip_policy import ALLOWLIST, read_allowlist

    entries = read_allowlist(ALLOWLIST)
    assert all(e.why for e in entries)
