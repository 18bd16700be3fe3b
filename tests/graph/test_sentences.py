"""Splitting free texts into the sentences analyze matches: list markers, Chinese and English, offsets."""

import pytest

from graph.query.sentences import split


def texts(text):
    return [s.text for s in split(text)]


def test_every_span_points_into_the_text():
    text = "【急招】焊工\n岗位职责：\n1、负责钢结构焊接；\n(2) 看懂图纸。\n★ 五险一金 ★\n\n  • Weld steel frames. Read drawings, e.g. ISO.\r\n"
    spans = split(text)
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    assert [s.start for s in spans] == sorted(s.start for s in spans)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "1. 负责渗透测试\n2、编写报告\n（3）跟踪修复\n③ 安全评估\n一、岗位职责",
            ["负责渗透测试", "编写报告", "跟踪修复", "安全评估", "岗位职责"],
        ),
        ("- 熟悉 Linux\n* Python\n• 五险一金", ["熟悉 Linux", "Python", "五险一金"]),
        ("熟悉网络协议；掌握渗透工具; 有证书者优先", ["熟悉网络协议", "掌握渗透工具", "有证书者优先"]),
        ("Run penetration tests. Write reports for clients.", ["Run penetration tests.", "Write reports for clients."]),
        ("薪资 1.5万-2万/月。年终奖 3.5 个月", ["薪资 1.5万-2万/月。", "年终奖 3.5 个月"]),
    ],
)
def test_lists_and_sentences(text, expected):
    assert texts(text) == expected


def test_a_long_sentence_is_split_at_its_commas_and_short_pieces_stay_joined():
    long = "负责公司客户网站和移动应用的渗透测试工作，按照测试方案挖掘系统中存在的各类安全漏洞，编写详细的渗透测试报告并跟踪修复，好"
    assert texts(long) == [
        "负责公司客户网站和移动应用的渗透测试工作",
        "按照测试方案挖掘系统中存在的各类安全漏洞",
        "编写详细的渗透测试报告并跟踪修复，好",
    ]
    assert texts("负责渗透测试，编写报告") == ["负责渗透测试，编写报告"]  # short: one duty line stays whole
    # an English comma separates a list, not duties
    assert texts("Performed penetration tests on web apps, APIs and internal networks, ensuring fixes") == [
        "Performed penetration tests on web apps, APIs and internal networks, ensuring fixes"
    ]


def test_blank_and_marker_only_lines_give_nothing():
    assert texts("\n\n  \n•\n3.\n") == []


def test_the_sentences_where_a_text_asks_or_offers_are_known_by_their_lines():
    """Evidence is never claimed from requirements, certificates or benefits (graph.query.analysis.asking_lines):
    each span is placed on its line by its offset, a labelled line counts alone, a heading for its part."""
    from graph.query.analysis import asking_spans
    from graph.query.sentences import split

    text = (
        "岗位职责：\n1. 负责客房清扫，更换布草；检查迷你吧\n任职要求：1. 有酒店经验优先\n2. 持健康证\n"
        "福利：包吃住\n工作内容\nMake beds. Restock the minibar.\n证书\n新闻记者证"
    )
    spans = split(text)
    asking = {spans[i].text for i in asking_spans(text, spans)}
    assert asking == {"任职要求：1.", "有酒店经验优先", "持健康证", "福利：包吃住", "证书", "新闻记者证"}
    assert {"负责客房清扫，更换布草", "检查迷你吧", "Make beds.", "Restock the minibar."}.isdisjoint(asking)
