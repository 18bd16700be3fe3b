"""The skill vocabulary and Task → Skill links.

Vocabulary (reviewed, in data/skills.csv): the title directions' work areas, plus terms
proposed from the task texts — object + activity compounds that jieba finds in at least two
occupations' tasks (数据 + 分析 → 数据分析, 故障 + 诊断 → 故障诊断), and longer compound nouns.
`zhiye skills propose` adds new proposals (status `proposed`) and keeps every review already
made. Each row is reviewed as `keep` (a capability a person can learn or lack, with the
project's English label), `drop` (an object, a person, a place, a state or a generic phrase:
塑料制品, 机组人员, 健康状况, 合理安排) or `merge` into a synonym (质量检测 → 质量检验, whose
name then also matches). Builds read only `keep` rows and their merged names.

Links: candidates are lexical (the skill's name occurs in the task; evidence is the matched span),
reordered (its two words occur apart in one clause) and, for tasks with neither or in English,
semantic (the nearest skill by meaning). A calibrated model (bench/eval_skill_links.py) decides which
are made and scores them. With the current fit no semantic candidate reaches its threshold (the
judged ones were right about two times in three), so English tasks get no skills: measured, not hidden.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from graph.errors import SourceFormatError
from graph.model import Source
from graph.query.lexical import _jieba

# the activity heads that make an object noun into a skill: 数据 + 分析, 设备 + 维修 …
ACTIVITY_HEADS = frozenset(
    "分析 检测 测试 诊断 维修 设计 开发 管理 评估 监测 调试 安装 操作 维护 保养 检验 检查 编程 建模 加工 "
    "处理 规划 咨询 培训 运营 营销 销售 策划 制作 施工 测量 监控 治疗 护理 评价 审核 核算 统计 鉴定 修复 "
    "养护 防治 驾驶 焊接 装配 配置 运维 预测 采集 标注 识别 防护 控制 优化 调度 协调 检修 巡检 化验 翻译 "
    "编辑 审计 研发 集成 部署 仿真 计量 认证 评测 管控".split()
)
NOUN_FLAGS = frozenset({"n", "nz", "vn", "eng", "nt", "nl", "an", "j"})
# generic compounds that name no skill a person could learn or lack
STOP_TERMS = frozenset(
    "异常现象 专用设备 仪器仪表 专用工具 仪器设备 机械设备 管理工作 异常情况 突发事件 技术手段 有效证件 工作场地 "
    "内部结构 运行状况 设备运行 系统运行 技术指标 技术参数 质量指标 经济指标 性能指标 使用性能 相关工作 工作任务 "
    "实施方案 设计方案 解决方案 技术标准 技术规程 规章制度 管理制度 法律法规 行业标准 标准规范 设计规范 工程项目 "
    "建设项目 工程技术 总结报告 科学知识 合法权益 分析处理 检查维护 调节控制 生产运行".split()
)
MIN_OCCUPATIONS = 2
# centred cosine (graph.build.derive.centred), read off samples per score band: below 0.5 most links
# name an object the task handles rather than a skill it needs; English tasks × Chinese skills
# score about 0.55× as high (the same attenuation the title directions use)
SEMANTIC_THRESHOLD = 0.50
CROSS_LINGUAL = 0.55
# the lowest cosine at which a semantic candidate is proposed at all (the fitted model decides above it)
SEMANTIC_FLOOR = 0.35


REVIEW_STATUSES = ("keep", "drop", "merge", "proposed")
COLUMNS = ["name_zh", "kind", "occupations", "example_task", "status", "merge_into", "name_en", "reason"]


@dataclass(frozen=True)
class SkillTerm:
    name_zh: str
    kind: str  # work_area | task_term
    occupations: int
    example: str
    source: Source
    status: str = "proposed"
    merge_into: str = ""
    name_en: str = ""  # the project's translation, never official
    reason: str = ""


@dataclass(frozen=True)
class ReviewedSkill:
    """A kept skill as builds read it: its name, the names merged into it, its English label."""

    name_zh: str
    name_en: str
    merged: tuple[str, ...]
    source: Source


def _tokenizer():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def propose(tasks: Iterable[tuple[str, str, str]], work_areas: Iterable[str]) -> list[SkillTerm]:
    """Candidate skills from (occupation id, task id, text) triples, most widespread first."""
    tokenizer = _tokenizer()
    seen_in: dict[str, set[str]] = defaultdict(set)
    example: dict[str, str] = {}
    for occupation, task_id, text in tasks:
        tokens = list(tokenizer.cut(text))
        terms = [
            a.word + b.word
            for a, b in zip(tokens, tokens[1:], strict=False)
            if a.flag in NOUN_FLAGS and len(a.word) >= 2 and b.word in ACTIVITY_HEADS
        ]
        terms += [t.word for t in tokens if t.flag in NOUN_FLAGS and len(t.word) >= 4]
        for term in terms:
            if term not in STOP_TERMS:
                seen_in[term].add(occupation)
                example.setdefault(term, task_id)
    areas = set(work_areas)
    out = [
        SkillTerm(t, "task_term", len(occ), example[t], Source(file="tasks"))
        for t, occ in seen_in.items()
        if len(occ) >= MIN_OCCUPATIONS and t not in areas
    ]
    return sorted(out, key=lambda s: (-s.occupations, s.name_zh))


def with_reviews(proposed: list[SkillTerm], reviewed: list[SkillTerm]) -> list[SkillTerm]:
    """The new proposal carrying every review already made; reviewed terms no longer proposed
    stay (a review is the project's decision, not the tokenizer's)."""
    by_name = {t.name_zh: t for t in reviewed}
    out = [
        replace(t, status=r.status, merge_into=r.merge_into, name_en=r.name_en, reason=r.reason)
        if (r := by_name.get(t.name_zh))
        else t
        for t in proposed
    ]
    fresh = {t.name_zh for t in proposed}
    return out + [t for t in reviewed if t.name_zh not in fresh]


def write_vocabulary(path: Path, terms: list[SkillTerm]) -> None:
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for t in terms:
            w.writerow([t.name_zh, t.kind, t.occupations, t.example, t.status, t.merge_into, t.name_en, t.reason])
    tmp.replace(path)


def load_vocabulary(path: Path) -> list[SkillTerm]:
    if not path.is_file():
        return []
    terms = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"name_zh", "kind"} <= set(reader.fieldnames or []):
            raise SourceFormatError(path.name, 1, "columns name_zh, kind, occupations, example_task")
        for row in reader:
            name = row["name_zh"].strip()
            if not name or row["kind"] not in ("task_term", "work_area"):
                raise SourceFormatError(path.name, reader.line_num, "a name and kind task_term|work_area", str(row))
            status = (row.get("status") or "proposed").strip()
            if status not in REVIEW_STATUSES:
                raise SourceFormatError(path.name, reader.line_num, "status " + "|".join(REVIEW_STATUSES), status)
            name_en = (row.get("name_en") or "").strip()
            if status in ("keep", "merge") and not (name_en and name_en.isascii()):
                raise SourceFormatError(
                    path.name,
                    reader.line_num,
                    f"an English label (ASCII) for a '{status}' row",
                    name_en or "an empty cell",
                )
            terms.append(
                SkillTerm(
                    name,
                    row["kind"],
                    int(row.get("occupations") or 0),
                    row.get("example_task", ""),
                    Source(file=path.name, line=reader.line_num),
                    status,
                    (row.get("merge_into") or "").strip(),
                    name_en,
                    (row.get("reason") or "").strip(),
                )
            )
    return terms


def reviewed_skills(terms: list[SkillTerm], file: str = "skills.csv") -> list[ReviewedSkill]:
    """The kept task terms with the names merged into each; a merge must name a kept term.

    >>> src = Source(file="skills.csv")
    >>> terms = [SkillTerm("质量检验", "task_term", 9, "", src, "keep", name_en="quality inspection"),
    ...          SkillTerm("质量检测", "task_term", 5, "", src, "merge", "质量检验", "quality testing"),
    ...          SkillTerm("塑料制品", "task_term", 4, "", src, "drop", reason="a product")]
    >>> [(s.name_zh, s.name_en, s.merged) for s in reviewed_skills(terms)]
    [('质量检验', 'quality inspection', ('质量检测',))]
    """
    kept = {t.name_zh: t for t in terms if t.kind == "task_term" and t.status == "keep"}
    merged: dict[str, list[str]] = defaultdict(list)
    for t in terms:
        if t.status == "merge":
            if t.merge_into not in kept:
                raise SourceFormatError(
                    file, t.source.line or 0, "merge_into naming a kept term", t.merge_into or "empty"
                )
            merged[t.merge_into].append(t.name_zh)
    return [ReviewedSkill(t.name_zh, t.name_en, tuple(merged[t.name_zh]), t.source) for t in kept.values()]


def reviewed_vocabulary(path: Path) -> list[ReviewedSkill]:
    """What a build reads from the reviewed file (empty when there is none)."""
    return reviewed_skills(load_vocabulary(path), path.name)


@dataclass(frozen=True)
class SkillLink:
    task_id: str
    skill_id: str
    method: str  # lexical | reordered | semantic
    score: float  # calibrated: the share of such links a reviewer judged right (the cosine when no fit exists)
    evidence: str
    cosine: float = 0.0


@dataclass(frozen=True)
class LinkCandidate:
    """A task → skill link the linker proposes; the calibrated model decides which are made."""

    task_id: str
    skill_id: str
    # lexical: the skill's name (or a merged synonym) occurs in the task; reordered: its two words occur apart
    # in one clause ("操作…设备" for 设备操作); semantic: the task's nearest skill by meaning
    method: str
    cosine: float  # centred cosine between the task and the skill
    english: bool
    evidence: str  # lexical: the matched span "name@start-end"; semantic: the skill's name

    def features(self) -> dict[str, float]:
        return {
            "lexical": float(self.method == "lexical"),
            "reordered": float(self.method == "reordered"),
            "cosine": self.cosine,
            "english": float(self.english),
        }


class LexicalLinker:
    """Finds skill names in task texts, longest first, without overlaps."""

    def __init__(self, skills: dict[str, str]):  # name → skill id
        self.skills = skills
        names = sorted(skills, key=lambda n: (-len(n), n))
        # one alternation compiled once; longest-first so 数据安全分析 beats 数据安全
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def matches(self, text: str) -> dict[str, str]:
        """skill id → the first span naming it, as "name@start-end"."""
        found: dict[str, str] = {}
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                found.setdefault(self.skills[m.group(0)], f"{m.group(0)}@{m.start()}-{m.end()}")
        return found


_CLAUSE = re.compile(r"[，,；;。：:]")


class ReorderedLinker:
    """Finds skills whose two words a task uses apart, in the same clause: the vocabulary's compounds are
    object + activity (设备 + 操作 → 设备操作), which task sentences mostly write as activity + object
    ("操作化糖、熬糖等设备"). On the 50 completely labelled tasks this found 15 of the 81 skills a reviewer
    listed, with one wrong, where exact names found 4."""

    def __init__(self, skills: dict[str, list[str]]):  # skill id → its names
        # the search tokenizer's jieba (already loaded by then): its words are posseg's for every name in the
        # vocabulary (tests/graph/test_skills.py), without loading posseg's tables, a second second per process
        tokenizer = _jieba()
        self.parts: list[tuple[str, str, str]] = []  # (skill id, first word, second word)
        for sid, names in sorted(skills.items()):
            for name in names:
                words = list(tokenizer.cut(name))
                if len(words) == 2 and all(len(w) >= 2 for w in words):
                    self.parts.append((sid, words[0], words[1]))

    def matches(self, text: str) -> dict[str, str]:
        """skill id → "first…second" for each skill whose words share a clause without forming its name."""
        found: dict[str, str] = {}
        for clause in _CLAUSE.split(text):
            for sid, a, b in self.parts:
                if sid not in found and a in clause and b in clause and a + b not in clause:
                    found[sid] = f"{a}…{b}"
        return found


def named_in(
    text: str, lexical: LexicalLinker, reordered: ReorderedLinker
) -> list[tuple[Literal["lexical", "reordered"], str, str]]:
    """(method, skill id, evidence) for each skill a Chinese text names: by its name or a merged synonym
    (lexical, evidence "name@start-end"), then by its two words apart in one clause (reordered, "first…second")
    when not already named. The task → skill linker and free-text analysis both read skills this way."""
    found = lexical.matches(text)
    apart = {sid: ev for sid, ev in reordered.matches(text).items() if sid not in found}
    return [("lexical", sid, ev) for sid, ev in found.items()] + [("reordered", sid, ev) for sid, ev in apart.items()]


def link_candidates(
    tasks: Sequence[tuple[str, str, str]], skills: dict[str, list[str]], vectors: dict[str, np.ndarray]
) -> list[LinkCandidate]:
    """Candidate links for (task id, lang, text) triples against skills (id → its names): every skill named
    in a Chinese task, every skill whose two words it uses apart (ReorderedLinker), and for a task with
    neither (English ones included), its nearest skill by meaning when that is at least SEMANTIC_FLOOR
    (× CROSS_LINGUAL for English). `vectors` are centred."""
    lexical = LexicalLinker({name: sid for sid, names in skills.items() for name in names})
    reordered = ReorderedLinker(skills)
    skill_ids = [sid for sid in sorted(skills) if sid in vectors]
    if not skill_ids:
        return []
    skill_matrix = np.stack([vectors[s] for s in skill_ids])
    names = {sid: skills[sid][0] for sid in skill_ids}
    out: list[LinkCandidate] = []
    rest = []
    for task_id, lang, text in tasks:
        named = named_in(text, lexical, reordered) if lang == "zh" else []
        for method, sid, span in named:
            cosine = float(vectors[task_id] @ vectors[sid]) if task_id in vectors and sid in vectors else 0.0
            out.append(LinkCandidate(task_id, sid, method, round(cosine, 4), False, span))
        if not named and task_id in vectors:
            rest.append((task_id, lang))
    for start in range(0, len(rest), 2048):
        chunk = rest[start : start + 2048]
        sims = np.stack([vectors[t] for t, _ in chunk]) @ skill_matrix.T
        best = sims.argmax(axis=1)
        for row, (task_id, lang) in enumerate(chunk):
            cosine = float(sims[row, best[row]])
            if cosine >= SEMANTIC_FLOOR * (1.0 if lang == "zh" else CROSS_LINGUAL):
                sid = skill_ids[best[row]]
                out.append(LinkCandidate(task_id, sid, "semantic", round(cosine, 4), lang != "zh", names[sid]))
    return out


def choose_links(candidates: list[LinkCandidate], model=None) -> list[SkillLink]:
    """The links made: with a fitted model (graph.query.confidence, kind task_skill), those whose calibrated
    score reaches its `partial` threshold, scored by it; without one, every lexical and reordered
    candidate (score 1) and the semantic ones above SEMANTIC_THRESHOLD, scored by cosine."""
    out = []
    for c in candidates:
        if model is not None:
            p = model.probability(c.features())
            if p >= model.partial:
                out.append(SkillLink(c.task_id, c.skill_id, c.method, round(p, 4), c.evidence, c.cosine))
        elif c.method in ("lexical", "reordered"):
            out.append(SkillLink(c.task_id, c.skill_id, c.method, 1.0, c.evidence, c.cosine))
        elif c.cosine >= SEMANTIC_THRESHOLD * (CROSS_LINGUAL if c.english else 1.0):
            out.append(SkillLink(c.task_id, c.skill_id, c.method, c.cosine, c.evidence, c.cosine))
    return out
