"""The rows a backend hands to the shared query composition (graph.query.composed), one TypedDict per
kind. A backend builds them from its own storage — dict comprehensions over networkx nodes, or
the columns a Cypher statement returns (its file in cypher/ names them) — and the composition
reads only these keys, so both backends answer alike. The contract suite checks the values."""

from __future__ import annotations

from typing import TypedDict


class GroupRef(TypedDict):
    """A category a title names (普工 → 6): what coding shows of it."""

    code: str
    name: str
    name_en: str | None
    level: str  # 大类 | 中类 | 小类


class TitleTarget(TypedDict):
    occupation: str  # the node the title names: an occupation, or a group (cat:…) when `group` is set
    kind: str  # graph.query.titles.KINDS
    broad: bool
    group: GroupRef | None


class TitleRow(TypedDict):
    id: str
    text: str
    targets: list[TitleTarget]  # sorted by occupation id


class NearTask(TypedDict):
    """A task near a sentence of a free text: exact cosine, nearest first."""

    id: str
    text: str
    occupation_id: str
    occupation: str
    cosine: float


class VocabularySkill(TypedDict):
    id: str
    name_zh: str
    name_en: str | None
    names: list[str]  # its Chinese name, then the synonyms merged into it


class LevelRow(TypedDict):
    id: str
    rank: int
    name: str
    name_en: str | None  # the project's translation (Level 5 …)
    own: bool  # the occupation's own catalog row lists it (else only a work type of it is certified at it)


class TitleLevelRow(TypedDict):
    id: str
    name: str
    name_en: str | None  # the project's translation (Assistant Engineer …)
    rank: int
    requirements: list[str]  # the education requirements, in the source's order
    conditions: list[dict]  # every Requirement: kind, text, order, direction, need, of_items, source


class CoverageTask(TypedDict):
    id: str
    name: str
    kind: str  # "task"
    lang: str
    order: int
    skills: list[str]  # the skill ids the task uses
    sims: list[float]  # its cosine to each course or sentence, in their order


class CoverageSkill(TypedDict):
    id: str
    name: str
    name_en: str | None
    kind: str  # "skill"


class GapSkill(TypedDict, total=False):
    """A skill the target occupation requires, with its REQUIRES link's properties."""

    id: str
    name: str
    name_en: str | None
    tasks: int  # how many of the target's tasks use it
    score: float


class GapTask(TypedDict):
    id: str
    text: str
    order: int
    best: float | None  # the closest source task's cosine
    closest: str | None  # and its text


class DirectionLink(TypedDict):
    """A task of the occupation related to a title direction through one of its work areas."""

    id: str
    text: str
    lang: str
    order: int
    score: float  # the task's cosine to the work area
    confidence: float | None  # the pair's calibrated confidence, when the build had a fitted model
    work_area: str
    method: str | None  # the link's method and the model or rule version, as the build stored them
    version: str | None


class DirectionRow(TypedDict):
    id: str
    name: str
    name_en: str | None
    links: list[DirectionLink]  # Chinese tasks first, in their order
