"""Course × target-item coverage matrix for the curriculum heatmap.

The store's curriculum map scores each target item for every course (`per_course`); the matrix is
those scores, courses × items.
"""

from __future__ import annotations

from api.schemas import HeatItem, HeatmapOut
from graph.errors import InvalidInput
from graph.query.protocol import OccupationStore
from graph.query.results import Course


def heatmap(store: OccupationStore, courses: list[Course], target: str | None) -> HeatmapOut:
    overall = store.curriculum_map(courses, target)
    chosen = overall.target is None
    if chosen:
        if not overall.prepares_for:
            raise InvalidInput("the courses match no occupation; name a target occupation")
        overall = store.curriculum_map(courses, overall.prepares_for[0].id)
    target_ref = overall.target
    if target_ref is None:
        raise InvalidInput(f"unknown target {target!r}")
    items = [
        HeatItem(id=c.id, name=c.name, name_en=c.name_en, kind=c.kind, provenance=c.provenance)
        for c in overall.coverage
    ]
    # each item's calibrated score per course comes with the map: no second mapping per course
    scores = [[c.per_course[i] for c in overall.coverage] for i in range(len(courses))]
    return HeatmapOut(
        target=target_ref,
        target_chosen=chosen,
        courses=[c.title for c in courses],
        items=items,
        scores=scores,
        thresholds=overall.thresholds,
        map=overall,
    )
