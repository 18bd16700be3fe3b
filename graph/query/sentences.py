"""A free text split into the sentences and clauses a reader would match one by one.

Job ads, CVs and syllabi are mostly lists: one duty per line, behind a bullet or a number, often with
no full stop. So a text is split at line breaks first, the list marker is dropped (its span still
points into the original text), each line is split into sentences by pysbd (a maintained rule-based
splitter: Chinese and English, abbreviations and decimals such as "1.5万" or "e.g." kept whole), and a
sentence is split again at semicolons and, when long and Chinese, at commas: a job ad's "负责渗透测试，编写
测试报告，跟踪漏洞修复" is three duties, and one vector for all three matched none of them well; an English
comma mostly separates a list ("Mix flour, sugar and eggs, then bake" stays one sentence).

>>> [s.text for s in split("岗位职责：\\n1. 负责渗透测试，编写报告；\\n2、跟踪漏洞修复。薪资 1.5万/月")]
['岗位职责：', '负责渗透测试，编写报告', '跟踪漏洞修复。', '薪资 1.5万/月']
>>> text = "• Run penetration tests on web apps. Write reports, e.g. risk ratings."
>>> [(s.text, text[s.start:s.end] == s.text) for s in split(text)]
[('Run penetration tests on web apps.', True), ('Write reports, e.g. risk ratings.', True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.query.fusion import _CJK

# a list item's marker: bullets, "1." "1、" "(1)" "①"
_ITEM = r"[•·●○◆◇■□▪▶►★☆✔✓√\-–—*>]+|\(?[0-9０-９]{1,2}[.)、．）]|[（(][0-9一二三四五六七八九十]{1,2}[)）]|[①-⑳]"
#: a line that starts a list item (not a section numbered "一、", which heads one)
LIST_ITEM = re.compile(rf"^\s*(?:{_ITEM})")
# a marker the splitter drops: a list item's, or a section's "一、" "第一，"
_MARKER = re.compile(rf"^\s*(?:{_ITEM}|[一二三四五六七八九十]{{1,2}}[、.．]|第[一二三四五六七八九十]+[，,、])\s*")
_SEMICOLON = re.compile(r"[；;]")
_COMMA = re.compile(r"[，,]")
_WORDS = re.compile(r"[A-Za-z]{2,}")
#: a sentence longer than this (characters) is split at its commas too
LONG = 40
#: a clause shorter than this joins its neighbour ("熟悉Python，" alone says little)
SHORT = 6


@dataclass(frozen=True)
class Span:
    text: str
    start: int  # offsets into the original text: text == original[start:end]
    end: int


@lru_cache(maxsize=2)
def _segmenter(language: str):
    import pysbd  # imported on first use: most commands never split a text

    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def split(text: str) -> list[Span]:
    """The sentences and clauses of a text, in order, each with its place in the text; blank ones dropped."""
    out: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        marker = _MARKER.match(body)
        offset = pos + (marker.end() if marker else 0)
        body = body[marker.end() :] if marker else body
        pos += len(line)
        if not body.strip():
            continue
        language = "zh" if _CJK.search(body) else "en"
        for sentence in _segmenter(language).segment(body):
            for start, end in _clauses(body, sentence.start, sentence.end):
                out.append(Span(body[start:end], offset + start, offset + end))
    return out


def readable_sentence(text: str) -> bool:
    """Worth matching: at least two Chinese characters or two words. A bare "1." or "★★★" or an emoji
    shows no task, whatever its nearest vector.

    >>> readable_sentence("★★★"), readable_sentence("3."), readable_sentence("焊接"), readable_sentence("Team player")
    (False, False, True, True)
    """
    return len(_CJK.findall(text)) >= 2 or len(_WORDS.findall(text)) >= 2


# the words a section heading is made of: "岗位职责", "二、课程简介", "Learning outcomes", "About the role". A
# heading names a part of the text, not work done or taught; read as a sentence, "Learning outcomes" and
# "Course description" were nearest to 在线学习服务师's tasks and put it first for 7 English syllabi of the
# development rounds (bench/reports/analyze_eval.md, rounds 4–5's misses).
_SECTION_WORDS = re.compile(
    r"岗位|工作|职位|职责|内容|描述|任职|要求|资格|福利|待遇|薪资|薪酬|公司|企业|介绍|简介|关于我们|联系方式|经历|经验|"
    r"项目|教育|背景|个人|信息|专业|技能|自我|评价|优势|证书|课程|学习|教学|培训|目标|安排|考核|方式|教材|参考书|"
    r"参考资料|大纲|概述|说明|以及|与|和|及|"
    r"\b(?:job|role|position|description|responsibilities|responsibility|duties|requirements|qualifications|"
    r"about|us|the|our|your|you|we|what|who|are|will|do|offer|benefits|perks|skills|experience|work|"
    r"employment|history|education|certifications?|contact|how|to|apply|course|module|programme|program|"
    r"overview|introduction|summary|profile|learning|outcomes|objectives|content|contents|outline|schedule|"
    r"topics|assessment|grading|textbooks?|readings?|materials|prerequisites|audience|key|main|and|of|"
    r"in|details|information)\b|[&/·|#*【】\[\]（）()、\s]",
    re.I,
)


def section_heading(text: str) -> bool:
    """A heading or lead-in, not a sentence to match: one ending in a colon ("岗位职责：", "By the end of the
    course you will be able to:"), or one made of section words only ("课程简介", "Learning outcomes").
    A heading that names the work ("焊接工艺", "Barista training") is kept: it says what is done or taught.

    >>> [section_heading(t) for t in ("岗位职责：", "课程简介", "Learning outcomes", "Course description")]
    [True, True, True, True]
    >>> [section_heading(t) for t in ("焊接工艺", "Barista training", "负责焊接，编写报告", "课程目标：掌握焊接")]
    [False, False, False, False]
    """
    stripped = text.strip()
    if stripped.endswith((":", "：")):
        return True
    return not _SECTION_WORDS.sub("", stripped).strip(".,，。:：-–— ")


def worth_matching(text: str) -> bool:
    """A sentence to match against tasks: readable, and not a heading."""
    return readable_sentence(text) and not section_heading(text)


def _clauses(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's clauses: split at semicolons, and a long one at commas too, short pieces joined to the
    one before; each trimmed of surrounding space."""
    cuts = [m.end() for m in _SEMICOLON.finditer(line, start, end)]
    pieces = _pieces(start, end, cuts)
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        # a Chinese comma joins clauses (负责…，编写…，跟踪…); an English one mostly a list ("flour, sugar and eggs")
        if b - a > LONG and _CJK.search(line, a, b):
            commas = [m.end() for m in _COMMA.finditer(line, a, b)]
            out += _joined(_pieces(a, b, commas))
        else:
            out.append((a, b))
    return [t for t in (_trim(line, a, b) for a, b in out) if t]


def _pieces(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    bounds = [start, *[c for c in cuts if start < c < end], end]
    return list(zip(bounds, bounds[1:], strict=False))


def _joined(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        if out and (b - a < SHORT or out[-1][1] - out[-1][0] < SHORT):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _trim(line: str, a: int, b: int) -> tuple[int, int] | None:
    """The piece without surrounding space and trailing separators; None when nothing is left."""
    while a < b and line[a].isspace():
        a += 1
    while b > a and (line[b - 1].isspace() or line[b - 1] in "，,；;"):
        b -= 1
    return (a, b) if b > a else None
