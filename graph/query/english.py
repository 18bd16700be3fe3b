"""English names for everything a user sees: official where a source gives them, else the
project's translation (data/translations/, reviewed on a sample: data/translations/README.md),
always marked as which.

Precedence for an occupation: the English profile name of 002 (official), else the first English
name 002 uses for it in its batch lists (official, an alias), else the project's translation
(`name_en_official = False`); `name_en_source` says where either comes from (002's line, or the
translation file's). The project's translation is kept as an English title either way,
so both wordings find the occupation.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graph.build.dataset import DatasetBuilder
from graph.errors import SourceFormatError
from graph.model import (
    Category,
    Occupation,
    Skill,
    SkillLevel,
    Source,
    TitleDirection,
    TitleLevel,
    TitleSeries,
    TitleSpecialty,
    WorkType,
)


@dataclass(frozen=True)
class Translation:
    name_en: str
    source: Source


def _read(path: Path, key: str) -> dict[str, Translation]:
    out: dict[str, Translation] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or key not in reader.fieldnames or "name_en" not in reader.fieldnames:
            raise SourceFormatError(path.name, 1, f"columns {key}, name_en", ",".join(reader.fieldnames or []))
        for row in reader:
            name = (row["name_en"] or "").strip()
            if not name:
                raise SourceFormatError(path.name, reader.line_num, "a name_en", "an empty cell")
            if not name.isascii():
                raise SourceFormatError(path.name, reader.line_num, "an English name (ASCII)", name)
            out[row[key].strip()] = Translation(name, Source(file=f"translations/{path.name}", line=reader.line_num))
    return out


@dataclass(frozen=True)
class Translations:
    codes: dict[str, Translation]  # by classification code
    work_types: dict[str, Translation]  # by work-type id
    title_terms: dict[
        str, Translation
    ]  # by "kind:name": the title specialty's series, specialty, directions, work areas and levels; skill levels


def load_translations(directory: Path) -> Translations:
    """The project's English names from data/translations/."""
    codes: dict[str, Translation] = {}
    for path in sorted(directory.glob("names_en_part_*.csv")):
        codes.update(_read(path, "code"))
    work_types: dict[str, Translation] = {}
    # work_types_en.csv: work types under an occupation (also the encoder's training pairs, with their
    # occupation); work_types_unplaced_en.csv: those a document names without a parent occupation
    for name in ("work_types_en.csv", "work_types_unplaced_en.csv"):
        if (directory / name).is_file():
            work_types.update(_read(directory / name, "id"))
    terms: dict[str, Translation] = {}
    if (path := directory / "title_terms_en.csv").is_file():
        raw = _read(path, "name_zh")  # validated rows; the key needs the kind as well
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                terms[f"{row['kind']}:{row['name_zh'].strip()}"] = raw[row["name_zh"].strip()]
    return Translations(codes, work_types, terms)


def apply_english(builder: DatasetBuilder, translations: Translations) -> None:
    codes, work_types, terms = translations.codes, translations.work_types, translations.title_terms
    for node in builder.nodes.values():
        if isinstance(node, Occupation):
            project = codes.get(node.code) if node.code else None
            if node.name_en:  # 002's profile or batch list, with its line (graph/build/resolve.py)
                node.name_en_official = True
            elif project:
                node.name_en, node.name_en_official, node.name_en_source = project.name_en, False, project.source
            if (
                project
                and node.name_en_official
                and node.name_en
                and project.name_en.casefold() != node.name_en.casefold()
            ):
                node.name_en_project = project.name_en
        elif isinstance(node, Category):
            if (t := codes.get(node.code)) is not None:
                node.name_en, node.name_en_source = t.name_en, t.source
        elif isinstance(node, WorkType):
            t = work_types.get(node.id)
            if node.name_en:
                node.name_en_official = True
            elif t is not None:
                node.name_en, node.name_en_official, node.name_en_source = t.name_en, False, t.source
        elif isinstance(node, Skill) and node.kind == "work_area":
            if (t := terms.get(f"work_area:{node.name_zh}")) is not None:
                node.name_en, node.name_en_official, node.name_en_source = t.name_en, False, t.source
        elif isinstance(node, (TitleDirection, TitleSpecialty, TitleSeries, TitleLevel, SkillLevel)):
            kind = {
                TitleDirection: "direction",
                TitleSpecialty: "specialty",
                TitleSeries: "series",
                TitleLevel: "title_level",
                SkillLevel: "skill_level",
            }[type(node)]
            if (t := terms.get(f"{kind}:{node.name}")) is not None:
                node.name_en, node.name_en_source = t.name_en, t.source
                if isinstance(node, TitleDirection):  # its page heads with it: say it is the project's
                    node.name_en_official = False
