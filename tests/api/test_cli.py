"""The CLI's JSON shapes, read by scripts and mirrored by the HTTP API."""

import json

import pytest
from typer.testing import CliRunner


@pytest.fixture()
def cli(full_build, monkeypatch):
    from api.cli import _register_optional, app
    from graph.settings import get_settings

    monkeypatch.setenv("ZHIYE_STATE_DIR", str(full_build[0].state_dir))
    get_settings.cache_clear()
    _register_optional()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_settings.cache_clear()


def test_directions_json_lists_network_and_system_security_first(cli):
    out = cli("directions", "信息安全测试员", "--json")
    assert out.exit_code == 0, out.output
    directions = json.loads(out.output)["directions"]
    assert directions[0]["name"] == "网络与系统安全" and directions[0]["score"] > 0
    assert any(e["kind"] == "task" for e in directions[0]["evidence"])


def test_search_and_similar_json_shapes(cli):
    results = json.loads(cli("search", "渗透测试", "--labels", "Occupation", "--json").output)["results"]
    assert results and {"label", "id", "name", "code", "score", "evidence"} <= set(results[0])
    assert all(r["label"] == "Occupation" for r in results)
    similar = json.loads(cli("similar", "信息安全测试员", "--json").output)["results"]
    assert {"code", "name_zh", "score", "shared_skills"} <= set(similar[0])


def test_batches_say_what_was_resolved_and_raised(fixture_build, monkeypatch):
    """`zhiye batches`: 2020-02 is 15 of 16 with the 16th named; the 2020 third batch 9 new + 3 raised."""
    from api.cli import app
    from graph.settings import get_settings

    monkeypatch.setenv("ZHIYE_STATE_DIR", str(fixture_build[0].state_dir))
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["batches"], env={"COLUMNS": "200"})
        assert out.exit_code == 0, out.output
        assert "15 of 16 resolved" in out.output and "9 new + 3 raised" in out.output
        assert "raised from work types of 公共卫生辅助服务员: " in out.output
        assert "unresolved: Environmental Testing Personnel for Electrical and Electronic Products (002_" in out.output
        data = json.loads(CliRunner().invoke(app, ["batches", "--json"]).output)["batches"]
        assert [b["summary"] for b in data if b["id"] == "batch:2020-02"] == ["15 of 16 resolved"]
        shown = CliRunner().invoke(app, ["show", "防疫员"], env={"COLUMNS": "200"})
        assert "2020-06 (raised from a work type of 公共卫生辅助服务员)" in shown.output, shown.output
    finally:
        get_settings.cache_clear()


def test_unknown_name_exits_non_zero_with_suggestions(cli):
    out = cli("show", "信息安全测试")
    assert out.exit_code != 0 and "信息安全测试员" in str(out.exception or out.output)


def test_code_one_title_and_a_whole_file(cli, tmp_path):
    one = json.loads(cli("code", "【急招】外卖骑手 8000+", "--json").output)
    assert one["cleaned"] == "外卖骑手" and one["best"]["code"] == "4-10-08-01"
    titles = tmp_path / "survey.csv"
    titles.write_text(
        "id,job title\n1,网约车司机\n2,drone pilot\n3,奶茶店店员（包住）\n4,普工/操作工\n", encoding="utf-8"
    )
    out = tmp_path / "coded.csv"
    result = cli("code", "--file", str(titles), "--column", "job title", "--out", str(out))
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["code"] for r in rows[:2]] == ["4-02-02-01", "4-02-04-06"]
    assert [r["level"] for r in rows[:2]] == ["occupation", "occupation"]
    assert all(r["level"] in ("occupation", "major group", "medium group", "minor group") for r in rows)
    assert all(0 <= float(r["confidence"]) <= 1 and r["no_good_match"] in ("yes", "no") for r in rows)
    bad = cli("code", "--file", str(titles), "--column", "nope")
    assert bad.exit_code != 0 and "no column 'nope'" in str(bad.exception or bad.output)


def test_analyze_a_job_ad_from_standard_input(full_build, monkeypatch, tmp_path):
    """`zhiye analyze -` with a job ad pasted from a recruiting site: its occupation, the skills it names and
    the sentences behind each, as a table and as JSON."""
    from api.cli import _register_optional, app
    from graph.settings import get_settings

    monkeypatch.setenv("ZHIYE_STATE_DIR", str(full_build[0].state_dir))
    get_settings.cache_clear()
    _register_optional()
    ad = (
        "【急招】电焊工 8000-12000元/月\n某钢结构有限公司\n岗位职责：\n1. 负责钢结构件的焊接，能看懂焊接图纸；\n"
        "2. 操作二氧化碳保护焊、氩弧焊设备，保证焊缝质量；\n3. 做好设备日常保养。\n福利：包吃包住，五险一金"
    )
    try:
        table = CliRunner().invoke(app, ["analyze", "-"], input=ad)
        assert table.exit_code == 0, table.output
        assert "焊工" in table.output and "→" in table.output and "Loading weights" not in table.output
        out = json.loads(CliRunner().invoke(app, ["analyze", "-", "--json"], input=ad).output)
        best = out["occupations"][0]
        assert best["code"] == "6-18-02-04" and best["match"] != "weak" and best["evidence"]
        assert all(
            "焊" in out["sentences"][e["sentence"]]["text"] or "设备" in out["sentences"][e["sentence"]]["text"]
            for e in best["evidence"]
        )
        missing = CliRunner().invoke(app, ["analyze", str(tmp_path / "nothing.txt")])
        assert missing.exit_code != 0 and "nothing.txt" in missing.output
    finally:
        get_settings.cache_clear()


def test_analyze_asks_a_running_api_in_under_a_second_or_so(full_live_server):
    """`zhiye analyze --server URL` (or ZHIYE_SERVER) asks a running API instead of loading the graph and the
    encoder (about 15 s in a fresh process): the same answer, from a fresh process in about 0.9 s on the 2-core
    machine (the bound leaves room for a loaded CI machine; loading torch alone takes longer); a server that
    does not answer, or refuses the input, ends the command with its message."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    ad = (
        "【急招】电焊工 8000-12000元/月\n某钢结构有限公司\n岗位职责：\n1. 负责钢结构件的焊接，能看懂焊接图纸；\n"
        "2. 操作二氧化碳保护焊、氩弧焊设备，保证焊缝质量；\n3. 做好设备日常保养。\n福利：包吃包住，五险一金"
    )

    def zhiye(*args, env=None):
        return subprocess.run(
            [sys.executable, "-c", "from api.cli import main; main()", "analyze", "-", *args],
            input=ad,
            capture_output=True,
            text=True,
            cwd=root,
            timeout=60,
            env={**__import__("os").environ, "PYTHONPATH": str(root), **(env or {})},
        )

    zhiye("--server", full_live_server.url)  # the server's first reading loads its tokenizer dictionary
    start = time.perf_counter()
    out = zhiye("--json", env={"ZHIYE_SERVER": full_live_server.url})
    seconds = time.perf_counter() - start
    assert out.returncode == 0, out.stderr
    best = json.loads(out.stdout)["occupations"][0]
    assert best["code"] == "6-18-02-04" and best["evidence"]
    assert seconds < 3, f"{seconds:.2f} s"
    table = zhiye("--server", full_live_server.url)
    assert table.returncode == 0 and "焊工" in table.stdout and "→" in table.stdout
    gone = zhiye("--server", "http://127.0.0.1:9")
    assert gone.returncode == 1 and "no Zhiye API answers at http://127.0.0.1:9" in gone.stderr
    bad = zhiye("--server", full_live_server.url, "--kind", "memo")
    assert bad.returncode == 1 and "422 kind" in bad.stderr


# issue 15, item 8: the terminal is a page too


def _fits_80_columns(output: str, padded: bool = False) -> list[str]:
    """The lines of a command's output; each asserted at most 80 terminal cells wide (a Chinese character
    takes two) and, unless `padded` (typer's help panels), without trailing spaces (what rich leaves where
    it wraps a line itself)."""
    from rich.cells import cell_len

    lines = output.splitlines()
    assert lines, "no output"
    wide = [f"{cell_len(line)}: {line}" for line in lines if cell_len(line) > 80]
    assert not wide, "\n".join(wide)
    assert padded or not [line for line in lines if line != line.rstrip()], output
    return lines


@pytest.fixture()
def at_80_columns(monkeypatch):
    """The CLI's consoles (standard output and error) as an 80-column terminal."""
    from rich.console import Console

    import api.cli

    monkeypatch.setattr(api.cli, "console", Console(width=80))
    monkeypatch.setattr(api.cli, "err", Console(width=80, stderr=True))


def test_batches_and_show_wrap_to_80_columns(fixture_build, monkeypatch, at_80_columns):
    """`zhiye batches` (its long unresolved name with its source, its raised work types) and `zhiye show`
    at 80 columns: every line fits, wrapped lines carry on indented under their own line, nothing is lost."""
    from api.cli import app
    from graph.settings import get_settings

    monkeypatch.setenv("ZHIYE_STATE_DIR", str(fixture_build[0].state_dir))
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["batches"])
        assert out.exit_code == 0, out.output
        lines = _fits_80_columns(out.stdout)
        i = next(i for i, line in enumerate(lines) if line.startswith("  unresolved: "))
        assert lines[i + 1].startswith("    ") and not lines[i + 1].startswith("     ")  # two past its own indent
        joined = " ".join(line.strip() for line in lines)
        assert "unresolved: Environmental Testing Personnel for Electrical and Electronic Products (002_" in joined
        i = next(
            i for i, line in enumerate(lines) if line.startswith("  raised from work types of 公共卫生辅助服务员: ")
        )
        assert lines[i + 1].startswith("    ") and "防疫员" in lines[i] + lines[i + 1]  # broken between names
        assert all(not line.endswith("、") or line.endswith("员、") for line in lines[i : i + 2])
        for args in (["show", "防疫员"], ["abilities"], ["stats"]):
            shown = CliRunner().invoke(app, args)
            assert shown.exit_code == 0, shown.output
            _fits_80_columns(shown.stdout)
    finally:
        get_settings.cache_clear()


def test_query_commands_fit_80_columns(cli, at_80_columns, tmp_path):
    """Tables and lists of the commands that ask the full graph, at 80 columns; a table's names fold rather
    than being cut (`search`)."""
    courses = tmp_path / "courses.json"
    courses.write_text(
        json.dumps(
            [
                {"title": "网络安全基础", "description": "网络攻防、渗透测试、漏洞扫描与安全评估"},
                {"title": "Python 程序设计", "description": "Python 编程、数据结构与算法、软件测试"},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    ad = tmp_path / "ad.txt"
    ad.write_text("岗位职责：\n1. 负责钢结构件的焊接，能看懂焊接图纸；\n2. 操作二氧化碳保护焊、氩弧焊设备。\n", "utf-8")
    for args in (
        ["search", "渗透测试"],
        ["similar", "信息安全测试员"],
        ["directions", "信息安全测试员"],
        ["path", "信息安全测试员"],
        ["gap", "信息安全测试员", "网络安全等级保护测评师"],
        ["show", "信息安全测试员"],
        ["analyze", str(ad), "--target", "焊工"],
        ["curriculum", str(courses), "--target", "信息安全测试员"],
    ):
        out = cli(*args)
        assert out.exit_code == 0, (args, out.output)
        lines = _fits_80_columns(out.stdout)
        if args[0] == "search":
            assert any("信息安全测" in line for line in lines) and "信息安全测试…" not in out.stdout


def test_a_fresh_process_prints_the_answer_alone(full_build):
    """`zhiye analyze` in a fresh process loads the encoder and the tokenizer: no progress bar ("Loading
    weights …"), warning or other library line on standard error, and the answer fits COLUMNS=80."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "analyze", "-"],
        input="岗位职责：\n1. 负责钢结构件的焊接，能看懂焊接图纸；\n2. 操作二氧化碳保护焊、氩弧焊设备。\n",
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
        env={
            **os.environ,
            "PYTHONPATH": str(root),
            "ZHIYE_STATE_DIR": str(full_build[0].state_dir),
            "COLUMNS": "80",
        },
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr == "", out.stderr
    assert "焊工" in out.stdout
    _fits_80_columns(out.stdout)


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_help_shows_options_as_they_are_typed():
    """Every command's --help at 80 columns: a flag (--json, --help) has no type after it (typer would show
    `<bool>`), a bounded number reads `<int> [1<=x<=20]` (not `<int range>`), a choice lists its values,
    and every line fits."""
    import re

    import typer

    from api.cli import _register_optional, app

    _register_optional()
    root = typer.main.get_command(app)
    paths = [(), *_commands(root)]
    assert ("search",) in paths and ("model", "provision") in paths and ("neo4j", "status") in paths
    helps = {}
    for path in paths:
        out = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
        assert out.exit_code == 0, (path, out.output)
        text = re.sub(r"\x1b\[[0-9;]*m", "", out.output)
        _fits_80_columns(text, padded=True)
        assert "<bool>" not in text and "range>" not in text, (path, text)
        flags = [line for line in text.splitlines() if re.search(r"│\s+--(json|help)\b", line)]
        assert flags and all("<" not in line for line in flags), (path, flags)
        helps[" ".join(path)] = text
    assert re.search(r"-k\s+<int> \[1<=x<=20\]", helps["code"])
    assert "--kind" in helps["analyze"] and "<job_ad|cv|syllabus>" in helps["analyze"]
    assert "<embedded|neo4j>" in helps["build"] and "<url>" in helps["analyze"]
