"""Derived relations, with scores and evidence: Task → Skill, Occupation → Skill,
Task → TitleDirection."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from graph.build.dataset import DatasetBuilder
from graph.build.resolve import slug
from graph.build.skills import ReviewedSkill, SkillLink, choose_links, link_candidates
from graph.errors import SourceFormatError
from graph.model import Occupation, Skill, Source, Task, TitleDirection
from graph.query.node_text import direction_text
from graph.query.results import REQUIRES_METHOD

# A task relates to a title direction when (1) its nearest skill in the whole vocabulary is one
# of that direction's work areas — a fire-drill task is nearer 消防 terms than 应急演练 — and
# (2) it is close to both that work area and the direction as a whole. Cosines are centred (see
# `centred`); cross-lingual ones run about 0.55× the monolingual ones, hence the English factor.
# Calibrated by reading samples across score bands (bench/reports/skill_links.md).
AREA_THRESHOLD = 0.40
DIRECTION_THRESHOLD = 0.25
CROSS_LINGUAL = 0.55
# with a fitted occupation_direction model the task links are only candidates, drawn a little wider
# (the model, not these floors, decides which occupation–direction pairs are shown)
CANDIDATE_FACTOR = 0.85


def rule_version(kind: str, model) -> str:
    """What decided a derived link, as the graph stores it on the relation (its `version`): the calibrated
    model of that kind, or the fixed thresholds of this module when none is fitted for the encoder."""
    if model is None:
        return f"{kind}: the thresholds of graph/build/derive.py (no fitted model)"
    return f"{kind} {model.name} ({model.encoder})"


def centred(vectors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Vectors minus their mean, renormalised: removes the component every e5 vector shares."""
    keys = list(vectors)
    matrix = np.stack([vectors[k] for k in keys]).astype(np.float32)
    matrix -= matrix.mean(axis=0)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
    return dict(zip(keys, matrix, strict=False))


def add_vocabulary(builder: DatasetBuilder, skills: list[ReviewedSkill]) -> None:
    """The kept skills as nodes; an English label must name one skill only (work areas included), or
    "risk assessment" would find two skills, a different one on each backend."""
    taken = {n.name_en.casefold(): n.name_zh for n in builder.nodes.values() if isinstance(n, Skill) and n.name_en}
    for s in skills:
        if (other := taken.setdefault(s.name_en.casefold(), s.name_zh)) != s.name_zh:
            raise SourceFormatError(
                s.source.file, s.source.line or 0, f"an English label no other skill has ({other})", s.name_en
            )
        builder.node(
            Skill(
                id=f"skill:{slug(s.name_zh)}",
                name_zh=s.name_zh,
                name_en=s.name_en,
                name_en_official=False,
                name_en_source=s.source,  # the reviewed row gives the English as well
                kind="task_term",
                merged=list(s.merged),
                sources=[s.source],
            )
        )


def tasks_of(builder: DatasetBuilder) -> list[Task]:
    return sorted((n for n in builder.nodes.values() if isinstance(n, Task)), key=lambda t: t.id)


def owner_of_task(builder: DatasetBuilder) -> dict[str, str]:
    return {r.end: r.start for r in builder.relations.values() if r.type == "HAS_TASK"}


def skill_names(builder: DatasetBuilder) -> dict[str, list[str]]:
    """Skill id → the names that link a task to it (its own first, then the synonyms merged into it)."""
    return {n.id: [n.name_zh, *n.merged] for n in builder.nodes.values() if isinstance(n, Skill)}


def link_skills(builder: DatasetBuilder, vectors: dict[str, np.ndarray], model=None) -> list[SkillLink]:
    """Task → Skill links (graph.build.skills: lexical and semantic candidates, chosen by the calibrated
    task_skill model when one is fitted for this encoder), and Occupation → Skill from them.
    `vectors` are centred (see `centred`)."""
    tasks = [(t.id, t.lang, t.text) for t in tasks_of(builder)]
    links = choose_links(link_candidates(tasks, skill_names(builder), vectors), model)
    owner = owner_of_task(builder)
    version = rule_version("task_skill", model)
    per_occupation: dict[tuple[str, str], list[SkillLink]] = defaultdict(list)
    for link in links:
        task = builder.nodes[link.task_id]
        builder.relate(
            "USES_SKILL",
            link.task_id,
            link.skill_id,
            task.sources,
            method=link.method,
            score=link.score,
            cosine=link.cosine,
            calibrated=model is not None,
            evidence=link.evidence,
            version=version,
        )
        per_occupation[(owner[link.task_id], link.skill_id)].append(link)
    for (occ, skill), ls in per_occupation.items():
        builder.relate(
            "REQUIRES",
            occ,
            skill,
            [],
            tasks=len({link.task_id for link in ls}),
            score=round(max(link.score for link in ls), 4),
            method=REQUIRES_METHOD,
            version=version,
        )
    return links


@dataclass(frozen=True)
class TaskDirection:
    task_id: str
    lang: str
    area_score: float  # centred cosine to the work area, the task's nearest skill
    direction_score: float  # centred cosine to the direction as a whole
    work_area: str


@dataclass
class DirectionCandidate:
    """An occupation whose tasks relate to a title direction, with what the calibrated model reads."""

    occupation: str
    direction: str
    links: list[TaskDirection]
    task_count: dict[str, int]  # the occupation's tasks per language
    description_cosine: float  # the occupation's description to the direction (centred; English scaled)

    def features(self) -> dict[str, float]:
        """Read on the Chinese tasks; an occupation with none (a build without the classification) is read on
        its English ones, their cosines scaled up by 1 / CROSS_LINGUAL as everywhere else."""
        lang = "zh" if any(link.lang == "zh" for link in self.links) or not self.links else "en"
        scale = 1.0 if lang == "zh" else 1.0 / CROSS_LINGUAL
        used = [link for link in self.links if link.lang == lang]
        return {
            "tasks": float(len(used)),
            "share": len(used) / max(1, self.task_count[lang]),
            "area_max": scale * max((link.area_score for link in used), default=0.0),
            "direction_max": scale * max((link.direction_score for link in used), default=0.0),
            "description": self.description_cosine,
        }


def direction_candidates(
    builder: DatasetBuilder, vectors: dict[str, np.ndarray], floor: float = CANDIDATE_FACTOR
) -> list[DirectionCandidate]:
    """Occupation → title direction candidates from task → direction links (`vectors` centred, see `centred`);
    `floor` scales the thresholds (1.0: the rule used when no model is fitted)."""
    directions = {n.id: n for n in builder.nodes.values() if isinstance(n, TitleDirection) and n.id in vectors}
    if not directions:
        return []
    skills = sorted(n.id for n in builder.nodes.values() if isinstance(n, Skill) and n.id in vectors)
    area_of = {f"skill:{slug(a)}": (d.id, a) for d in directions.values() for a in d.work_areas}
    skill_matrix = np.stack([vectors[s] for s in skills])
    owner = owner_of_task(builder)
    tasks = [t for t in tasks_of(builder) if t.id in vectors]
    task_count: dict[str, dict[str, int]] = defaultdict(lambda: {"zh": 0, "en": 0})
    for t in tasks:
        task_count[owner[t.id]][t.lang] += 1
    found: dict[tuple[str, str], list[TaskDirection]] = defaultdict(list)
    for start in range(0, len(tasks), 2048):
        chunk = tasks[start : start + 2048]
        matrix = np.stack([vectors[t.id] for t in chunk])
        sims = matrix @ skill_matrix.T
        nearest = sims.argmax(axis=1)
        for row, task in enumerate(chunk):
            skill = skills[nearest[row]]
            if skill not in area_of:
                continue
            direction, area = area_of[skill]
            factor = (1.0 if task.lang == "zh" else CROSS_LINGUAL) * floor
            area_score = float(sims[row, nearest[row]])
            direction_score = float(matrix[row] @ vectors[direction])
            if area_score >= AREA_THRESHOLD * factor and direction_score >= DIRECTION_THRESHOLD * factor:
                found[(owner[task.id], direction)].append(
                    TaskDirection(task.id, task.lang, round(area_score, 4), round(direction_score, 4), area)
                )
    out = []
    for (occ, direction), links in sorted(found.items()):
        if f"{occ}#zh" in vectors:
            cos = float(vectors[f"{occ}#zh"] @ vectors[direction])
        elif f"{occ}#en" in vectors:
            cos = float(vectors[f"{occ}#en"] @ vectors[direction]) / CROSS_LINGUAL
        else:
            cos = 0.0
        out.append(DirectionCandidate(occ, direction, links, dict(task_count[occ]), round(cos, 4)))
    return out


def relate_directions(builder: DatasetBuilder, vectors: dict[str, np.ndarray], model=None) -> None:
    """Task → TitleDirection, with the work area as evidence, for the occupations the calibrated
    occupation_direction model accepts (all candidates when none is fitted for this encoder). Each
    link carries the occupation-level confidence, the one score a user sees for the pair."""
    version = rule_version("occupation_direction", model)
    for c in direction_candidates(builder, vectors, CANDIDATE_FACTOR if model is not None else 1.0):
        confidence = None
        if model is not None:
            confidence = round(model.probability(c.features()), 4)
            if confidence < model.partial:
                continue
        for link in c.links:
            builder.relate(
                "RELATES_TO",
                link.task_id,
                c.direction,
                builder.nodes[link.task_id].sources,
                score=link.area_score,
                direction_score=link.direction_score,
                work_area=link.work_area,
                method="semantic",
                confidence=confidence,
                version=version,
            )


def embedding_texts(builder: DatasetBuilder) -> dict[str, str]:
    """Every embedded text by vector key: tasks, skills, occupation descriptions, directions."""
    texts: dict[str, str] = {}
    for node in builder.nodes.values():
        if isinstance(node, Task):
            texts[node.id] = node.text
        elif isinstance(node, Skill):
            texts[node.id] = node.name_zh
        elif isinstance(node, Occupation):
            if node.definition:
                texts[f"{node.id}#zh"] = f"{node.name_zh}：{node.definition}"
            else:
                texts[f"{node.id}#zh"] = node.name_zh
            if node.name_en and node.definition_en:
                texts[f"{node.id}#en"] = f"{node.name_en}: {node.definition_en}"
        elif isinstance(node, TitleDirection):
            texts[node.id] = direction_text(node.name, node.work_areas)
    return dict(sorted(texts.items()))


__all__ = ["add_vocabulary", "link_skills", "relate_directions", "embedding_texts", "Source"]


SIMILAR_NEIGHBOURS = 8


def occupation_profiles(builder: DatasetBuilder, vectors: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray]:
    """Per occupation: its description plus the mean of its task vectors, normalised.

    One vector that says what the occupation is and what it does; similar occupations and
    lateral career moves are measured between these.
    """
    owner = owner_of_task(builder)
    task_rows: dict[tuple[str, str], list[np.ndarray]] = defaultdict(list)
    for task in tasks_of(builder):
        if task.id in vectors:
            task_rows[(owner[task.id], task.lang)].append(vectors[task.id])
    nodes = sorted((n for n in builder.nodes.values() if isinstance(n, Occupation)), key=lambda n: n.id)
    occs = [n.id for n in nodes]
    dim = len(next(iter(vectors.values())))
    matrix = np.zeros((len(occs), dim), dtype=np.float32)
    for i, node in enumerate(nodes):
        occ = node.id
        # Chinese content, which every occupation of the classification has; English only where
        # there is no Chinese (a build without the classification). Mixing languages would make
        # the 30 occupations with English texts attract every English query.
        chinese = bool(node.definition) or bool(task_rows[(occ, "zh")])
        lang = "zh" if chinese or f"{occ}#en" not in vectors else "en"
        v = vectors.get(f"{occ}#{lang}", np.zeros(dim, np.float32)).astype(np.float32)
        if task_rows[(occ, lang)]:
            v = v + np.mean(task_rows[(occ, lang)], axis=0)
        matrix[i] = v / (np.linalg.norm(v) or 1.0)
    return occs, matrix


def relate_similar(
    builder: DatasetBuilder, occs: list[str], profiles: np.ndarray, n: int = SIMILAR_NEIGHBOURS, encoder: str = ""
) -> None:
    """Occupation → its n nearest occupations by profile cosine: the lateral-move graph."""
    version = f"profile cosine, {n} nearest ({encoder})" if encoder else f"profile cosine, {n} nearest"
    for start in range(0, len(occs), 512):
        sims = profiles[start : start + 512] @ profiles.T
        for row, i in enumerate(range(start, min(start + 512, len(occs)))):
            order = [j for j in np.argsort(-sims[row], kind="stable") if j != i][:n]
            for j in order:
                cos = round(float(sims[row, j]), 4)
                builder.relate(
                    "SIMILAR_TO",
                    occs[i],
                    occs[j],
                    [],
                    score=cos,
                    weight=round(1 - cos, 4),
                    method="profile_cosine",
                    version=version,
                )
