"""Catalog tables of certifiable occupations and work types (form of 004).

Columns 序号, 职业编码, 职业（工种）名称, 职业名称, 等级 — one cell per line (tab-indented),
rows separated by blank lines. The work type, when there is one, is in full-width
parentheses after the occupation: 信息安全测试员（渗透测试员）.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.ingest.text import SourceText
from graph.model import Source

HEADER = ("序号", "职业编码", "职业（工种）名称", "职业名称", "等级")
CODE = re.compile(r"^\d-\d{2}-\d{2}-(?:\d{2}|Z\d+)$")
LEVELS = re.compile(r"^[1-5](?:[、,，\s]+[1-5])*$")
SPECIAL = "专项职业能力"
TITLE = re.compile(r"^(?P<occupation>[^（]+)(?:（(?P<work_type>.+)）)?$")  # work types may nest: 登山（山地户外）


@dataclass(frozen=True)
class CatalogRow:
    seq: int
    code: str
    title: str
    occupation: str
    work_type: str | None
    levels: tuple[int, ...]  # 5..1; empty for 专项职业能力
    special: bool
    source: Source


def parse_catalog(doc: SourceText) -> list[CatalogRow]:
    cells: list[tuple[int, str]] = [(i + 1, line.strip()) for i, line in enumerate(doc.lines) if line.strip()]
    header_at = _find_header(doc, cells)
    rows: list[CatalogRow] = []
    i = header_at + len(HEADER)
    while i < len(cells) and not cells[i][1].startswith("注"):
        chunk = cells[i : i + len(HEADER)]
        line = chunk[0][0]
        if len(chunk) < len(HEADER):
            raise doc.error(line, "a full row of 5 cells (序号 职业编码 名称 职业名称 等级)", "a truncated row")
        (_, seq), (_, code), (_, title), (_, occupation), (lv_line, levels) = chunk
        expected_seq = len(rows) + 1
        if seq != str(expected_seq):
            raise doc.error(line, f"序号 {expected_seq}", seq)
        if not CODE.match(code):
            raise doc.error(chunk[1][0], "a 职业编码 like 4-04-04-04 or 4-04-05-Z1", code)
        m = TITLE.match(title)
        if not m or m.group("occupation") != occupation:
            raise doc.error(chunk[2][0], f"职业（工种）名称 starting with 职业名称 {occupation!r}", title)
        parsed: tuple[int, ...]
        if levels == SPECIAL:
            parsed, special = (), True
        elif LEVELS.match(levels):
            parsed, special = tuple(int(x) for x in re.findall(r"[1-5]", levels)), False
        else:
            raise doc.error(lv_line, "等级 like 5、4、3 or 专项职业能力", levels)
        rows.append(
            CatalogRow(int(seq), code, title, occupation, m.group("work_type"), parsed, special, doc.source(line))
        )
        i += len(HEADER)
    if not rows:
        raise doc.error(None, "at least one catalog row")
    return rows


def _find_header(doc: SourceText, cells: list[tuple[int, str]]) -> int:
    for i in range(len(cells) - len(HEADER) + 1):
        if tuple(c for _, c in cells[i : i + len(HEADER)]) == HEADER:
            return i
    raise doc.error(1, "a table header " + " / ".join(HEADER))
