"""Curated, reviewed tables in data/: bilingual aliases and former codes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SourceFormatError
from graph.model import Source


@dataclass(frozen=True)
class Alias:
    name_en: str
    name_zh: str | None
    kind: str  # occupation | work_type
    code: str | None
    status: str  # confirmed | probable | unresolved
    source: Source


@dataclass(frozen=True)
class FormerCode:
    code: str
    former_code: str
    name_zh: str
    used_when: str
    source: Source


def _rows(path: Path, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise SourceFormatError(path.name, 1, f"columns {sorted(required)}", f"missing {sorted(missing)}")
        return [(reader.line_num, row) for row in reader]


def load_aliases(path: Path) -> dict[str, Alias]:
    """English name (casefolded) → alias; unresolved rows are kept so the build can list them."""
    table: dict[str, Alias] = {}
    for line, row in _rows(path, {"name_en", "name_zh", "kind", "code", "status"}):
        key = row["name_en"].strip().casefold()
        if key in table:
            raise SourceFormatError(path.name, line, "one row per English name", row["name_en"])
        table[key] = Alias(
            row["name_en"].strip(),
            row["name_zh"].strip() or None,
            row["kind"].strip(),
            row["code"].strip() or None,
            row["status"].strip(),
            Source(file=path.name, line=line),
        )
    return table


def load_former_codes(path: Path) -> list[FormerCode]:
    return [
        FormerCode(r["code"], r["former_code"], r["name_zh"], r["used_when"], Source(file=path.name, line=line))
        for line, r in _rows(path, {"code", "former_code", "name_zh", "used_when"})
    ]


@dataclass(frozen=True)
class EverydayTitle:
    """A reviewed everyday or job-ad title (data/titles_colloquial.csv) for one occupation code."""

    title: str
    code: str
    name_zh: str
    broad: bool
    source: Source


def load_everyday_titles(path: Path) -> list[EverydayTitle]:
    out = []
    for line, r in _rows(path, {"title", "lang", "code", "name_zh", "broad", "reason"}):
        if r["broad"].strip() not in ("yes", "no"):
            raise SourceFormatError(path.name, line, "broad yes or no", r["broad"])
        if not r["reason"].strip():
            raise SourceFormatError(path.name, line, "a reason", "an empty cell")
        out.append(
            EverydayTitle(
                r["title"].strip(),
                r["code"].strip(),
                r["name_zh"].strip(),
                r["broad"].strip() == "yes",
                Source(file=path.name, line=line),
            )
        )
    return out


def load_broad_titles(path: Path) -> set[str]:
    """Job-market titles reviewed as broad (a skill, a field, any driver): kept, but never specific."""
    return {r["title"].strip().casefold() for _, r in _rows(path, {"title", "reason"})}
