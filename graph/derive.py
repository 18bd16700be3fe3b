"""Derived relations, with scores and evidence: Task → Skill, Occupation → Skill,
Task → TitleDirection."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from graph.dataset import DatasetBuilder
from graph.model import Occupation, Skill, Source, Task, TitleDirection
from graph.skills import CROSS_LINGUAL as SKILL_CROSS_LINGUAL
from graph.skills import SEMANTIC_THRESHOLD, LexicalLinker, SkillLink, SkillTerm, semantic_links
from graph.resolve import slug

# A task relates to a title direction when (1) its nearest skill in the whole vocabulary is one
# of that direction's work areas — a fire-drill task is nearer 消防 terms than 应急演练 — and
# (2) it is close to both that work area and the direction as a whole. Cosines are centred (see
# `centred`); cross-lingual ones run about 0.55× the monolingual ones, hence the English factor.
# Calibrated by reading samples across score bands (bench/reports/skill_links.md).
AREA_THRESHOLD = 0.40
DIRECTION_THRESHOLD = 0.25
CROSS_LINGUAL = 0.55


def centred(vectors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Vectors minus their mean, renormalised: removes the component every e5 vector shares."""
    keys = list(vectors)
    matrix = np.stack([vectors[k] for k in keys]).astype(np.float32)
    matrix -= matrix.mean(axis=0)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
    return dict(zip(keys, matrix))


def add_vocabulary(builder: DatasetBuilder, terms: list[SkillTerm]) -> None:
    for t in terms:
        builder.node(Skill(id=f"skill:{slug(t.name_zh)}", name_zh=t.name_zh, kind=t.kind, sources=[t.source]))


def tasks_of(builder: DatasetBuilder) -> list[Task]:
    return sorted((n for n in builder.nodes.values() if isinstance(n, Task)), key=lambda t: t.id)


def owner_of_task(builder: DatasetBuilder) -> dict[str, str]:
    return {r.end: r.start for r in builder.relations.values() if r.type == "HAS_TASK"}


def link_skills(builder: DatasetBuilder, vectors: dict[str, np.ndarray]) -> list[SkillLink]:
    """Lexical links where a skill's name occurs in a Chinese task; semantic links (centred
    cosine, see `centred`) for the tasks that have none, English ones included."""
    skills = sorted((n for n in builder.nodes.values() if isinstance(n, Skill)), key=lambda s: s.id)
    lexical = LexicalLinker({s.name_zh: s.id for s in skills})
    tasks = tasks_of(builder)
    links = [link for t in tasks if t.lang == "zh" for link in lexical.links(t.id, t.text)]
    linked = {l.task_id for l in links}
    rest = [t.id for t in tasks if t.id not in linked and t.id in vectors]
    if rest and skills:
        thresholds = [SEMANTIC_THRESHOLD * (1.0 if builder.nodes[t].lang == "zh" else SKILL_CROSS_LINGUAL) for t in rest]
        links += semantic_links(rest, np.stack([vectors[i] for i in rest]), [s.id for s in skills],
                                [s.name_zh for s in skills], np.stack([vectors[s.id] for s in skills]), thresholds)
    owner = owner_of_task(builder)
    per_occupation: dict[tuple[str, str], list[SkillLink]] = defaultdict(list)
    for link in links:
        task = builder.nodes[link.task_id]
        builder.relate("USES_SKILL", link.task_id, link.skill_id, task.sources, method=link.method,
                       score=link.score, evidence=link.evidence)
        per_occupation[(owner[link.task_id], link.skill_id)].append(link)
    for (occ, skill), ls in per_occupation.items():
        builder.relate("REQUIRES", occ, skill, [], tasks=len({l.task_id for l in ls}),
                       score=round(max(l.score for l in ls), 4))
    return links


def relate_directions(builder: DatasetBuilder, vectors: dict[str, np.ndarray]) -> None:
    """Task → TitleDirection, with the work area as evidence (`vectors` centred, see `centred`)."""
    directions = {n.id: n for n in builder.nodes.values() if isinstance(n, TitleDirection) and n.id in vectors}
    if not directions:
        return
    skills = sorted(n.id for n in builder.nodes.values() if isinstance(n, Skill) and n.id in vectors)
    area_of = {f"skill:{slug(a)}": (d.id, a) for d in directions.values() for a in d.work_areas}
    skill_matrix = np.stack([vectors[s] for s in skills])
    tasks = [t for t in tasks_of(builder) if t.id in vectors]
    for start in range(0, len(tasks), 2048):
        chunk = tasks[start:start + 2048]
        matrix = np.stack([vectors[t.id] for t in chunk])
        sims = matrix @ skill_matrix.T
        nearest = sims.argmax(axis=1)
        for row, task in enumerate(chunk):
            skill = skills[nearest[row]]
            if skill not in area_of:
                continue
            direction, area = area_of[skill]
            factor = 1.0 if task.lang == "zh" else CROSS_LINGUAL
            area_score = float(sims[row, nearest[row]])
            direction_score = float(matrix[row] @ vectors[direction])
            if area_score >= AREA_THRESHOLD * factor and direction_score >= DIRECTION_THRESHOLD * factor:
                builder.relate("RELATES_TO", task.id, direction, task.sources, score=round(area_score, 4),
                               direction_score=round(direction_score, 4), work_area=area, method="semantic")


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
            texts[node.id] = f"{node.name}：{'、'.join(node.work_areas)}"
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
    occs = sorted(n.id for n in builder.nodes.values() if isinstance(n, Occupation))
    dim = len(next(iter(vectors.values())))
    matrix = np.zeros((len(occs), dim), dtype=np.float32)
    for i, occ in enumerate(occs):
        node = builder.nodes[occ]
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


def relate_similar(builder: DatasetBuilder, occs: list[str], profiles: np.ndarray, n: int = SIMILAR_NEIGHBOURS) -> None:
    """Occupation → its n nearest occupations by profile cosine: the lateral-move graph."""
    for start in range(0, len(occs), 512):
        sims = profiles[start:start + 512] @ profiles.T
        for row, i in enumerate(range(start, min(start + 512, len(occs)))):
            order = [j for j in np.argsort(-sims[row], kind="stable") if j != i][:n]
            for j in order:
                cos = round(float(sims[row, j]), 4)
                builder.relate("SIMILAR_TO", occs[i], occs[j], [], score=cos, weight=round(1 - cos, 4),
                               method="profile_cosine")
