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


def test_unknown_name_exits_non_zero_with_suggestions(cli):
    out = cli("show", "信息安全测试")
    assert out.exit_code != 0 and "信息安全测试员" in str(out.exception or out.output)
