"""The query contract on the full graph (classification + documents), on both backends, and their
agreement over the evaluation set."""
import csv

import pytest

from graph.results import Course

from tests.conftest import ROOT

QUERIES = ROOT / "bench" / "eval" / "queries.csv"


@pytest.fixture(params=["embedded", "neo4j"])
def full(request):
    return request.getfixturevalue("full_store" if request.param == "embedded" else "neo4j_full_store")


def test_full_graph_queries(full):
    hits = full.search("渗透测试 漏洞", ["Occupation"], 5).results
    assert "信息安全测试员" in [h.name for h in hits[:3]]
    directions = full.title_directions("信息安全测试员")
    assert directions[0].name == "网络与系统安全" and directions[0].evidence[0].kind == "task"
    assert "信息安全测试员" in [o.name_zh for o in full.direction_occupations("网络与系统安全", 50)]
    similar = full.similar_occupations("信息安全测试员", 5)
    assert "网络与信息安全管理员" in [s.name_zh for s in similar]
    p = full.profile("信息安全测试员")
    assert p.code == "4-04-04-04" and p.all_levels == [4, 3, 2, 1] and p.skills
    # 002's English translates the 2020-06 announcement; the 2022 Chinese has 8 tasks, the English 6
    e = p.english_text
    assert (e.kind, e.official, e.announced, e.tasks_zh, e.tasks_en, e.differs) == ("translated", True, "2020-06", 8, 6, True)
    assert full.profile("焊工").english_text is None
    paths = full.career_paths("信息安全测试员", "网络与信息安全管理员", 3)
    assert paths.paths and paths.title_ladder and paths.skill_ladder
    gap = full.skill_gap("信息安全测试员", "网络与信息安全管理员")
    assert gap.missing_tasks and 0 < gap.coverage < 1
    skill = p.skills[0].name
    assert "信息安全测试员" in [o.name_zh for o in full.skill_occupations(skill, 100)]
    m = full.curriculum_map([Course(title="渗透测试实战", description="漏洞扫描与利用、渗透测试报告编写")], "信息安全测试员")
    assert m.coverage_summary["covered"] + m.coverage_summary["partial"] > 0
    assert len(full.batches()) == 6


def test_backends_agree_on_the_evaluation_set(full_store, neo4j_full_store):
    with QUERIES.open(encoding="utf-8") as fh:
        queries = [row["query"] for row in csv.DictReader(fh)]
    overlaps = []
    for q in queries:
        a = full_store.occupation_ranking(q, k=5)
        b = neo4j_full_store.occupation_ranking(q, k=5)
        overlaps.append(len(set(a) & set(b)) / 5)
    mean = sum(overlaps) / len(overlaps)
    assert mean >= 0.9, f"top-5 overlap {mean:.3f}"
