"""New-occupation release notices in Chinese (forms of 000 and 001).

What a notice states: how many new occupations, new work types and changed entries; the
names (a numbered list like "1.生物工程技术人员", or quoted “…”“…”等9个新职业); work types
named (“直播销售员”…等5个工种, or unquoted: 以及直播招聘师等28个新工种); work types raised to occupations (将…“防疫员”…等3个工种上升为职业);
the batch ordinal (第三批), the document number (人社厅发〔2024〕36号) and the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.ingest.text import SourceText
from graph.model import Source

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号")
DATE = re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日")
QUOTED = re.compile(r"“([^”]{2,30})”")
COUNT_OCC = re.compile(r"(\d+)个新(?:增)?职业")
COUNT_WT = re.compile(r"(\d+)个(?:新)?工种(?!上升)")
COUNT_CHANGED = re.compile(r"调整变更了?(\d+)个")
ORDINAL = re.compile(r"第([一二三四五六七八九十])批新职业")
NOTICE_TITLE = re.compile(r"^\**[^。，]{0,60}关于[^。，]{2,60}的通知\**\s*$")
LIST_HEAD = re.compile(r"^\**(\d+)个新增职业\**$")
LIST_ITEM = re.compile(r"^(\d+)[\.．、]\s*([\u4e00-\u9fff（）]+)$")
RAISED = re.compile(r"将([^。]*?)等(\d+)个工种上升为职业")
WORK_TYPES = re.compile(r"((?:“[^”]+”、?)+)等(\d+)个工种")
# an unquoted name before 等N个新工种: the run of Chinese characters there, a leading 以及/及/和 left out
WORK_TYPE_UNQUOTED = re.compile(r"([\u4e00-\u9fff]{2,24})等(\d+)个新工种")
CONNECTIVE = re.compile(r"^(?:以及|及|和)")


@dataclass
class Named:
    name: str
    source: Source


@dataclass
class NoticeRecord:
    file: str
    title: str
    document_no: str | None
    announced: str | None
    ordinal: int | None
    stated: dict[str, int] = field(default_factory=dict)
    occupations: list[Named] = field(default_factory=list)
    work_types: list[Named] = field(default_factory=list)
    raised_work_types: list[Named] = field(default_factory=list)
    # the occupation the raised work types belonged to, as the notice names it (“公共卫生辅助服务员”职业下的…)
    raised_from: Named | None = None
    source: Source = field(kw_only=True)


def parse_notice(doc: SourceText) -> NoticeRecord:
    title_line = next(
        (
            i + 1
            for i, line in enumerate(doc.lines)
            if line.strip() and not line.startswith(("---", "title:", "url:", "source:", "date:", "fetch_date:"))
        ),
        1,
    )
    title = re.sub(r"<[^>]+>|^#+\s*", "", doc.lines[title_line - 1]).strip()
    # the notice's own title ("…关于发布…的通知") beats a reprint's headline
    notice_title = next((i + 1 for i, line in enumerate(doc.lines) if NOTICE_TITLE.search(line)), None)
    if notice_title:
        title_line, title = notice_title, doc.lines[notice_title - 1].strip().strip("*").strip()
    record = NoticeRecord(doc.name, title, None, None, None, source=doc.source(title_line))
    listed: list[Named] = []
    in_list = False
    for number, line in enumerate(doc.lines, start=1):
        text = line.strip()
        if record.document_no is None and (m := DOC_NO.search(text)) and "号" in text and len(text) < 40:
            record.document_no = m.group(0)
        if record.announced is None and (m := DATE.fullmatch(text)):
            record.announced = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        if record.ordinal is None and (m := ORDINAL.search(text)):
            record.ordinal = CN_DIGITS[m.group(1)]
        for key, pattern in (("occupations", COUNT_OCC), ("work_types", COUNT_WT), ("changed", COUNT_CHANGED)):
            if key not in record.stated and (m := pattern.search(text)):
                record.stated[key] = int(m.group(1))
        if LIST_HEAD.match(text):
            in_list = True
            continue
        if in_list and text:
            m = LIST_ITEM.match(text)
            if not m:  # the list ends at the first line that is not an item
                in_list = False
                continue
            if int(m.group(1)) != len(listed) + 1:
                raise doc.error(number, f"list item {len(listed) + 1}.", text)
            listed.append(Named(m.group(2), doc.source(number)))
        if not listed:
            _quoted_names(doc, number, text, record)
    if listed:
        record.occupations = listed
    _check(doc, record)
    return record


def _quoted_names(doc: SourceText, number: int, text: str, record: NoticeRecord) -> None:
    """Names in quotes before 等N个新职业, work types before 等N个工种, and raised work types."""
    src = doc.source(number)
    if not record.occupations and (m := re.search(r"((?:“[^”]+”)+)等(\d+)个新职业", text)):
        record.occupations = [Named(n, src) for n in QUOTED.findall(m.group(1))]
    if not record.work_types and (m := WORK_TYPES.search(text)) and "上升" not in text[m.end() : m.end() + 4]:
        record.work_types = [Named(n, src) for n in QUOTED.findall(m.group(1))]
        record.stated.setdefault("work_types", int(m.group(2)))
    # 2024: each sentence names one example ("以及直播招聘师等28个新工种", "汽配销售经理人等28个新工种信息")
    for m in WORK_TYPE_UNQUOTED.finditer(text):
        name = CONNECTIVE.sub("", m.group(1))
        if len(name) >= 2 and name not in {w.name for w in record.work_types}:
            record.work_types.append(Named(name, src))
    if not record.raised_work_types and (m := RAISED.search(text)):
        # 将“公共卫生辅助服务员”职业下的“防疫员”… : the first quote names the occupation
        names = QUOTED.findall(m.group(1))
        parent = re.search(r"“([^”]+)”职业下", m.group(1))
        record.raised_work_types = [Named(n, src) for n in names if not parent or n != parent.group(1)]
        record.raised_from = Named(parent.group(1), src) if parent else None
        record.stated["raised_work_types"] = int(m.group(2))


def _check(doc: SourceText, record: NoticeRecord) -> None:
    """The text's own counts must agree with the names found, else the parse is wrong."""
    stated = record.stated.get("occupations")
    if stated is None:
        raise doc.error(None, "a count of new occupations (N个新职业)")
    if len(record.occupations) != stated:
        raise doc.error(None, f"{stated} new occupation names as stated", f"{len(record.occupations)} names")
    raised = record.stated.get("raised_work_types")
    if raised is not None and raised != len(record.raised_work_types):
        raise doc.error(None, f"{raised} raised work types", f"{len(record.raised_work_types)}")
