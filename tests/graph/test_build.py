"""The built dataset: one node per real occupation, provenance, determinism, atomicity."""

import json

import pytest
from typer.testing import CliRunner

from graph.build.generations import current_generation
from graph.build.pipeline import build
from graph.errors import SourceFormatError
from tests.conftest import make_settings


def test_information_security_tester_profile_from_every_document(full_store):
    p = full_store.profile("信息安全测试员")
    assert p.code == "4-04-04-04" and p.name_en == "Information Security Testers"
    assert sum(t.lang == "en" for t in p.tasks) == 6 and sum(t.lang == "zh" for t in p.tasks) == 8
    assert p.work_types == ["渗透测试员"]
    assert p.skill_levels == [] and p.work_type_levels == {"渗透测试员": [4, 3, 2, 1]}
    assert [b.id for b in p.batches] == ["batch:2020-06"]
    assert p.flags == ["digital"]
    assert [c["code"] for c in p.category_path] == ["4", "4-04", "4-04-04"]
    files = {s.split(":")[0] for s in p.sources}
    assert {
        "001_261aff24bed019f8.txt",
        "002_4f42679ce3381b74.txt",
        "004_eaf749be2f6ce36e.txt",
        "occupation-classification-2022.csv",
    } <= files


def test_show_json_shape_through_the_cli(full_build, monkeypatch):
    from api.cli import app

    settings, _ = full_build
    monkeypatch.setenv("ZHIYE_STATE_DIR", str(settings.state_dir))
    from graph.settings import get_settings

    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["show", "信息安全测试员", "--json"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        for key in (
            "code",
            "former_codes",
            "name_zh",
            "name_en",
            "definition",
            "tasks",
            "work_types",
            "skill_levels",
            "batches",
            "category_path",
            "flags",
            "sources",
        ):
            assert key in data
        assert data["batches"][0]["announced"] == "2020-06" and set(data["tasks"][0]) >= {"text", "lang"}
        stats = json.loads(CliRunner().invoke(app, ["stats", "--json"]).output)
        assert stats["nodes"]["Occupation"] == 1676 and stats["relationships"]["HAS_TASK"] > 10_800
    finally:
        get_settings.cache_clear()


def test_former_code_is_kept_and_resolves(full_store):
    p = full_store.profile("2-02-10-09")
    assert (p.name_zh, p.code, p.former_codes) == ("人工智能工程技术人员", "2-02-38-01", ["2-02-10-09"])
    assert p.name_en == "Artificial Intelligence Engineering Technicians"
    assert "AI Engineering Technicians" in p.aliases
    assert "batch:2019-04" in [b.id for b in p.batches]


def test_counts_by_level_and_batches(full_build):
    _, result = full_build
    stats = result.dataset.stats()["nodes"]
    assert stats["Occupation"] == 1676 and stats["Category"] == 8 + 79 + 450
    assert stats["TitleDirection"] == 4 and stats["TitleLevel"] == 4
    with_tasks = {r.start for r in result.dataset.relations if r.type == "HAS_TASK"}
    assert len(with_tasks) >= 1665
    en = {r.start for r in result.dataset.relations if r.type == "HAS_TASK" and ":en:" in r.end}
    assert len(en) == 30


def test_batches_timeline(full_store):
    batches = {b.id: b for b in full_store.batches()}
    assert list(batches) == [
        "batch:2019-04",
        "batch:2020-02",
        "batch:2020-06",
        "batch:2021-03",
        "batch:2022-06",
        "batch:2024-07",
    ]
    assert len(batches["batch:2024-07"].occupations) == 19
    assert batches["batch:2024-07"].document_no == "人社厅发〔2024〕36号"
    assert batches["batch:2024-07"].stated_counts == {"occupations": 19, "work_types": 28, "changed": 11}
    # 9 new occupations and 3 work types of 公共卫生辅助服务员 raised to occupations (001:2)
    third = batches["batch:2020-06"]
    assert len(third.occupations) == 12 and (third.new, third.raised) == (9, 3)
    assert {o.code for o in third.occupations if o.raised_from_work_type} == {"4-14-04-01", "4-14-04-02", "4-14-04-03"}
    assert {o.former_parent for o in third.occupations if o.raised_from_work_type} == {"公共卫生辅助服务员"}
    assert len(batches["batch:2019-04"].occupations) == 13
    # one 2020-02 name has no reviewed Chinese counterpart: listed as unresolved, not guessed
    second = batches["batch:2020-02"]
    assert len(second.occupations) == 15 and second.summary == "15 of 16 resolved"
    assert [u.name for u in second.unresolved] == [
        "Environmental Testing Personnel for Electrical and Electronic Products"
    ]


def test_the_2024_work_types_are_there_unplaced_with_their_lines(fixture_build):
    """000 names two of its 28 new work types, with no parent occupation: unplaced, like 互联网信息审核员."""
    _, result = fixture_build
    nodes = {n.id: n for n in result.dataset.nodes}
    for name, line in (("直播招聘师", 29), ("汽配销售经理人", 43)):
        wt = nodes[f"wt:unplaced:{name}"]
        assert wt.name_zh == name and [(s.file, s.line) for s in wt.sources] == [("000_a603fc154322594f.txt", line)]
        # the project's translation, marked as such (data/translations/work_types_unplaced_en.csv)
        assert wt.name_en and wt.name_en_official is False and wt.name_en_source.file.startswith("translations/")
        links = {(r.type, r.end) for r in result.dataset.relations if r.start == wt.id}
        assert links == {("ANNOUNCED_IN", "batch:2024-07")}


def test_title_conditions_are_requirements_with_their_lines(fixture_build):
    """003's basic conditions and its performance conditions, per direction, beside education, achievement and
    exceptional conditions: Requirement nodes of each title level, with the line each starts on."""
    _, result = fixture_build
    reqs = {n.id: n for n in result.dataset.nodes if n.label == "Requirement"}
    of_level = {(r.start, r.end) for r in result.dataset.relations if r.type == "HAS_REQUIREMENT"}
    basic = sorted((r for r in reqs.values() if r.kind == "basic"), key=lambda r: r.id)
    assert [r.sources[0].line for r in basic] == [194, 219, 325, 467]
    assert all(r.sources[0].file == "003_3fdd860fe6494778.txt" for r in reqs.values())
    performance = [r for r in reqs.values() if r.kind == "performance"]
    assert len(performance) == 4 + 5 + 5  # a paragraph for all from 高级工程师 up, and one per direction
    engineer = sorted((r for r in performance if r.id.startswith("req:网络空间安全:2:")), key=lambda r: r.order)
    assert [(r.direction, r.sources[0].line) for r in engineer] == [
        ("网络与系统安全", 249),
        ("信息内容安全", 256),
        ("数据安全", 266),
        ("业务安全", 276),
    ]
    assert ("title:网络空间安全:2", engineer[0].id) in of_level
    directions = {n.name for n in result.dataset.nodes if n.label == "TitleDirection"}
    assert {r.direction for r in performance} == directions | {None}
    assert len(reqs) == 46 + 4 + 14


def test_unresolved_names_are_listed(full_build):
    _, result = full_build
    names = {u.name for u in result.dataset.unresolved}
    assert "Environmental Testing Personnel for Electrical and Electronic Products" in names
    assert all(u.reason and u.source.file for u in result.dataset.unresolved)


def test_every_node_and_relation_has_a_source(full_build):
    _, result = full_build
    assert all(n.sources for n in result.dataset.nodes)
    derived = {"REQUIRES", "NEXT", "SIMILAR_TO"}  # aggregated, structural or computed from vectors
    assert all(r.sources for r in result.dataset.relations if r.type not in derived)


def test_two_builds_are_byte_identical(tmp_path, encoder, csv_path):
    outs = []
    for name in ("a", "b"):
        settings = make_settings(tmp_path / name)
        result = build(settings, csv_path, log=lambda m: None, encoder=encoder)
        outs.append({p.name: p.read_bytes() for p in result.generation.iterdir()})
    assert outs[0].keys() == outs[1].keys() and all(outs[0][k] == outs[1][k] for k in outs[0])


def test_malformed_source_stops_the_build_and_keeps_the_previous_graph(tmp_path, sources_copy, encoder):
    settings = make_settings(tmp_path / "state", curated_dir=sources_copy, sources_dir=sources_copy / "sources")
    first = build(settings, None, log=lambda m: None, encoder=encoder).generation
    catalog = sources_copy / "sources" / "004_eaf749be2f6ce36e.txt"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("\t4-04-04-04\n", "\t4-04-04\n", 1), encoding="utf-8"
    )
    with pytest.raises(SourceFormatError) as e:
        build(settings, None, log=lambda m: None, encoder=encoder)
    assert e.value.file == "004_eaf749be2f6ce36e.txt" and e.value.line and "职业编码" in e.value.expected
    assert current_generation(settings.state_dir) == first
    assert sorted(p.name for p in (settings.state_dir / "generations").iterdir()) == [first.name]
