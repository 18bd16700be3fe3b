from collections import Counter

import pytest

from graph.ingest.classification_csv import parse_classification, split_flags
from graph.ingest.tasks import split_numbered_tasks


def test_flags_are_not_part_of_the_name():
    assert split_flags("信息安全测试员S") == ("信息安全测试员", ["digital"])
    assert split_flags("碳汇计量评估师 L") == ("碳汇计量评估师", ["green"])
    assert split_flags("某某员 L/S") == ("某某员", ["digital", "green"])
    assert split_flags("保卫管理员") == ("保卫管理员", [])


def test_tasks_split_on_numbering_whether_run_together_or_on_lines():
    assert split_numbered_tasks("1.分析技术2.研究方法\n3.提供服务。") == ["分析技术", "研究方法", "提供服务"]
    # numbers inside a task do not cut it
    assert split_numbered_tasks("1.使用2.5米长杆测量2.记录13.5千克") == ["使用2.5米长杆测量", "记录13.5千克"]
    with pytest.raises(ValueError):
        split_numbered_tasks("分析技术")


def test_classification_levels_tasks_and_flags(csv_path):
    rows = parse_classification(csv_path)
    assert Counter(r.level for r in rows) == {1: 8, 2: 79, 3: 450, 4: 1676}
    occupations = [r for r in rows if r.level == 4]
    assert sum(1 for r in occupations if r.tasks) >= 1665
    assert 10_500 <= sum(len(r.tasks) for r in occupations) <= 11_000
    assert not any(r.name.endswith(("S", "L")) for r in occupations)
    tester = next(r for r in occupations if r.code == "4-04-04-04")
    assert tester.name == "信息安全测试员" and tester.flags == ["digital"] and len(tester.tasks) == 8
    assert tester.source.row is not None and tester.source.file == csv_path.name
