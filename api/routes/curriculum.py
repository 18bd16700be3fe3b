"""Mapping a curriculum onto tasks, skills and occupations."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.heatmap import heatmap as build_heatmap
from api.routes.params import ERRORS
from api.schemas import CurriculumIn, ErrorOut, HeatmapOut
from graph.query.results import CurriculumMap

router = APIRouter(
    prefix="/curriculum",
    tags=["curriculum"],
    responses={**ERRORS, 413: {"model": ErrorOut, "description": "request body too large"}},
)


@router.post("/map", response_model=CurriculumMap)
def curriculum_map(store: StoreDep, body: CurriculumIn) -> CurriculumMap:
    """Each course's closest skills, tasks and occupations; coverage of `target` when given."""
    return store.curriculum_map(body.course_list(), body.target)


@router.post("/heatmap", response_model=HeatmapOut)
def curriculum_heatmap(store: StoreDep, body: CurriculumIn) -> HeatmapOut:
    """Courses × the target's tasks and skills (the best-prepared occupation when no target)."""
    return build_heatmap(store, body.course_list(), body.target)
