"""The query protocol: one named method per question the product answers.

Both backends (embedded: networkx + numpy; Neo4j) implement it with the same names and
return the same typed results. The Neo4j backend keeps each method's Cypher in
cypher/<method>.cypher; a test checks that every method here has its file.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from graph.query.results import (
    Analysis,
    BatchInfo,
    CareerPaths,
    CodeResult,
    Course,
    CurriculumMap,
    DirectionMatch,
    DirectionOccupation,
    Profile,
    SearchResults,
    SimilarOccupation,
    SkillGap,
    SkillOccupation,
    SpecialAbilityInfo,
    Stats,
    TermName,
)

MAX_K = 100
MAX_QUERY_CHARS = 500
MAX_COURSES = 200
MAX_CODE_TITLES = 1000
MAX_TEXT_CHARS = 20000  # a free text to analyze: a long CV or syllabus
MAX_SENTENCES = 1000
TEXT_KINDS = ("job_ad", "cv", "syllabus")


@runtime_checkable
class OccupationStore(Protocol):
    backend: str

    def stats(self) -> Stats: ...

    def search(self, text: str, labels: list[str] | None = None, k: int = 10) -> SearchResults: ...

    def profile(self, occupation: str) -> Profile: ...

    def similar_occupations(self, occupation: str, k: int = 10) -> list[SimilarOccupation]: ...

    def title_directions(self, occupation: str) -> list[DirectionMatch]: ...

    def direction_occupations(self, direction: str, k: int = 20) -> list[DirectionOccupation]: ...

    def career_paths(self, occupation: str, to: str | None = None, k: int = 5) -> CareerPaths: ...

    def skill_gap(self, source: str, target: str) -> SkillGap: ...

    def curriculum_map(self, courses: list[Course], target: str | None = None) -> CurriculumMap: ...

    def skill_occupations(self, skill: str, k: int = 20) -> list[SkillOccupation]: ...

    def skill_name(self, skill: str) -> TermName: ...

    def direction_name(self, direction: str) -> TermName: ...

    def code(self, title: str, k: int = 5) -> CodeResult: ...

    def code_many(self, titles: list[str], k: int = 5) -> list[CodeResult]: ...

    def batches(self) -> list[BatchInfo]: ...

    def special_abilities(self) -> list[SpecialAbilityInfo]: ...

    def analyze(self, text: str, kind: str | None = None, target: str | None = None, k: int = 5) -> Analysis: ...


QUERY_METHODS = (
    "stats",
    "search",
    "profile",
    "similar_occupations",
    "title_directions",
    "direction_occupations",
    "career_paths",
    "skill_gap",
    "curriculum_map",
    "skill_occupations",
    "skill_name",
    "direction_name",
    "batches",
    "special_abilities",
    "code",
    "analyze",
)
