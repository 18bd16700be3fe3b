"""Counts read off the documents themselves, one parser per document form."""

from graph.ingest.catalog import parse_catalog
from graph.ingest.notice_zh import parse_notice
from graph.ingest.occupation_info import parse_profiles_zh
from graph.ingest.release_en import parse_release_article
from graph.ingest.text import read_text
from graph.ingest.title_measures import parse_title_measures
from tests.conftest import ROOT, SOURCES

FIXTURE = ROOT / "tests" / "fixtures" / "occupation_info_zh.txt"


def test_catalog_has_202_rows_with_work_types_and_levels():
    rows = parse_catalog(read_text(SOURCES / "004_eaf749be2f6ce36e.txt"))
    assert len(rows) == 202
    tester = next(r for r in rows if r.title == "信息安全测试员（渗透测试员）")
    assert (tester.code, tester.occupation, tester.work_type, tester.levels) == (
        "4-04-04-04",
        "信息安全测试员",
        "渗透测试员",
        (4, 3, 2, 1),
    )
    assert tester.source.line == 195
    special = [r for r in rows if r.special]
    assert [r.code for r in special] == ["4-04-05-Z1", "4-04-05-Z2"] and all(r.levels == () for r in special)
    nested = next(r for r in rows if r.work_type and "（" in r.work_type)
    assert nested.work_type == "登山（山地户外）"


def test_2024_notice_states_19_28_11_and_lists_19_names():
    n = parse_notice(read_text(SOURCES / "000_a603fc154322594f.txt"))
    assert n.stated == {"occupations": 19, "work_types": 28, "changed": 11}
    assert len(n.occupations) == 19
    assert n.occupations[0].name == "生物工程技术人员" and n.occupations[-1].name == "智能网联汽车装调运维员"
    assert (n.document_no, n.announced) == ("人社厅发〔2024〕36号", "2024-07-25")
    # of the 28 new work types the notice names two, unquoted and without a parent occupation
    assert [(w.name, w.source.line) for w in n.work_types] == [("直播招聘师", 29), ("汽配销售经理人", 43)]


def test_2020_third_batch_notice_names_occupations_work_types_and_raised_work_types():
    n = parse_notice(read_text(SOURCES / "001_261aff24bed019f8.txt"))
    assert n.ordinal == 3 and n.announced is None
    assert len(n.occupations) == 9 and "信息安全测试员" in [o.name for o in n.occupations]
    assert [w.name for w in n.work_types] == ["直播销售员", "互联网信息审核员"]
    assert [w.name for w in n.raised_work_types] == ["防疫员", "消毒员", "公共场所卫生管理员"]


def test_release_article_has_four_batches_of_56_and_30_profiles():
    a = parse_release_article(read_text(SOURCES / "002_4f42679ce3381b74.txt"))
    numbered = [b for b in a.batches if b.ordinal]
    assert [len(b.names) for b in numbered] == [13, 16, 9, 18]
    assert [(b.year, b.month) for b in numbered] == [(2019, 4), (2020, 2), (2020, 6), (2021, 3)]
    assert a.stated_total == 56 == sum(len(b.names) for b in numbered)
    opening = next(b for b in a.batches if not b.ordinal)
    assert (opening.month, opening.day, opening.stated["occupations"]) == (6, 14, 18)
    assert len(a.profiles) == 30
    ist = next(p for p in a.profiles if p.name == "Information Security Testers")
    assert (
        len(ist.tasks) == 6
        and ist.section == "Third"
        and ist.definition.startswith("Personnel who conduct penetration")
    )
    carbon = next(p for p in a.profiles if p.name == "Carbon Emission Managers")
    assert len(carbon.work_types) == 6


def test_title_measures_directions_levels_and_conditions():
    m = parse_title_measures(read_text(SOURCES / "003_3fdd860fe6494778.txt"))
    assert (m.series, m.specialty, m.document_no, m.issued, m.effective) == (
        "工程技术",
        "网络空间安全",
        "京人社发〔2024〕2号",
        "2024-04-10",
        "2024-05-01",
    )
    assert [d.name for d in m.directions] == ["网络与系统安全", "信息内容安全", "数据安全", "业务安全"]
    assert "漏洞挖掘与逆向分析" in m.directions[0].work_areas
    # two names restore an object the list elides; the words 003 uses are kept beside them (issue 16)
    written = {area: words for d in m.directions for area, words in d.written_as.items()}
    assert written == {"应用系统管理": "管理", "应用系统测评与检查": "测评与检查"}
    assert [lv.name for lv in m.levels] == ["助理工程师", "工程师", "高级工程师", "正高级工程师"]
    assert [lv.tier for lv in m.levels] == ["助理级", "中级", "副高级", "正高级"]
    assert [(lv.achievements_needed, len(lv.achievements)) for lv in m.levels] == [(None, 0), (2, 9), (3, 8), (3, 8)]
    senior = m.levels[2]
    assert senior.exceptional_title == "高级工程师" and len(senior.exceptional) == 7
    bachelor = m.levels[0].education[1]
    assert (bachelor.education, bachelor.years) == ("大学本科", 1)
    assert m.levels[3].education[0].prior_title == "副高级"
    # 基本条件: a paragraph for 助理工程师, item 1 of （一） above it (item 2 is the education conditions)
    assert [[(b.order, b.source.line) for b in lv.basic] for lv in m.levels] == [
        [(1, 194)],
        [(1, 219)],
        [(1, 325)],
        [(1, 467)],
    ]
    assert m.levels[0].basic[0].text.startswith("掌握本专业的基础理论知识") and m.levels[1].basic[0].text.endswith(
        "具有指导助理工程师工作的能力"
    )
    # 业绩条件: one item per direction (003:247–282, 354–395, 491–559), after a paragraph for all from 高级工程师 up
    directions = [d.name for d in m.directions]
    assert m.levels[0].performance == []
    assert [(p.order, p.direction, p.source.line) for p in m.levels[1].performance] == list(
        zip([1, 2, 3, 4], directions, [249, 256, 266, 276], strict=True)
    )
    for lv, general_line in ((m.levels[2], 356), (m.levels[3], 493)):
        general, *by_direction = lv.performance
        assert (general.order, general.direction, general.source.line) == (0, None, general_line)
        assert [p.direction for p in by_direction] == directions
    assert m.levels[3].performance[4].source.line == 548 and m.levels[3].performance[4].text.startswith(
        "从事业务安全专业技术工作"
    )


def test_chinese_occupation_information_form_fixture():
    profiles = parse_profiles_zh(read_text(FIXTURE))
    assert [p.name for p in profiles] == ["信息安全测试员", "测试夹具员"]
    p = profiles[0]
    assert p.code == "4-04-04-04" and len(p.tasks) == 3 and [w for w, _ in p.work_types] == ["渗透测试员"]
    assert p.tasks[1][0] == "制订评测目标的安全测试方案及实施计划" and p.tasks[1][1].line == 8
