"""Typed query results. Every result carries its evidence and the parts of its score."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

#: a calibrated confidence read as a band (graph.query.confidence: a model's partial and strong thresholds)
Band = Literal["strong", "partial", "weak"]
#: how well a course or text covers a task or skill: its band, named for coverage
CoverageStatus = Literal["covered", "partial", "missing"]


class Evidence(BaseModel):
    kind: str  # task | description | name | skill | work_area | path …
    text: str
    id: str | None = None
    score: float | None = None


class SearchHit(BaseModel):
    label: str
    id: str
    name: str
    name_en: str | None = None
    code: str | None = None
    score: float
    score_parts: dict[str, float] = {}
    evidence: list[Evidence] = []
    # occupation hits: the calibrated share of such hits a person judged right (graph/query/confidence.py),
    # and its band: strong, partial, or weak (not a good match)
    confidence: float | None = None
    match: Band | None = None


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


class TaskOut(BaseModel):
    id: str
    text: str
    lang: str
    order: int


class BatchRef(BaseModel):
    id: str
    announced: str
    document_no: str | None = None
    title: str | None = None
    raised_from_work_type: bool = False  # announced as a work type raised to an occupation (001:2)
    former_parent: str | None = None  # the occupation it was a work type of, as the notice names it


class SkillRef(BaseModel):
    id: str
    name: str
    name_en: str | None = None  # the project's translation (data/skills.csv, data/translations/)
    kind: str
    score: float | None = None
    tasks: int | None = None


class WorkTypeName(BaseModel):
    name_zh: str | None
    name_en: str | None = None
    official: bool | None = None  # English from an official text, or the project's translation
    source: str | None = None  # where the English name comes from (002's line, or the translation file's)


class TitleRef(BaseModel):
    text: str
    kind: str  # name_en | work_type | job_market | everyday
    broad: bool = False
    shared: bool = False  # the same title names other occupations too


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


class SimilarOccupation(BaseModel):
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


class DirectionMatch(BaseModel):
    id: str
    name: str
    name_en: str | None = None
    score: float
    evidence: list[Evidence]


class DirectionOccupation(BaseModel):
    id: str
    code: str | None
    name_zh: str
    score: float
    evidence: list[Evidence]


#: the kinds of a title level's application conditions, in 003's order
CONDITION_KINDS = ("basic", "education", "performance", "achievement", "exceptional")


class TitleCondition(BaseModel):
    """A condition of applying for a title level as 003 states it (basic, education, performance, achievement
    or exceptional), with the line it starts on; a performance condition may be for one direction's applicants."""

    kind: str
    text: str
    order: int
    direction: str | None = None  # a performance condition for this title direction only
    need: int | None = None  # achievement conditions: `need` of `of_items`
    of_items: int | None = None
    source: str


class Step(BaseModel):
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


class CareerPath(BaseModel):
    target_id: str
    target_name: str
    score: float  # its hardest move's similarity (one move: that pair's similarity)
    steps: list[Step]


class CareerPaths(BaseModel):
    occupation: OccupationRef
    skill_ladder: list[Step]
    title_ladder: list[Step]
    paths: list[CareerPath]


class GapItem(BaseModel):
    id: str
    name: str
    name_en: str | None = None  # a skill's or occupation's English name
    score: float
    evidence: list[Evidence] = []


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


class CoverageItem(BaseModel):
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


class CurriculumMap(BaseModel):
    courses: list[CourseMatch]
    target: OccupationRef | None = None
    coverage: list[CoverageItem] = []
    coverage_summary: dict[str, int] = {}
    unrelated: bool = False  # a target whose tasks none of the courses covers even partly
    thresholds: dict[str, float] = {}  # calibrated score from which an item is partly / fully covered
    prepares_for: list[GapItem] = []


class SkillOccupation(BaseModel):
    id: str
    code: str | None
    name_zh: str
    tasks: int
    score: float


class BatchOccupation(OccupationRef):
    """An occupation a batch announced: new, or one of its work types raised to an occupation."""

    raised_from_work_type: bool = False
    former_parent: str | None = None  # the occupation it was a work type of, as the notice names it


class UnresolvedMember(BaseModel):
    """A name the announcement lists that no occupation of the graph answers: listed, never guessed."""

    name: str
    reason: str
    source: str  # file:line


class BatchInfo(BaseModel):
    id: str
    title: str
    announced: str
    document_no: str | None
    ordinal: int | None
    stated_counts: dict[str, int]
    occupations: list[BatchOccupation]
    work_types: list[str]
    unresolved: list[UnresolvedMember] = []

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


class SpecialAbilityInfo(BaseModel):
    """专项职业能力: a certifiable ability below the level of an occupation, as 004 lists it (codes with Z)."""

    id: str
    code: str
    name: str
    level: str  # 004's 等级 column: 专项职业能力, no numbered level
    category: dict[str, str | None] | None = None  # the minor group its code falls in, when the graph lists it
    sources: list[str]


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]
    meta: dict[str, Any] = {}


class CodedOccupation(BaseModel):
    id: str
    code: str | None
    name_zh: str
    name_en: str | None = None
    confidence: float  # calibrated: the share of titles coded with this confidence that were right
    matched: TitleMatchOut | None = None
    details: dict[str, float] = {}


class CodeResult(BaseModel):
    """A job title coded to the classification: the best occupation (None when no candidate reaches
    the threshold), the runners-up, and what the title became once job-ad noise was removed."""

    title: str
    cleaned: str
    best: CodedOccupation | None
    alternatives: list[CodedOccupation]
    threshold: float
    model: str


class SentenceTask(BaseModel):
    """A task a sentence of the text shows: calibrated (the course → task model curriculum mapping uses),
    so `score` is the chance a careful reader would draw the pair."""

    id: str
    text: str
    occupation_id: str
    occupation: str
    score: float
    match: Literal["strong", "partial"]
    details: dict[str, float] = {}


class SentenceSkill(BaseModel):
    """A skill the sentence names: its name (lexical) or its two words apart in one clause (reordered)."""

    id: str
    name: str
    name_en: str | None = None
    how: Literal["lexical", "reordered"]
    evidence: str


class AnalyzedSentence(BaseModel):
    index: int
    text: str
    start: int  # offsets into the analyzed text (text == input[start:end])
    end: int
    tasks: list[SentenceTask] = []  # strong and partial matches only; most sentences of an ad have none
    skills: list[SentenceSkill] = []


class TextEvidence(BaseModel):
    sentence: int  # index into Analysis.sentences
    task_id: str
    task: str
    score: float  # the chance the claim holds: its coverage × the occupation's confidence
    coverage: float  # the course → task score of the sentence for the task (curriculum mapping's)
    match: Literal["strong", "partial"]


class AnalyzedOccupation(BaseModel):
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


class AnalysisSkill(BaseModel):
    id: str
    name: str
    name_en: str | None = None
    sentences: list[int]  # the sentences naming it, or the sentence covering the task that uses it
    how: Literal["named", "via_task"] = "named"  # named in the text, or used by a task the text shows (inferred)
    via: str | None = None  # via_task: that task
    score: float | None = None  # via_task: the task's evidence score


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
