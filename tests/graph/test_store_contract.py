"""The query protocol's contract, run on both backends over the fixture graph (the five bundled
documents), and their parity: same top results in the same order, scores within tolerance."""

import math

import pytest

from graph.errors import InvalidInput, NotFound
from graph.query.protocol import QUERY_METHODS, OccupationStore
from graph.query.results import CONDITION_KINDS, Course
from tests.conftest import ROOT

SCORE_TOLERANCE = 0.02  # HNSW vs exact cosine, float32 storage, Lucene's one-byte length norms


def test_the_store_satisfies_the_protocol(store):
    assert isinstance(store, OccupationStore)


def test_every_protocol_method_has_its_cypher_file():
    for method in QUERY_METHODS:
        assert (ROOT / "cypher" / f"{method}.cypher").is_file(), method


def test_search_finds_the_occupation_from_english_and_chinese(store):
    for query in ("penetration testing of networks", "信息安全测试员", "Information Security Testers"):
        hits = store.search(query, ["Occupation"], 5).results
        assert hits[0].name == "信息安全测试员", (query, [h.name for h in hits])
        assert hits[0].label == "Occupation" and hits[0].evidence and hits[0].score_parts


def test_search_mixes_labels_and_respects_k(store):
    r = store.search("blockchain", None, 8)
    assert len(r.results) == 8
    assert {"Occupation", "Task"} <= {h.label for h in r.results}
    assert [h.score for h in r.results] == sorted((h.score for h in r.results), reverse=True)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 501])
def test_search_rejects_empty_and_oversized_text(store, bad):
    with pytest.raises(InvalidInput):
        store.search(bad)


@pytest.mark.parametrize("k", [0, 101])
def test_k_is_bounded(store, k):
    with pytest.raises(InvalidInput):
        store.search("数据", None, k)


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_a_query_without_words_is_weak_by_rule_with_no_confidence(store):
    """Emoji name no work: their hits are weak by rule. They carried confidence 0, which no model had given
    and the page showed as "弱匹配 · 0%" (issue 15); now none, and the provenance says why."""
    r = store.search("🚀✨🔥💯", None, 10)
    judged = [h for h in r.results if h.label in ("Occupation", "Task")]
    assert r.no_good_match is True and {"Occupation", "Task"} <= {h.label for h in judged}
    assert all(h.match == "weak" and h.confidence is None for h in judged)
    assert all(
        not h.provenance.calibrated and h.provenance.score is None and "rule" in h.provenance.note for h in judged
    )
    real = store.search("渗透测试 漏洞", None, 10).results  # a query with words: every figure is the model's
    assert all(h.confidence is not None and h.provenance.calibrated for h in real if h.label in ("Occupation", "Task"))


def test_unknown_occupation_gets_suggestions(store):
    with pytest.raises(NotFound) as e:
        store.profile("信息安全测试")
    assert "信息安全测试员" in e.value.suggestions


def test_profile(store):
    p = store.profile("4-04-04-04")
    assert p.name_zh == "信息安全测试员" and p.work_types == ["渗透测试员"]
    # 004 lists 信息安全测试员 only through its work type 渗透测试员: no levels of its own
    assert p.skill_levels == [] and p.work_type_levels == {"渗透测试员": [4, 3, 2, 1]} and p.all_levels == [4, 3, 2, 1]
    assert len([t for t in p.tasks if t.lang == "en"]) == 6 and p.batches[0].announced == "2020-06"


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_similar_occupations_say_why(store):
    items = store.similar_occupations("信息安全测试员", 5)
    assert len(items) == 5 and all(i.code != "4-04-04-04" for i in items)
    # the blend's parts, and the blend itself beside the calibrated score (bench/eval_similar.py)
    assert all(set(i.score_parts) == {"embedding", "skills", "category", "directions", "blend"} for i in items)
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_title_directions_of_the_information_security_tester(store):
    directions = store.title_directions("信息安全测试员")
    assert directions and directions[0].name == "网络与系统安全"
    assert any(e.kind == "task" for e in directions[0].evidence)
    back = store.direction_occupations("网络与系统安全", 50)
    assert "信息安全测试员" in [o.name_zh for o in back]
    # the English page names them in English: 002's official name comes along
    assert {o.name_zh: o.name_en for o in back}["信息安全测试员"] == "Information Security Testers"


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_career_paths_climb_levels_and_move_laterally(store):
    r = store.career_paths("信息安全测试员", None, 3)
    # 004's numerals; the common names beside them, marked as a common term with no source here
    assert [s.to_name for s in r.skill_ladder] == ["三级", "二级", "一级"]
    assert [(s.to_term.term, s.to_term.provenance.kind) for s in r.skill_ladder if s.to_term] == [
        ("高级工", "common_term"),
        ("技师", "common_term"),
        ("高级技师", "common_term"),
    ]
    assert [s.to_name for s in r.title_ladder] == ["工程师", "高级工程师", "正高级工程师"]
    assert len(r.paths) == 3 and all(p.steps[0].kind == "lateral" for p in r.paths)
    to = store.career_paths("信息安全测试员", "区块链工程技术人员", 2)
    assert to.paths and to.paths[0].steps[-1].to_name == "区块链工程技术人员"


@pytest.mark.model  # a title ladder is shown when the tasks reach a title direction (calibrated for the real encoder)
def test_the_title_ladder_gives_every_condition_003_states(store):
    engineer = store.career_paths("信息安全测试员", None, 1).title_ladder[0]  # 助理工程师 → 工程师
    assert engineer.to_name == "工程师"
    kinds = [c.kind for c in engineer.conditions]
    assert kinds == sorted(kinds, key=CONDITION_KINDS.index) and set(kinds) == {
        "basic",
        "education",
        "performance",
        "achievement",
    }
    assert [c.source for c in engineer.conditions if c.kind == "basic"] == ["003_3fdd860fe6494778.txt:219"]
    performance = [c for c in engineer.conditions if c.kind == "performance"]
    assert [(c.direction, c.source) for c in performance] == [
        ("网络与系统安全", "003_3fdd860fe6494778.txt:249"),
        ("信息内容安全", "003_3fdd860fe6494778.txt:256"),
        ("数据安全", "003_3fdd860fe6494778.txt:266"),
        ("业务安全", "003_3fdd860fe6494778.txt:276"),
    ]
    achievements = [c for c in engineer.conditions if c.kind == "achievement"]
    assert len(achievements) == 9 and {(c.need, c.of_items) for c in achievements} == {(2, 9)}
    assert [c.text for c in engineer.conditions if c.kind == "education"] == engineer.requirements


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def test_skill_gap(store):
    g = store.skill_gap("信息安全测试员", "区块链工程技术人员")
    assert g.target.name_zh == "区块链工程技术人员" and 0 <= g.coverage <= 1
    assert [t.score for t in g.missing_tasks] == sorted((t.score for t in g.missing_tasks), reverse=True)
    # the headline numbers are counts of what is listed (issue 14)
    assert g.coverage == share(len(g.known_tasks), len(g.known_tasks) + len(g.missing_tasks))
    assert g.skill_coverage == share(len(g.shared_skills), len(g.shared_skills) + len(g.missing_skills))
    same = store.skill_gap("信息安全测试员", "信息安全测试员")
    assert not same.missing_tasks and not same.missing_skills
    assert same.coverage == (1 if same.known_tasks else 0) and same.skill_coverage == (1 if same.shared_skills else 0)


def test_one_similarity_per_pair(store):
    """A lateral move shows the similarity similar occupations shows for the same pair (issue 14)."""
    listed = {s.id: s.score for s in store.similar_occupations("信息安全测试员", 5)}
    around = store.career_paths("信息安全测试员", None, 5).paths
    assert [(p.score, p.steps[0].similarity) for p in around] == [(listed[p.target_id],) * 2 for p in around]
    nearest = next(iter(listed))
    direct = [p for p in store.career_paths("信息安全测试员", nearest, 3).paths if len(p.steps) == 1]
    assert direct and direct[0].steps[0].similarity == listed[nearest]


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_curriculum_map(store):
    courses = [
        Course(title="网络攻防与渗透测试", description="漏洞扫描、渗透测试工具、安全评估报告"),
        Course(title="Blockchain development", description="smart contracts, consensus, distributed ledgers"),
    ]
    m = store.curriculum_map(courses, "信息安全测试员")
    assert len(m.courses) == 2 and m.courses[0].tasks and m.courses[1].occupations
    assert m.coverage and sum(m.coverage_summary.values()) == len(m.coverage)
    # one row per task (no English copy scored apart), a calibrated score whose band is the status
    tasks = [c for c in m.coverage if c.kind == "task"]
    assert tasks and len({c.id for c in tasks}) == len(tasks) and all(c.name_en != c.name for c in tasks)

    def band(x):
        return "covered" if x >= m.thresholds["covered"] else "partial" if x >= m.thresholds["partial"] else "missing"

    assert all(0 <= c.score <= 1 and c.status == band(c.score) for c in m.coverage)
    assert m.unrelated == all(c.status == "missing" for c in m.coverage)
    assert m.prepares_for
    with pytest.raises(InvalidInput):
        store.curriculum_map([])


def test_batches(store):
    b = store.batches()
    assert [x.announced[:7] for x in b] == ["2019-04", "2020-02", "2020-06", "2021-03", "2022-06", "2024-07"]
    assert len(b[-1].occupations) == 19
    # the two work types the 2024 notice names (000:29, 000:43), unplaced: it gives no parent occupation
    assert b[-1].work_types == ["汽配销售经理人", "直播招聘师"]


def test_batch_counts_say_what_was_resolved_and_what_was_raised(store):
    """001:2: 9 new occupations and 3 work types of 公共卫生辅助服务员 raised to occupations; 002:221 lists 16 for
    2020-02, of which one has no reviewed Chinese name: 15 of 16, the 16th listed with why."""
    b = {x.id: x for x in store.batches()}
    third = b["batch:2020-06"]
    assert (third.new, third.raised) == (9, 3) and third.summary == "9 new + 3 raised; 2 of 5 work types named"
    raised = [o for o in third.occupations if o.raised_from_work_type]
    assert {o.name_zh for o in raised} == {"防疫员", "消毒员", "公共场所卫生管理员"}
    assert {o.former_parent for o in raised} == {"公共卫生辅助服务员"}
    assert all(o.former_parent is None for o in third.occupations if not o.raised_from_work_type)
    # the occupation's profile says so too
    [announced] = store.profile("防疫员").batches
    assert (announced.id, announced.raised_from_work_type, announced.former_parent) == (
        "batch:2020-06",
        True,
        "公共卫生辅助服务员",
    )
    assert not store.profile("信息安全测试员").batches[0].raised_from_work_type
    second = b["batch:2020-02"]
    assert second.summary == "15 of 16 resolved" and len(second.occupations) == 15
    [missing] = second.unresolved
    assert (missing.name, missing.source) == (
        "Environmental Testing Personnel for Electrical and Electronic Products",
        "002_4f42679ce3381b74.txt:221",
    )
    assert "unresolved" in missing.reason  # the alias table (data/aliases.csv) lists it so
    assert b["batch:2019-04"].summary == "13 new" and not b["batch:2019-04"].unresolved
    assert b["batch:2024-07"].summary == "19 new; 2 of 28 work types named"


R002 = "002_4f42679ce3381b74.txt"
R004 = "004_eaf749be2f6ce36e.txt"


def test_the_special_abilities_of_the_catalog(store):
    """004's two 专项职业能力 rows (codes with Z, 004:255 and 004:261), with their level and source line."""
    items = store.special_abilities()
    assert [(a.code, a.name, a.level) for a in items] == [
        ("4-04-05-Z1", "人工智能数据标注", "专项职业能力"),
        ("4-04-05-Z2", "人工智能模型运用", "专项职业能力"),
    ]
    assert [a.sources for a in items] == [[f"{R004}:255"], [f"{R004}:261"]]
    assert all(a.category is None for a in items)  # the fixture graph lists no categories


def test_002s_english_names_are_official_with_their_line(store):
    """002 names occupations in its batch lists (Esports Operators, 002:31) and the June 2022 list of 18 (002:11,
    no profile): those are the occupations' official English names, with the line; a profile's heading (002:421)
    names the profiled ones."""
    esports = store.profile("电子竞技运营师")
    assert (esports.name_en, esports.name_en_official, esports.name_en_source) == (
        "Esports Operators",
        True,
        f"{R002}:31",
    )
    robotics = store.profile("机器人工程技术人员")  # the 2022 list: “Robotics Engineering Technicians,” (002:11)
    assert (robotics.name_en, robotics.name_en_official, robotics.name_en_source) == (
        "Robotics Engineering Technicians",
        True,
        f"{R002}:11",
    )
    tester = store.profile("信息安全测试员")
    assert (tester.name_en, tester.name_en_source) == ("Information Security Testers", f"{R002}:421")
    june = next(b for b in store.batches() if b.id == "batch:2022-06")
    assert len(june.occupations) == 18
    for o in june.occupations:
        p = store.profile(o.id)
        assert p.name_en_official and p.name_en_source and p.name_en_source.startswith(f"{R002}:"), o.name_zh
    carbon = store.profile("碳排放管理员")  # its work types, as 002's profile lists them (Carbon Emission …)
    official = [w for w in carbon.work_type_names if w.official]
    assert official and all(w.source and w.source.startswith(f"{R002}:") for w in official)


def test_a_skill_and_a_title_direction_give_their_english_names(store):
    """The skill and title-direction pages head with the name in the reader's language (issue 15): the English
    is the project's translation (official: false) with the reviewed row it comes from, whatever name asked."""
    direction = store.direction_name("Network and System Security")
    assert (direction.id, direction.name_zh, direction.name_en, direction.official) == (
        "direction:网络与系统安全",
        "网络与系统安全",
        "Network and System Security",
        False,
    )
    assert direction.source == "translations/title_terms_en.csv:4" and direction == store.direction_name(
        "网络与系统安全"
    )
    assert (direction.provenance.kind, direction.provenance.official, direction.provenance.source) == (
        "translated",
        False,
        direction.source,
    )
    term = store.skill_name("troubleshoot faults")  # a reviewed term of the tasks: data/skills.csv's row
    assert (term.name_zh, term.name_en, term.official, term.source) == (
        "排除故障",
        "troubleshoot faults",
        False,
        "skills.csv:3",
    )
    area = store.skill_name("漏洞挖掘与逆向分析")  # a work area of 003: its English is a title term's
    assert area.name_en == "vulnerability discovery and reverse engineering" and area.official is False
    assert area.source and area.source.startswith("translations/title_terms_en.csv:")
    for unknown, ask, meant in (
        ("排除故", store.skill_name, "排除故障"),
        ("网络与系统", store.direction_name, "网络与系统安全"),
    ):
        with pytest.raises(NotFound) as e:
            ask(unknown)
        assert meant in e.value.suggestions and not [s for s in e.value.suggestions if ":" in s]  # names, not ids


def test_the_2024_work_types_are_found_as_work_types(store):
    for name in ("直播招聘师", "汽配销售经理人"):
        hits = store.search(name, ["WorkType"], 3).results
        assert hits and hits[0].name == name and hits[0].id == f"wt:unplaced:{name}", name


def test_parity_between_backends(fixture_store, neo4j_fixture_store):
    a, b = fixture_store, neo4j_fixture_store
    for query in ("penetration testing of networks", "区块链", "drone pilot flight", "碳排放"):
        ra = a.search(query, ["Occupation"], 5).results
        rb = b.search(query, ["Occupation"], 5).results
        assert [h.id for h in ra] == [h.id for h in rb], query
        assert all(math.isclose(x.score, y.score, abs_tol=SCORE_TOLERANCE) for x, y in zip(ra, rb, strict=False))
    sa, sb = a.similar_occupations("信息安全测试员", 5), b.similar_occupations("信息安全测试员", 5)
    assert [s.id for s in sa] == [s.id for s in sb]
    assert all(math.isclose(x.score, y.score, abs_tol=SCORE_TOLERANCE) for x, y in zip(sa, sb, strict=False))
    assert [d.name for d in a.title_directions("信息安全测试员")] == [
        d.name for d in b.title_directions("信息安全测试员")
    ]
    assert a.profile("信息安全测试员") == b.profile("信息安全测试员")
    assert a.batches() == b.batches()
    assert (
        a.skill_gap("信息安全测试员", "区块链工程技术人员").missing_skills
        == b.skill_gap("信息安全测试员", "区块链工程技术人员").missing_skills
    )


def test_every_item_says_what_it_is(store):
    """Sourced items cite their line, inferred ones the method and version the graph stores on the relation
    (REQUIRES, RELATES_TO), the same on both backends (issue 16, item 1)."""
    p = store.profile("信息安全测试员")
    assert all(t.provenance.kind == "translated" and t.provenance.official and t.provenance.source for t in p.tasks)
    assert all(b.provenance.kind == "sourced" and b.provenance.source for b in p.batches)
    assert p.field_kinds["title_directions"].kind == "inferred" and p.field_kinds["code"].kind == "sourced"
    assert [(t.rank, t.numeral, t.provenance.kind) for t in p.level_terms] == [
        (4, "四级", "common_term"),
        (3, "三级", "common_term"),
        (2, "二级", "common_term"),
        (1, "一级", "common_term"),
    ]
    for b in store.batches():
        assert b.sources and b.provenance.source == b.sources[0]
        assert all(o.provenance.kind == "sourced" and o.provenance.source for o in b.occupations)
        assert all(u.provenance.source == u.source for u in b.unresolved)
    assert all(a.provenance.kind == "sourced" and a.provenance.source for a in store.special_abilities())


def test_backends_give_the_same_kinds(fixture_store, neo4j_fixture_store):
    a, b = fixture_store, neo4j_fixture_store
    for occ in ("信息安全测试员", "区块链工程技术人员"):
        da, db = a.title_directions(occ), b.title_directions(occ)
        assert [(d.provenance.method, d.provenance.version) for d in da] == [
            (d.provenance.method, d.provenance.version) for d in db
        ]
    assert a.special_abilities() == b.special_abilities()


def test_levels_as_the_catalog_lists_them(store):
    """004 gives an occupation's own levels and each work type's apart; the union only where labelled."""
    bim = store.profile("建筑信息模型技术员")  # 004:415 5、4、1; its work types 3、2
    assert bim.skill_levels == [5, 4, 1] and bim.all_levels == [5, 4, 3, 2, 1]
    assert len(bim.work_type_levels) == 5 and all(v == [3, 2] for v in bim.work_type_levels.values())  # 004:419–443
    ecommerce = store.profile("电子商务师")  # 004:37 4、3、2; 跨境电子商务师 and 网商 5、4、3、2
    assert ecommerce.skill_levels == [4, 3, 2] and ecommerce.all_levels == [5, 4, 3, 2]
    drone = store.profile("无人机驾驶员")  # 004:81 5、2、1
    assert drone.skill_levels == [5, 2, 1]


AD = """【急招】渗透测试工程师
某网络安全科技有限公司 | 15-25K
岗位职责：
1. 负责客户网站和内网的渗透测试，挖掘安全漏洞；
2. 编写渗透测试报告，给出修复建议；
福利：五险一金、双休、年终奖"""


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_analyze_reads_a_job_ad_sentence_by_sentence(store):
    a = store.analyze(AD, "job_ad")
    assert all(AD[s.start : s.end] == s.text for s in a.sentences)
    assert a.title is not None and a.title.title == "【急招】渗透测试工程师"
    best = a.occupations[0]
    assert best.name_zh == "信息安全测试员" and best.match != "weak" and not a.no_good_match
    assert best.title > 0.5 and best.details["framed"] == 1.0 and a.kind == "job_ad" and a.kind_given
    # its evidence (the fixture's tasks for it are English, so there may be none): duty lines, never the
    # salary or the benefits; the sentences list what is claimed of them
    duty = {s.index for s in a.sentences if "渗透测试" in s.text and s.index > 0}
    assert {e.sentence for e in best.evidence} <= duty
    assert all(e.task_id.startswith("task:") and 0.5 <= e.score <= e.coverage for e in best.evidence)
    assert sum(len(s.tasks) for s in a.sentences) == sum(len(o.evidence) for o in a.occupations)
    benefits = next(s for s in a.sentences if "五险一金" in s.text)
    assert not benefits.tasks
    assert store.analyze(AD).kind == "job_ad"  # its markers say so
    assert [o.confidence for o in a.occupations] == sorted((o.confidence for o in a.occupations), reverse=True)


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_analyze_finds_nothing_in_what_is_not_work(store):
    a = store.analyze("今天天气不错，我们去公园散步，晚上吃火锅。\n周末看了一场电影，剧情很感人。")
    assert a.no_good_match and all(o.match == "weak" for o in a.occupations)
    assert not any(s.tasks for s in a.sentences)


@pytest.mark.model  # the calibrations fitted for the real encoder (graph.query.confidence)
def test_analyze_with_a_target_reports_its_coverage(store):
    a = store.analyze(AD, target="信息安全测试员")
    assert a.target.name_zh == "信息安全测试员" and a.coverage
    assert sum(a.coverage_summary.values()) == len(a.coverage) and a.coverage_summary["missing"] < len(a.coverage)
    assert {"coverage_partial", "coverage_covered"} <= set(a.thresholds)


@pytest.mark.parametrize("text, kind", [("", None), ("   ", None), ("测" * 20001, None), (AD, "novel")])
def test_analyze_rejects_bad_input(store, text, kind):
    with pytest.raises(InvalidInput):
        store.analyze(text, kind)


def test_analyze_names_an_unknown_target(store):
    with pytest.raises(NotFound):
        store.analyze(AD, target="不存在的职业名")


def test_backends_analyze_alike(fixture_store, neo4j_fixture_store):
    for text in (AD, "Performed penetration tests on web applications and wrote the test reports.\nTeam player."):
        a, b = fixture_store.analyze(text), neo4j_fixture_store.analyze(text)
        assert [o.id for o in a.occupations[:3]] == [o.id for o in b.occupations[:3]], text
        assert all(
            math.isclose(x.confidence, y.confidence, abs_tol=SCORE_TOLERANCE)
            for x, y in zip(a.occupations, b.occupations, strict=False)
        )
        assert [[t.id for t in s.tasks] for s in a.sentences] == [[t.id for t in s.tasks] for s in b.sentences]
        assert [s.text for s in a.sentences] == [s.text for s in b.sentences] and a.skills == b.skills
