"""Every endpoint through the app over the fixture graph (the full graph where the data needs it)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

HIT_KEYS = {
    "label",
    "id",
    "name",
    "name_en",
    "code",
    "score",
    "score_parts",
    "evidence",
    "confidence",
    "match",
    "written_as",
    "provenance",
}
COURSES = [
    {"title": "渗透测试实践", "description": "信息收集、漏洞扫描、漏洞验证与渗透测试报告"},
    {"title": "密码学应用", "description": "加密算法、数字证书、密码应用安全性评估"},
    {"title": "Python 编程"},
]


@pytest.mark.model  # the real model's ranking: a Chinese query finds English tasks
def test_search_has_the_cli_shape_and_evidence(client, fixture_store):
    r = client.get("/search", params={"q": "渗透测试 漏洞", "k": 8})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert list(r.json()) == ["results", "no_good_match"] and 1 <= len(results) <= 8
    assert all(set(h) == HIT_KEYS for h in results)
    assert all(h["evidence"] and {"kind", "text"} <= set(h["evidence"][0]) for h in results)
    # the ranking is the store's: the API passes it through unchanged
    assert results == [h.model_dump() for h in fixture_store.search("渗透测试 漏洞", None, 8).results]
    occs = client.get("/search", params={"q": "渗透测试 漏洞", "labels": "Occupation", "k": 5}).json()["results"]
    assert {h["label"] for h in occs} == {"Occupation"}
    assert ("信息安全测试员", "4-04-04-04") in [(h["name"], h["code"]) for h in occs]


def test_search_in_english_and_by_label(client):
    hits = client.get("/search", params={"q": "drone pilot", "labels": "Occupation", "k": 3}).json()["results"]
    assert hits[0]["name"] == "无人机驾驶员" and {h["label"] for h in hits} == {"Occupation"}
    mixed = client.get("/search", params={"q": "security testing", "labels": "Task, Skill", "k": 20}).json()["results"]
    assert mixed and {h["label"] for h in mixed} <= {"Task", "Skill"}


def test_profile_by_name_and_by_code(client):
    by_name = client.get("/occupations/信息安全测试员")
    by_code = client.get("/occupations/4-04-04-04")
    assert by_name.status_code == by_code.status_code == 200
    p = by_name.json()
    assert p == by_code.json()
    assert p["name_en"] == "Information Security Testers" and p["batches"][0]["announced"] == "2020-06"
    assert (
        {t["lang"] for t in p["tasks"]} == {"en"}
        and p["skill_levels"] == []
        and p["work_type_levels"] == {"渗透测试员": [4, 3, 2, 1]}
    )
    assert client.get("/occupations/information security testers").json()["id"] == p["id"]


def test_similar_occupations(client):
    r = client.get("/occupations/信息安全测试员/similar", params={"k": 3}).json()
    assert len(r["results"]) == 3
    first = r["results"][0]
    assert {"code", "name_zh", "score", "shared_skills", "score_parts"} <= set(first)
    assert first["name_zh"] != "信息安全测试员" and 0 < first["score"] <= 1


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_title_directions_with_task_evidence(client, fixture_store):
    # which directions are derived is the build's business: the API returns exactly the store's answer
    r = client.get("/occupations/密码技术应用员/title-directions").json()
    assert r == {"directions": [d.model_dump() for d in fixture_store.title_directions("密码技术应用员")]}
    assert r["directions"] and "数据安全" in {d["name"] for d in r["directions"]}
    assert all({"name", "score", "evidence"} <= set(d) for d in r["directions"])
    assert any(e["kind"] == "task" for e in r["directions"][0]["evidence"])


def test_career_paths_lateral_and_to_a_target(client):
    r = client.get("/occupations/信息安全测试员/career-paths", params={"k": 3}).json()
    assert r["occupation"]["code"] == "4-04-04-04"
    assert [s["to_name"] for s in r["skill_ladder"]] == ["三级", "二级", "一级"]
    assert [s["to_term"]["term"] for s in r["skill_ladder"]] == ["高级工", "技师", "高级技师"]
    assert len(r["paths"]) == 3 and r["paths"][0]["steps"][0]["kind"] == "lateral"
    to = client.get("/occupations/信息安全测试员/career-paths", params={"to": "密码技术应用员", "k": 2}).json()
    assert to["paths"] and all(p["target_name"] == "密码技术应用员" for p in to["paths"])


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_neighbourhood_graph(client, fixture_store):
    directions = fixture_store.title_directions("密码技术应用员")
    g = client.get("/occupations/密码技术应用员/graph", params={"k": 4}).json()
    ids = {n["id"] for n in g["nodes"]}
    kinds = [n["kind"] for n in g["nodes"]]
    assert g["center"] in ids and kinds.count("occupation") == 1 and kinds.count("similar") == 4
    assert kinds.count("task") == 8 and kinds.count("direction") == len(directions) >= 1
    assert all(e["source"] in ids and e["target"] in ids for e in g["edges"])
    assert {"HAS_TASK", "RELATES_TO", "SIMILAR"} <= {e["type"] for e in g["edges"]}
    assert len(ids) == len(g["nodes"])  # unique: cytoscape rejects duplicate ids


def test_gap(client):
    r = client.get("/gap", params={"from": "信息安全测试员", "to": "密码技术应用员"})
    assert r.status_code == 200, r.text
    g = r.json()
    assert (g["source"]["name_zh"], g["target"]["name_zh"]) == ("信息安全测试员", "密码技术应用员")
    assert 0 <= g["coverage"] <= 1 and {"missing_skills", "missing_tasks", "shared_skills"} <= set(g)


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_curriculum_map_without_and_with_target(client):
    r = client.post("/curriculum/map", json={"courses": COURSES})
    assert r.status_code == 200, r.text
    m = r.json()
    assert [c["title"] for c in m["courses"]] == [c["title"] for c in COURSES]
    assert m["target"] is None and m["prepares_for"]
    with_target = client.post("/curriculum/map", json={"courses": COURSES, "target": "信息安全测试员"}).json()
    assert with_target["target"]["code"] == "4-04-04-04" and with_target["coverage"]
    assert sum(with_target["coverage_summary"].values()) == len(with_target["coverage"])


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_a_whole_syllabus_is_mapped_outcome_by_outcome(client):
    syllabus = "网络安全实训课程\n课程目标：\n1. 掌握漏洞扫描与渗透测试流程；\n2. 能编写渗透测试报告。\n考核：实操 60%"
    r = client.post("/curriculum/map", json={"syllabus": syllabus, "target": "信息安全测试员"})
    assert r.status_code == 200, r.text
    assert [c["title"] for c in r.json()["courses"]] == [  # not the heading "课程目标：": it teaches nothing
        "网络安全实训课程",
        "掌握漏洞扫描与渗透测试流程",
        "能编写渗透测试报告。",
        "考核：实操 60%",
    ]
    both = client.post("/curriculum/map", json={"syllabus": syllabus, "courses": COURSES})
    assert both.status_code == 422 and both.json()["error"]["message"] == "give courses or a syllabus, one of them"
    assert client.post("/curriculum/map", json={"syllabus": "★★★"}).status_code == 422


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_curriculum_heatmap_is_courses_by_target_items(client):
    r = client.post("/curriculum/heatmap", json={"courses": COURSES, "target": "信息安全测试员"})
    assert r.status_code == 200, r.text
    h = r.json()
    assert h["courses"] == [c["title"] for c in COURSES] and not h["target_chosen"]
    assert len(h["scores"]) == 3 and all(len(row) == len(h["items"]) > 0 for row in h["scores"])
    assert set(h["thresholds"]) == {"partial", "covered"}
    # each item's best course in the overall map is the course with the highest score in its column
    for j, item in enumerate(h["items"]):
        cov = next(c for c in h["map"]["coverage"] if c["id"] == item["id"])
        best = max(range(3), key=lambda i: h["scores"][i][j])
        assert h["scores"][best][j] == pytest.approx(cov["score"], abs=1e-3)
    auto = client.post("/curriculum/heatmap", json={"courses": COURSES}).json()
    assert auto["target_chosen"] and auto["target"] == auto["map"]["target"] and auto["items"]


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_analyze_a_text(client):
    ad = "渗透测试工程师\n岗位职责：\n1. 负责客户网站的渗透测试，挖掘安全漏洞；\n2. 编写渗透测试报告。\n福利：五险一金"
    r = client.post("/analyze", json={"text": ad, "kind": "job_ad", "target": "信息安全测试员"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["occupations"][0]["name_zh"] == "信息安全测试员" and body["occupations"][0]["match"] != "weak"
    assert body["sentences"][0]["text"] == "渗透测试工程师" and body["title"]["title"] == "渗透测试工程师"
    assert body["target"]["name_zh"] == "信息安全测试员" and body["coverage"]


def test_analyze_says_what_is_wrong_with_a_text(client):
    too_long = client.post("/analyze", json={"text": "测" * 20001})
    assert too_long.status_code == 413 and "20,001" in too_long.json()["error"]["message"]
    assert client.post("/analyze", json={"text": "渗透测试", "kind": "novel"}).status_code == 422
    assert client.post("/analyze", json={"text": ""}).status_code == 422
    unknown = client.post("/analyze", json={"text": "渗透测试", "target": "信息安全测试"})
    assert unknown.status_code == 404 and "信息安全测试员" in unknown.json()["error"]["suggestions"]


def test_skill_occupations(client):
    # the fixture graph has the skill vocabulary but no REQUIRES edges: a known skill, no occupations
    r = client.get("/skills/性能检测/occupations", params={"k": 5})
    assert r.status_code == 200 and isinstance(r.json()["results"], list) and len(r.json()["results"]) <= 5
    # its names for the page's heading: the English is the project's translation, and says so
    skill = r.json()["skill"]
    assert skill["name_zh"] == "性能检测" and skill["name_en"] and skill["official"] is False
    assert skill["provenance"]["kind"] == "translated" and skill["provenance"]["source"].startswith("skills.csv:")


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_direction_occupations(client):
    r = client.get("/directions/数据安全/occupations", params={"k": 10}).json()
    names = {o["name_zh"] for o in r["results"]}
    assert "密码技术应用员" in names  # shown from the calibrated threshold only (bench/eval_directions.py)
    assert all(o["evidence"] and o["evidence"][0]["kind"] == "task" and 0 < o["score"] <= 1 for o in r["results"])


def test_batches(client):
    r = client.get("/batches").json()
    assert [b["id"] for b in r["batches"]] == [
        "batch:2019-04",
        "batch:2020-02",
        "batch:2020-06",
        "batch:2021-03",
        "batch:2022-06",
        "batch:2024-07",
    ]
    assert {"title", "announced", "document_no", "occupations", "work_types"} <= set(r["batches"][0])
    batches = {b["id"]: b for b in r["batches"]}
    third, second = batches["batch:2020-06"], batches["batch:2020-02"]
    assert (third["new"], third["raised"], third["summary"]) == (9, 3, "9 new + 3 raised; 2 of 5 work types named")
    raised = {o["name_zh"]: o["former_parent"] for o in third["occupations"] if o["raised_from_work_type"]}
    assert raised == dict.fromkeys(("防疫员", "消毒员", "公共场所卫生管理员"), "公共卫生辅助服务员")
    assert second["summary"] == "15 of 16 resolved"
    assert [(u["name"], u["source"]) for u in second["unresolved"]] == [
        ("Environmental Testing Personnel for Electrical and Electronic Products", "002_4f42679ce3381b74.txt:221")
    ]


def test_special_abilities_are_reachable(client):
    """004's 专项职业能力 (codes with Z): listed, one by code or name, an unknown one 404 with suggestions."""
    listed = client.get("/special-abilities").json()["results"]
    assert [a["code"] for a in listed] == ["4-04-05-Z1", "4-04-05-Z2"]
    one = client.get("/special-abilities/4-04-05-Z1").json()
    assert one == listed[0] and one["name"] == "人工智能数据标注" and one["level"] == "专项职业能力"
    assert client.get("/special-abilities/人工智能模型运用").json()["code"] == "4-04-05-Z2"
    missing = client.get("/special-abilities/人工智能数据")
    assert missing.status_code == 404 and "人工智能数据标注" in missing.json()["error"]["suggestions"]


def test_health_and_ready(client):
    h = client.get("/health")
    assert h.status_code == 200
    body = h.json()
    assert body["status"] == "ok" and body["backend"] == "embedded" and body["model"]
    assert body["nodes"]["Occupation"] == 190 and body["relationships"]["HAS_TASK"] > 0
    assert client.get("/ready").json() == {"status": "ready"}


@pytest.mark.parametrize(
    "args, path",
    [
        (["search", "渗透测试", "-k", "5"], "/search?q=渗透测试&k=5"),
        (["search", "drone", "--labels", "Occupation,Task"], "/search?q=drone&labels=Occupation,Task"),
        (["show", "4-04-04-04"], "/occupations/4-04-04-04"),
        (["similar", "信息安全测试员", "-k", "4"], "/occupations/信息安全测试员/similar?k=4"),
        (["directions", "密码技术应用员"], "/occupations/密码技术应用员/title-directions"),
        (
            ["path", "信息安全测试员", "--to", "密码技术应用员"],
            "/occupations/信息安全测试员/career-paths?to=密码技术应用员",
        ),
        (["gap", "信息安全测试员", "密码技术应用员"], "/gap?from=信息安全测试员&to=密码技术应用员"),
        (["batches"], "/batches"),
        (["abilities"], "/special-abilities"),
    ],
)
def test_same_json_as_the_cli(client, fixture_store, monkeypatch, args, path):
    import api.cli

    monkeypatch.setattr(api.cli, "_store", lambda: fixture_store)
    out = CliRunner().invoke(api.cli.app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    assert client.get(path).json() == json.loads(out.output)


@pytest.mark.full
def test_full_graph_profile_skills_and_skill_occupations(full_client):
    p = full_client.get("/occupations/信息安全测试员").json()
    assert {t["lang"] for t in p["tasks"]} == {"zh", "en"} and p["skills"]
    skill = p["skills"][0]["name"]
    occs = full_client.get(f"/skills/{skill}/occupations", params={"k": 50}).json()["results"]
    assert "信息安全测试员" in {o["name_zh"] for o in occs} and all(o["tasks"] >= 1 for o in occs)
    g = full_client.get("/occupations/信息安全测试员/graph").json()
    assert {n["kind"] for n in g["nodes"]} >= {"occupation", "task", "skill", "similar"}


def test_code_endpoint_on_the_full_graph(full_client):
    r = full_client.get("/code", params={"title": "带货主播（底薪+提成）", "k": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cleaned"] == "带货主播" and body["best"]["name_zh"] in {"互联网营销师", "网络主播"}
    assert len(body["alternatives"]) == 2 and body["threshold"] == 0.5
    assert full_client.get("/code", params={"title": ""}).status_code == 422
    assert full_client.get("/code", params={"title": "x" * 501}).status_code == 422
    found = full_client.get("/occupations/" + "外卖骑手").json()
    assert found["name_zh"] == "网约配送员" and found["matched_title"]["title"] == "外卖骑手"
