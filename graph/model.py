"""The domain model: typed nodes and relations, each carrying where it came from.

Labels and relationship types follow ../shared/design.md. Every node and relation keeps a
list of `Source`s (file and line, or CSV row), so any fact can be traced to its origin.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CategoryLevel = Literal["大类", "中类", "小类"]
Lang = Literal["zh", "en"]
Flag = Literal["digital", "green"]
RequirementKind = Literal["education", "achievement", "exceptional", "basic", "performance"]


class Source(BaseModel):
    """Where a fact came from: a file and a 1-based line, and for CSV input the data row."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} (row {self.row})" if self.row else where


def _sorted_unique(sources: list[Source]) -> list[Source]:
    return sorted(set(sources), key=lambda s: (s.file, s.line or 0, s.row or 0))


class NodeBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    sources: list[Source] = []

    def add_sources(self, *sources: Source) -> None:
        self.sources = _sorted_unique([*self.sources, *sources])

    @property
    def display_name(self) -> str:
        return getattr(self, "name_zh", None) or getattr(self, "name", None) or self.id


class Category(NodeBase):
    label: Literal["Category"] = "Category"
    code: str
    level: CategoryLevel
    name: str
    description: str = ""
    name_en: str | None = None  # the project's translation (data/translations/), never official
    name_en_source: Source | None = None


class Occupation(NodeBase):
    label: Literal["Occupation"] = "Occupation"
    code: str | None = None
    former_codes: list[str] = []
    name_zh: str
    name_en: str | None = None
    # where the English name comes from: an official English text (002) or the project's translation
    name_en_official: bool | None = None
    name_en_source: Source | None = None
    # the project's translation when an official English name is shown instead (kept as a title)
    name_en_project: str | None = None
    aliases: list[str] = []
    definition: str | None = None
    definition_en: str | None = None
    flags: list[Flag] = []


class WorkType(NodeBase):
    label: Literal["WorkType"] = "WorkType"
    name_zh: str | None = None
    name_en: str | None = None
    name_en_official: bool | None = None
    name_en_source: Source | None = None


class Title(NodeBase):
    """A name people use for an occupation (graph/query/titles.py); TITLE_OF links it to the occupations
    it names, with the kind of title and its source."""

    label: Literal["Title"] = "Title"
    text: str
    lang: Lang


class SpecialAbility(NodeBase):
    """专项职业能力: a certifiable ability below the level of an occupation (codes with Z)."""

    label: Literal["SpecialAbility"] = "SpecialAbility"
    code: str
    name: str


class Task(NodeBase):
    label: Literal["Task"] = "Task"
    text: str
    lang: Lang
    order: int


class Skill(NodeBase):
    label: Literal["Skill"] = "Skill"
    name_zh: str
    name_en: str | None = None
    name_en_official: bool | None = None  # False: the project's translation (data/skills.csv)
    # the reviewed row the English comes from: data/skills.csv's, or title_terms_en.csv's for a work area
    name_en_source: Source | None = None
    kind: Literal["work_area", "task_term"]
    merged: list[str] = []  # reviewed synonyms that link to this skill (质量检测 → 质量检验)
    # a work area whose name restores an object 003's list elides: the words 003 uses (管理 in
    # "应用系统规划、管理、测评与检查" is 应用系统管理), so the name is never taken for verbatim text
    written_as: str | None = None


class UnresolvedName(BaseModel):
    """A name a batch's announcement lists that the build could not tie to one occupation: kept with the
    batch, with why and where, so its counts say "15 of 16 resolved" instead of hiding the 16th."""

    model_config = ConfigDict(frozen=True)

    name: str
    reason: str
    source: Source


class Batch(NodeBase):
    label: Literal["Batch"] = "Batch"
    title: str
    announced: str  # ISO date, or year-month when the documents give no day
    document_no: str | None = None
    ordinal: int | None = None  # "第三批" since the 2015 classification
    stated_counts: dict[str, int] = {}
    unresolved: list[UnresolvedName] = []


class SkillLevel(NodeBase):
    label: Literal["SkillLevel"] = "SkillLevel"
    name: str
    rank: int | None  # 5 初级工 … 1 高级技师; None for 专项职业能力
    name_en: str | None = None  # the project's translation (data/translations/title_terms_en.csv)
    name_en_source: Source | None = None


class TitleSeries(NodeBase):
    label: Literal["TitleSeries"] = "TitleSeries"
    name: str
    name_en: str | None = None  # the project's translation (data/translations/title_terms_en.csv)
    name_en_source: Source | None = None


class TitleSpecialty(NodeBase):
    label: Literal["TitleSpecialty"] = "TitleSpecialty"
    name: str
    name_en: str | None = None  # the project's translation (data/translations/title_terms_en.csv)
    name_en_source: Source | None = None
    document_no: str | None = None
    issued: str | None = None
    effective: str | None = None


class TitleDirection(NodeBase):
    label: Literal["TitleDirection"] = "TitleDirection"
    name: str
    name_en: str | None = None  # the project's translation (data/translations/title_terms_en.csv)
    name_en_official: bool | None = None  # False: no source gives an English name, the project's is shown
    name_en_source: Source | None = None
    order: int
    work_areas: list[str]


class TitleLevel(NodeBase):
    label: Literal["TitleLevel"] = "TitleLevel"
    name: str
    rank: int  # 1 助理工程师 … 4 正高级工程师
    tier: str  # 初级 / 中级 / 副高级 / 正高级
    name_en: str | None = None  # the project's translation (data/translations/title_terms_en.csv)
    name_en_source: Source | None = None


class Requirement(NodeBase):
    label: Literal["Requirement"] = "Requirement"
    kind: RequirementKind
    text: str
    order: int
    education: str | None = None
    years: int | None = None
    prior_title: str | None = None
    need: int | None = None  # achievement conditions: `need` of `of_items`
    of_items: int | None = None
    # performance conditions (业绩条件): the one for the applicants of this title direction; None: for all
    direction: str | None = None


Node = Annotated[
    Category
    | Occupation
    | WorkType
    | Title
    | SpecialAbility
    | Task
    | Skill
    | Batch
    | SkillLevel
    | TitleSeries
    | TitleSpecialty
    | TitleDirection
    | TitleLevel
    | Requirement,
    Field(discriminator="label"),
]

NODE_LABELS: tuple[str, ...] = (
    "Category",
    "Occupation",
    "WorkType",
    "Title",
    "SpecialAbility",
    "Task",
    "Skill",
    "Batch",
    "SkillLevel",
    "TitleSeries",
    "TitleSpecialty",
    "TitleDirection",
    "TitleLevel",
    "Requirement",
)

RelationType = Literal[
    "IN",
    "PART_OF",
    "HAS_TASK",
    "WORK_TYPE_OF",
    "USES_SKILL",
    "REQUIRES",
    "ANNOUNCED_IN",
    "CERTIFIABLE_AT",
    "HAS_SPECIALTY",
    "HAS_DIRECTION",
    "HAS_LEVEL",
    "NEXT",
    "HAS_REQUIREMENT",
    "RELATES_TO",
    "SIMILAR_TO",
    "RAISED_FROM",
    "HAS_WORK_AREA",
    "TITLE_OF",
]


class Relation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: RelationType
    start: str
    end: str
    props: dict[str, Any] = {}
    sources: list[Source] = []

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.start, self.end)
