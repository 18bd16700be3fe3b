"""Professional-title (职称) evaluation measures (form of 003).

What the document gives: the title series and the specialty it adds, the directions of the
specialty with their work areas, the levels in order with their names, and per level the
basic conditions (基本条件), education/experience requirements, performance conditions (业绩条件: a
paragraph for every applicant, then one item per direction), achievement conditions (N of M
items) and exceptional (破格) conditions. The text is PDF-extracted with hard line breaks,
so it is parsed as joined text (whitespace removed) with offsets mapped back to lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.ingest.tasks import numbered_spans
from graph.ingest.text import JoinedText, SourceText, squash
from graph.model import Source

CN_NUM = "一二三四五六七八九十"
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
SERIES = re.compile(r"在(\S{2,10}?)系列增设(\S{2,12}?)职称评审专业")
EFFECTIVE = re.compile(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起执行")
LEVEL_NAMES = re.compile(
    r"((?:[^。，、和]{1,4}级[、和])+[^。，、和]{1,4}级)职称名称依次为((?:[^。，、和]{2,8}[、和])+[^。，、和]{2,8})。"
)
DIRECTION_LIST = re.compile(r"包括((?:[^、。]{2,12}、)+[^、。]{2,12}?)等([一二三四五六七八九十]+)个方向")
DIRECTION = re.compile(r"(\d+)\.(\S{2,12}?)专业方向。包括从事(.+?)等工作。")
EDUCATION = re.compile(r"(博士|硕士|大学本科|大学专科|中等职业学校)")
YEARS = re.compile(r"满(\d+)年")
PRIOR = re.compile(r"取得(非本系列（专业）)?(初级|中级|副高级|正高级)职称")
# activities that end a work area ("应用系统规划") and may then stand alone for the next ones
ACTIVITIES = ("规划", "管理", "建设", "运维", "监管", "评测", "检查", "研发")
ELIDED_HEADS = ("管理", "测评", "检查", "运维", "监管")
N_OF_M = re.compile(r"(\d+)项(?:成果)?中的?(\d+)项")


@dataclass
class Item:
    text: str
    order: int
    source: Source
    education: str | None = None
    years: int | None = None
    prior_title: str | None = None
    direction: str | None = None  # a performance condition for the applicants of one direction


@dataclass
class LevelConditions:
    name: str
    tier: str
    rank: int
    source: Source
    basic: list[Item] = field(default_factory=list)
    education: list[Item] = field(default_factory=list)
    performance: list[Item] = field(default_factory=list)
    achievements: list[Item] = field(default_factory=list)
    achievements_needed: int | None = None
    exceptional: list[Item] = field(default_factory=list)
    exceptional_title: str | None = None


@dataclass
class Direction:
    name: str
    order: int
    work_areas: list[str]
    source: Source
    # each work area as 003 writes it, where that differs from the name: the list elides an object
    # (应用系统规划、管理、测评与检查 → 管理 is 应用系统管理), so the name is restored, not verbatim
    written_as: dict[str, str] = field(default_factory=dict)


@dataclass
class TitleMeasures:
    file: str
    document_no: str | None
    issued: str | None
    effective: str | None
    series: str
    specialty: str
    directions: list[Direction]
    levels: list[LevelConditions]
    source: Source


def parse_title_measures(doc: SourceText) -> TitleMeasures:
    jt = JoinedText(doc, squash=True)
    t = jt.text
    # the number and the signing date stand on lines of their own
    own_lines = [squash(line) for line in doc.lines]
    doc_no = next((m for line in own_lines if (m := DOC_NO.fullmatch(line))), None)
    issued = next((m for line in own_lines if (m := DATE.fullmatch(line))), None)
    effective = EFFECTIVE.search(t)
    series = _require(jt, SERIES, "增设…职称评审专业 naming the series and specialty")
    names = _require(jt, LEVEL_NAMES, "…级职称名称依次为… naming the levels in order")
    tiers = re.split(r"[、和]", names.group(1))
    titles = re.split(r"[、和]", names.group(2))
    if len(tiers) != len(titles):
        raise doc.error(jt.line_at(names.start()), f"as many title names as tiers ({len(tiers)})", names.group(2))

    dir_list = _require(jt, DIRECTION_LIST, "包括…等N个方向 listing the directions")
    listed = dir_list.group(1).split("、")
    directions = [
        Direction(m.group(2), int(m.group(1)), work_areas(m.group(3)), jt.source_at(m.start()), written_as(m.group(3)))
        for m in DIRECTION.finditer(t, dir_list.end())
    ]
    if [d.name for d in directions] != listed:
        raise doc.error(
            jt.line_at(dir_list.start()), f"a paragraph for each direction {listed}", str([d.name for d in directions])
        )

    levels = _levels(doc, jt, titles, tiers, [d.name for d in directions])
    return TitleMeasures(
        doc.name,
        doc_no.group(0) if doc_no else None,
        _iso(issued),
        _iso(effective),
        series.group(1),
        series.group(2),
        directions,
        levels,
        jt.source_at(series.start()),
    )


def work_areas(text: str) -> list[str]:
    """Split an enumeration of work areas, restoring elided objects: in "应用系统规划、管理、测评与检查"
    the bare activities share the first item's object (应用系统管理, 应用系统测评与检查)."""
    items = [a for a in text.split("、") if a]
    out: list[str] = []
    obj = None
    for item in items:
        if obj and (len(item) <= 2 or item.startswith(ELIDED_HEADS)):
            out.append(obj + item)
            continue
        out.append(item)
        obj = item[:-2] if len(item) > 4 and item[-2:] in ACTIVITIES else None
    return out


def written_as(text: str) -> dict[str, str]:
    """The work areas whose names `work_areas` restores, each with the words 003 uses for it.

    >>> written_as("应用系统规划、管理、测评与检查")
    {'应用系统管理': '管理', '应用系统测评与检查': '测评与检查'}
    >>> written_as("风险评估、渗透测试")
    {}
    """
    items = [a for a in text.split("、") if a]
    return {area: item for area, item in zip(work_areas(text), items, strict=True) if area != item}


def _levels(
    doc: SourceText, jt: JoinedText, titles: list[str], tiers: list[str], directions: list[str]
) -> list[LevelConditions]:
    t = jt.text
    # the application conditions: "一、助理工程师" … "四、正高级工程师", in order
    starts: list[re.Match[str]] = []
    pos = 0
    for i, title in enumerate(titles):
        m = re.compile(rf"{CN_NUM[i]}、{title}(?=（|\S)").search(t, pos)
        while m and t[m.end() : m.end() + 1] in "、和":  # a mention in a list, not a heading
            m = re.compile(rf"{CN_NUM[i]}、{title}").search(t, m.end())
        if not m:
            raise doc.error(None, f"a section '{CN_NUM[i]}、{title}' with its application conditions")
        starts.append(m)
        pos = m.end()
    levels = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(t)
        level = LevelConditions(titles[i], tiers[i], i + 1, jt.source_at(m.start()))
        _basic(doc, jt, m.end(), end, level)
        _education(jt, m.end(), end, level)
        _performance(doc, jt, m.end(), end, level, directions)
        _achievements(doc, jt, m.end(), end, level)
        _exceptional(jt, m.end(), end, level)
        if not level.education:
            raise doc.error(level.source.line, f"学历和专业工作经历条件 items for {level.name}")
        levels.append(level)
    return levels


def _block(t: str, header: str, start: int, end: int) -> tuple[int, int] | None:
    at = t.find(header, start, end)
    if at < 0:
        return None
    nxt = re.compile(r"（[一二三四五六]）").search(t, at + len(header), end)
    return at, (nxt.start() if nxt else end)


def _items(jt: JoinedText, a: int, b: int) -> list[Item]:
    body = jt.text[:b]
    spans = numbered_spans(body, a, paren=True) or numbered_spans(body, a)
    return [Item(jt.text[s:e].strip("；;。"), n, jt.source_at(m)) for n, (m, s, e) in enumerate(spans, 1)]


def _basic(doc: SourceText, jt: JoinedText, start: int, end: int, level: LevelConditions) -> None:
    """（一）基本条件: a paragraph, or its item 1 where item 2 is the education conditions (工程师 and up)."""
    block = _block(jt.text, "基本条件", start, end)
    if not block:
        raise doc.error(level.source.line, f"（一）基本条件 for {level.name}")
    a = block[0] + len("基本条件")
    nested = jt.text.find("学历和专业工作经历条件", a, block[1])
    b = block[1]
    if nested >= 0:
        item2 = [s for s in numbered_spans(jt.text[:nested], a) if s[0] < nested]
        if len(item2) != 2:
            raise doc.error(jt.line_at(a), "基本条件 as item 1, the education conditions as item 2")
        a, b = item2[0][1], item2[1][0]
    text = jt.text[a:b].strip("；;。：:")
    if not text:
        raise doc.error(jt.line_at(a), f"the text of 基本条件 for {level.name}")
    level.basic.append(Item(text, 1, jt.source_at(a)))


def _performance(
    doc: SourceText, jt: JoinedText, start: int, end: int, level: LevelConditions, directions: list[str]
) -> None:
    """（二）业绩条件: a paragraph every applicant meets (none for 工程师), then one item per direction."""
    block = _block(jt.text, "业绩条件", start, end)
    if not block:
        return
    a = block[0] + len("业绩条件")
    if jt.text.startswith("（", a):  # （应具备下列条件之一）
        a = jt.text.find("）", a, block[1]) + 1
    items = _items(jt, a, block[1])
    spans = numbered_spans(jt.text[: block[1]], a)
    first = spans[0][0] if spans else block[1]
    if general := jt.text[a:first].strip("；;。：:"):
        level.performance.append(Item(general, 0, jt.source_at(a)))
    for item in items:
        m = re.match(r"从事(\S{2,12}?)专业技术工作", item.text)
        if not m or m.group(1) not in directions:
            raise doc.error(
                item.source.line, f"a performance item naming one of the directions {directions}", item.text
            )
        item.direction = m.group(1)
        level.performance.append(item)
    if [i.direction for i in items] != directions:
        raise doc.error(jt.line_at(block[0]), f"a performance item for each direction {directions}")


def _education(jt: JoinedText, start: int, end: int, level: LevelConditions) -> None:
    block = _block(jt.text, "学历和专业工作经历条件", start, end)
    if not block:
        return
    header_end = jt.text.find("：", block[0], block[1]) + 1
    for item in _items(jt, header_end, block[1]):
        if m := EDUCATION.search(item.text):
            item.education = m.group(1)
        if m := YEARS.search(item.text):
            item.years = int(m.group(1))
        if m := PRIOR.search(item.text):
            item.prior_title = ("非本系列" if m.group(1) else "") + m.group(2)
        level.education.append(item)


def _achievements(doc: SourceText, jt: JoinedText, start: int, end: int, level: LevelConditions) -> None:
    block = _block(jt.text, "成果条件", start, end)
    if not block:
        return
    head = N_OF_M.search(jt.text, block[0], block[1])
    if not head:
        raise doc.error(jt.line_at(block[0]), "成果条件 stating N项…中M项")
    of_items, need = int(head.group(1)), int(head.group(2))
    close = jt.text.find("）", head.end(), block[1]) + 1
    level.achievements = _items(jt, close, block[1])
    level.achievements_needed = need
    if len(level.achievements) != of_items:
        raise doc.error(jt.line_at(block[0]), f"{of_items} achievement items as stated", str(len(level.achievements)))


def _exceptional(jt: JoinedText, start: int, end: int, level: LevelConditions) -> None:
    m = re.compile(r"（[一二三四五六]）破格申报(\S{2,8}?)(?=具备|：|\d)").search(jt.text, start, end)
    if not m:
        return
    colon = jt.text.find("：", m.end(), end) + 1
    level.exceptional_title = m.group(1)
    level.exceptional = _items(jt, colon, end)


def _require(jt: JoinedText, pattern: re.Pattern[str], expected: str) -> re.Match[str]:
    m = pattern.search(jt.text)
    if not m:
        raise jt.doc.error(None, expected)
    return m


def _iso(m: re.Match[str] | None) -> str | None:
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None
