"""Request and response bodies. Results reuse graph.query.results so the JSON matches the CLI's."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from graph.errors import InvalidInput
from graph.query.courses import courses_from_text
from graph.query.protocol import MAX_COURSES, MAX_TEXT_CHARS
from graph.query.results import (
    BatchInfo,
    Course,
    CurriculumMap,
    DirectionMatch,
    DirectionOccupation,
    OccupationRef,
    Provenance,
    SearchHit,
    SimilarOccupation,
    SkillOccupation,
    SpecialAbilityInfo,
    TermName,
)


class ErrorBody(BaseModel):
    code: str
    message: str
    suggestions: list[str] = []
    suggestions_en: list[str | None] = []  # each suggestion's English name (null where none); empty when none given


class ErrorOut(BaseModel):
    error: ErrorBody


class SearchOut(BaseModel):
    results: list[SearchHit]
    # true when no occupation hit reaches the calibrated threshold (the page says "no good match");
    # null when occupations were not searched or this encoder has no fit
    no_good_match: bool | None = None


class SimilarOut(BaseModel):
    results: list[SimilarOccupation]


class DirectionsOut(BaseModel):
    directions: list[DirectionMatch]


class DirectionOccupationsOut(BaseModel):
    direction: TermName  # its names, for the page's heading in either language
    results: list[DirectionOccupation]


class SkillOccupationsOut(BaseModel):
    skill: TermName  # its names, for the page's heading in either language
    results: list[SkillOccupation]


class BatchesOut(BaseModel):
    batches: list[BatchInfo]


class SpecialAbilitiesOut(BaseModel):
    results: list[SpecialAbilityInfo]


class CurriculumIn(BaseModel):
    courses: list[Course] | None = Field(default=None, min_length=1, max_length=MAX_COURSES)
    syllabus: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="instead of courses: a whole syllabus as text, split into its learning outcomes",
    )
    target: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _courses_or_syllabus(self) -> CurriculumIn:
        if (self.courses is None) == (self.syllabus is None):
            raise PydanticCustomError("courses_or_syllabus", "give courses or a syllabus, one of them")
        return self

    def course_list(self) -> list[Course]:
        """The courses given, or the syllabus's learning outcomes, one course each."""
        if self.courses is not None:
            return self.courses
        if self.syllabus is None:  # the validator above lets no such request through
            raise InvalidInput("give courses or a syllabus, one of them")
        return courses_from_text(self.syllabus)


class AnalyzeIn(BaseModel):
    text: str = Field(min_length=1, description=f"the text, up to {MAX_TEXT_CHARS:,} characters")
    kind: Literal["job_ad", "cv", "syllabus"] | None = Field(
        default=None,
        description="where to look for a job title: a job ad's first line, a CV's 求职意向; a syllabus names none",
    )
    target: str | None = Field(
        default=None, max_length=200, description="an occupation whose tasks and skills the text is checked against"
    )
    k: int = Field(default=5, ge=1, le=20, description="occupations to return")


class HeatItem(BaseModel):
    id: str
    name: str
    name_en: str | None = None  # a task's English from the source, when there is one per task
    kind: Literal["task", "skill"]
    provenance: Provenance | None  # the row's coverage, an inference (its scores are the same model's)


class HeatmapOut(BaseModel):
    """Courses × the target's tasks and skills; ``scores[i][j]`` is course i against item j, a calibrated
    chance in [0, 1] (the same meaning for every course set, so the colour scale is absolute)."""

    target: OccupationRef
    target_chosen: bool  # True when no target was given and the best-prepared occupation was used
    courses: list[str]
    items: list[HeatItem]
    scores: list[list[float]]
    thresholds: dict[str, float]  # score from which an item counts as "partial" / "covered"
    map: CurriculumMap


class GraphNode(BaseModel):
    id: str
    kind: Literal["occupation", "task", "skill", "direction", "similar", "work_type"]
    name: str
    data: dict[str, Any] = {}
    provenance: Provenance | None  # the kind of the item it draws (the profile's field, task, skill, direction …)


class GraphEdge(BaseModel):
    source: str
    target: str
    type: str
    score: float | None = None
    provenance: Provenance | None  # HAS_TASK is the source's; REQUIRES, RELATES_TO and SIMILAR are inferred


class GraphOut(BaseModel):
    center: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class HealthOut(BaseModel):
    status: Literal["ok"]
    backend: str
    model: str | None = None
    generation: str | None = None
    nodes: dict[str, int]
    relationships: dict[str, int]


class ReadyOut(BaseModel):
    status: Literal["ready"]
