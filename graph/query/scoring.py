"""Score blending shared by both backends, so they rank by the same rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# similar occupations: what a counsellor means by "similar" — doing similar work (texts),
# needing the same skills, sitting near in the classification, sharing title directions
SIMILARITY_WEIGHTS = {"embedding": 0.55, "skills": 0.25, "category": 0.15, "directions": 0.05}
CATEGORY_PROXIMITY = {3: 1.0, 2: 0.5, 1: 0.2, 0: 0.0}  # shared code segments: 小类 / 中类 / 大类
# e5 cosines between occupation profiles sit in [0.7, 1]; rescale so the blend is not
# dominated by a constant offset
EMBEDDING_FLOOR = 0.7

# curriculum coverage: a course covers a task or skill when its text is this close
COVERED = 0.86
PARTIAL = 0.83
# A target task the source already does: one of its tasks this close (raw e5 cosine). Measured:
# unrelated work 0.86–0.90, same field but a different task 0.92–0.955.
TASK_KNOWN = 0.96


def category_proximity(code_a: str | None, code_b: str | None) -> float:
    if not code_a or not code_b:
        return 0.0
    a, b = code_a.split("-"), code_b.split("-")
    shared = 0
    for x, y in zip(a[:3], b[:3], strict=False):
        if x != y:
            break
        shared += 1
    return CATEGORY_PROXIMITY[shared]


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def blend_similarity(embedding: float, skills: float, category: float, directions: float) -> dict[str, float]:
    emb = max(0.0, (embedding - EMBEDDING_FLOOR) / (1 - EMBEDDING_FLOOR))
    parts = {
        "embedding": round(emb, 4),
        "skills": round(skills, 4),
        "category": category,
        "directions": round(directions, 4),
    }
    parts["score"] = round(sum(SIMILARITY_WEIGHTS[k] * v for k, v in parts.items() if k in SIMILARITY_WEIGHTS), 4)
    return parts


def similar_occupation(row: dict, cosine: float, skills: float, category: float, directions: float, model=None):
    """One similar occupation as both backends return it: `row` (id, code, names, shared skills and
    directions) scored by the calibrated occupation_similar model where one is fitted, else by the blend."""
    from graph.query.results import SimilarOccupation

    parts = blend_similarity(cosine, skills, category, directions)
    blend = parts.pop("score")
    if model is None:
        return SimilarOccupation(**row, score=blend, score_parts=parts)
    p = model.probability(parts)
    return SimilarOccupation(**row, score=round(p, 4), match=model.band(p), score_parts={**parts, "blend": blend})


def direction_pair_score(links: Sequence[Mapping[str, Any]]) -> float:
    """An occupation–direction pair's score from its task links: the calibrated confidence the build puts
    on every link of the pair (bench/eval_directions.py), or the sum of the tasks' work-area cosines in a
    build without a fitted model."""
    confidences = [link["confidence"] for link in links if link.get("confidence") is not None]
    return round(max(confidences) if confidences else sum(link["score"] for link in links), 4)
