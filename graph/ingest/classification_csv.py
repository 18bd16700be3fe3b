"""The national classification as CSV (format: ../shared/data/README.md)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import SourceFormatError
from graph.ingest.tasks import split_numbered_tasks
from graph.ingest.text import decode_bytes
from graph.model import Flag, Source

COLUMNS = ("层级", "职业编码", "职业名称", "职业描述", "主要工作任务")
LEVELS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}
# code shape per level: 4 / 4-04 / 4-04-04 / 4-04-04-04
CODE_PATTERNS = {
    1: re.compile(r"^\d$"),
    2: re.compile(r"^\d-\d{2}$"),
    3: re.compile(r"^\d-\d{2}-\d{2}$"),
    4: re.compile(r"^\d-\d{2}-\d{2}-\d{2}$"),
}
# S digital, L green, L/S both; sometimes after a space
FLAG_SUFFIX = re.compile(r"\s*(L/S|S/L|S|L)$")
FLAG_NAMES: dict[str, list[Flag]] = {
    "S": ["digital"],
    "L": ["green"],
    "L/S": ["digital", "green"],
    "S/L": ["digital", "green"],
}


@dataclass(frozen=True)
class ClassificationRow:
    level: int
    code: str
    name: str
    flags: list[Flag]
    description: str
    tasks: list[tuple[str, Source]] = field(default_factory=list)
    source: Source = field(kw_only=True)


def split_flags(name: str) -> tuple[str, list[Flag]]:
    """'信息安全测试员S' → ('信息安全测试员', ['digital'])."""
    match = FLAG_SUFFIX.search(name)
    if not match or len(name) == len(match.group(0)):
        return name.strip(), []
    return name[: match.start()].strip(), FLAG_NAMES[match.group(1)]


def classification_row(
    level: int, code: str, raw_name: str, description: str, tasks: str, src: Source
) -> ClassificationRow:
    """One row of a transcription: the name without its flags, the numbered tasks split (both
    transcriptions number them alike); an unsplittable task list is an error at `src`."""
    occ_name, flags = split_flags(raw_name)
    task_list: list[tuple[str, Source]] = []
    if tasks:
        try:
            task_list = [(t, src) for t in split_numbered_tasks(tasks)]
        except ValueError as exc:
            raise SourceFormatError(src.file, src.line, "numbered tasks 1. 2. 3. …", str(exc)) from None
    return ClassificationRow(level, code, occ_name, flags, description, task_list, source=src)


def parse_classification(path: Path) -> list[ClassificationRow]:
    name = path.name
    text = decode_bytes(path.read_bytes(), name, "UTF-8 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise SourceFormatError(name, 1, f"a header {','.join(COLUMNS)}", "an empty file") from None
    if tuple(h.strip() for h in header) != COLUMNS:
        raise SourceFormatError(name, 1, f"header {','.join(COLUMNS)}", ",".join(header))

    rows: list[ClassificationRow] = []
    row_number = 0
    line = reader.line_num + 1
    for record in reader:
        row_number += 1
        src = Source(file=name, line=line, row=row_number)
        if len(record) != len(COLUMNS):
            raise SourceFormatError(name, line, f"{len(COLUMNS)} columns", f"{len(record)} columns")
        level_name, code, raw_name, description, tasks = (v.strip() for v in record)
        if level_name not in LEVELS:
            raise SourceFormatError(name, line, "层级 一级/二级/三级/四级", level_name)
        level = LEVELS[level_name]
        if not CODE_PATTERNS[level].match(code):
            raise SourceFormatError(name, line, f"a level-{level} code like 4-04-04-04"[:40], code)
        if not raw_name:
            raise SourceFormatError(name, line, "a 职业名称", "an empty name")
        rows.append(classification_row(level, code, raw_name, description, tasks, src))
        line = reader.line_num + 1
    if not rows:
        raise SourceFormatError(name, 2, "at least one data row", "none")
    return rows
