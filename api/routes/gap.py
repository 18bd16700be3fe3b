"""Skill gap between two occupations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.routes.params import ERRORS, NAME_CHARS
from graph.query.results import SkillGap

router = APIRouter(tags=["careers"], responses=ERRORS)


@router.get("/gap", response_model=SkillGap)
def gap(
    store: StoreDep,
    source: Annotated[str, Query(alias="from", min_length=1, max_length=NAME_CHARS)],
    target: Annotated[str, Query(alias="to", min_length=1, max_length=NAME_CHARS)],
) -> SkillGap:
    """Skills and tasks the `to` occupation needs that the `from` occupation lacks."""
    return store.skill_gap(source, target)
