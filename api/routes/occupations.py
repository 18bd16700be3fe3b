"""One occupation: its profile, neighbours, title directions, career paths and graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.neighbourhood import neighbourhood
from api.routes.params import ERRORS, NAME_CHARS, K, Name
from api.schemas import DirectionsOut, GraphOut, SimilarOut
from graph.query.results import CareerPaths, Profile

router = APIRouter(prefix="/occupations", tags=["occupations"], responses=ERRORS)


@router.get("/{name_or_code}", response_model=Profile)
def profile(store: StoreDep, name_or_code: Name) -> Profile:
    """Everything known about one occupation (same shape as `zhiye show --json`)."""
    return store.profile(name_or_code)


@router.get("/{name_or_code}/similar", response_model=SimilarOut)
def similar(store: StoreDep, name_or_code: Name, k: K = 10) -> SimilarOut:
    """Similar occupations with the parts of their score and the skills they share."""
    return SimilarOut(results=store.similar_occupations(name_or_code, k))


@router.get("/{name_or_code}/title-directions", response_model=DirectionsOut)
def title_directions(store: StoreDep, name_or_code: Name) -> DirectionsOut:
    """Professional-title directions reached through the occupation's tasks."""
    return DirectionsOut(directions=store.title_directions(name_or_code))


@router.get("/{name_or_code}/career-paths", response_model=CareerPaths)
def career_paths(
    store: StoreDep,
    name_or_code: Name,
    to: Annotated[str | None, Query(min_length=1, max_length=NAME_CHARS, description="target occupation")] = None,
    k: K = 5,
) -> CareerPaths:
    """Skill-level ladder, title ladder and lateral moves (towards `to` when given)."""
    return store.career_paths(name_or_code, to, k)


@router.get("/{name_or_code}/graph", response_model=GraphOut)
def graph(store: StoreDep, name_or_code: Name, k: K = 6) -> GraphOut:
    """The neighbourhood: occupation – tasks – skills – title directions – similar occupations."""
    return neighbourhood(store, name_or_code, k)
