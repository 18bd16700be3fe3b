"""Occupation information: definition, numbered main tasks, included work types.

Two forms of the same information:
- English (as in 002): a heading "01Information Security Testers" (the number may follow
  other text on the line), "Definition: …", "Main Tasks:", "1. …;" lines, and optionally
  "This profession includes but is not limited to the following job types:" + a list line.
- Official Chinese: 职业编码：… / 职业名称：… / 职业定义：… / 主要工作任务： numbered lines /
  本职业包含但不限于下列工种： followed by one work type per line (or separated by 、).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.ingest.text import SourceText
from graph.model import Lang, Source


@dataclass
class OccupationProfile:
    name: str
    lang: Lang
    source: Source
    code: str | None = None
    definition: str | None = None
    tasks: list[tuple[str, Source]] = field(default_factory=list)
    work_types: list[tuple[str, Source]] = field(default_factory=list)
    section: str | None = None  # e.g. the batch heading the profile appears under


EN_HEADING = re.compile(r"(?:^|Professions)(\d{2})([A-Z][A-Za-z][A-Za-z\-,&' ]+?)\s*$")
EN_DEFINITION = re.compile(r"^Definition:\s*(.+)$")
EN_TASKS = re.compile(r"^Main Tasks:\s*$")
EN_TASK = re.compile(r"^(\d+)\.\s*(.+?)[;.；。]?\s*$")
EN_WORK_TYPES = re.compile(r"includes but is not limited to the following job types:?\s*$")

ZH_FIELD = re.compile(r"^(职业编码|职业名称|职业定义|主要工作任务|本职业包含但不限于下列工种)[：:]\s*(.*)$")
ZH_TASK = re.compile(r"^(\d+)[\.．、]\s*(.+?)[；;。]?\s*$")


def parse_profiles_en(
    doc: SourceText, start: int = 1, end: int | None = None, section_of: dict[int, str] | None = None
) -> list[OccupationProfile]:
    """English profiles between lines start..end (1-based, inclusive)."""
    profiles: list[OccupationProfile] = []
    current: OccupationProfile | None = None
    state = "idle"
    for number in range(start, (end or len(doc.lines)) + 1):
        text = doc.lines[number - 1].strip().lstrip("·• ").strip()
        if not text:
            continue
        if (m := EN_HEADING.search(text)) and (state != "tasks" or not EN_TASK.match(text)):
            current = OccupationProfile(
                m.group(2).strip(), "en", doc.source(number), section=_section(section_of, number)
            )
            if int(m.group(1)) != _expected_number(profiles, current):
                raise doc.error(number, f"profile number {_expected_number(profiles, current):02d}", m.group(1))
            profiles.append(current)
            state = "heading"
        elif current is None:
            continue
        elif m := EN_DEFINITION.match(text):
            current.definition = m.group(1).strip()
            state = "definition"
        elif EN_TASKS.match(text):
            state = "tasks"
        elif state == "tasks" and (m := EN_TASK.match(text)):
            if int(m.group(1)) != len(current.tasks) + 1:
                raise doc.error(number, f"task {len(current.tasks) + 1}.", text[:30])
            current.tasks.append((m.group(2).strip(), doc.source(number)))
        elif EN_WORK_TYPES.search(text):
            state = "work_types"
        elif state == "work_types":
            names = [n.strip() for n in re.split(r",\s*|\s+and\s+", text.rstrip(".")) if n.strip()]
            current.work_types.extend((n, doc.source(number)) for n in names)
            state = "done"
        elif state in ("tasks", "done"):
            state = "after"  # prose after the profile ends it
            current = None
    for p in profiles:
        if not p.definition or not p.tasks:
            raise doc.error(p.source.line, f"a Definition and numbered Main Tasks for {p.name!r}")
    return profiles


def _section(section_of: dict[int, str] | None, line: int) -> str | None:
    if not section_of:
        return None
    starts = [s for s in section_of if s <= line]
    return section_of[max(starts)] if starts else None


def _expected_number(done: list[OccupationProfile], new: OccupationProfile) -> int:
    """Numbering restarts at 01 in each section."""
    return sum(1 for p in done if p.section == new.section) + 1


def parse_profiles_zh(doc: SourceText) -> list[OccupationProfile]:
    """Official Chinese form; a new profile starts at each 职业编码 or 职业名称 after a complete one."""
    profiles: list[OccupationProfile] = []
    current: OccupationProfile | None = None
    state = "idle"
    pending_code: tuple[str, int] | None = None
    for number, raw in enumerate(doc.lines, start=1):
        text = raw.strip()
        if not text:
            continue
        if m := ZH_FIELD.match(text):
            key, value = m.group(1), m.group(2).strip()
            if key == "职业编码":
                pending_code = (value, number)
            elif key == "职业名称":
                if not value:
                    raise doc.error(number, "a name after 职业名称：")
                current = OccupationProfile(value, "zh", doc.source(number))
                if pending_code:
                    current.code = pending_code[0]
                    pending_code = None
                profiles.append(current)
                state = "name"
            elif current is None:
                raise doc.error(number, "职业名称： before " + key)
            elif key == "职业定义":
                current.definition = value
                state = "definition"
            elif key == "主要工作任务":
                state = "tasks"
            else:
                state = "work_types"
                if value:
                    current.work_types.extend((n, doc.source(number)) for n in re.split(r"[、，,]", value) if n)
            continue
        if current is None:
            continue
        if state == "tasks" and (m := ZH_TASK.match(text)):
            if int(m.group(1)) != len(current.tasks) + 1:
                raise doc.error(number, f"task {len(current.tasks) + 1}.", text[:30])
            current.tasks.append((m.group(2), doc.source(number)))
        elif state == "definition":
            current.definition = (current.definition or "") + text
        elif state == "work_types":
            current.work_types.extend((n, doc.source(number)) for n in re.split(r"[、，,]", text) if n)
        elif state == "tasks":
            raise doc.error(number, f"task {len(current.tasks) + 1}. or the next field", text[:30])
    for p in profiles:
        if not p.definition or not p.tasks:
            raise doc.error(p.source.line, f"职业定义 and numbered 主要工作任务 for {p.name!r}")
    if not profiles:
        raise doc.error(None, "at least one 职业名称：")
    return profiles
