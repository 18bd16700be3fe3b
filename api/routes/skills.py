"""Occupations that need a skill."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.routes.params import ERRORS, K, Name
from api.schemas import SkillOccupationsOut

router = APIRouter(prefix="/skills", tags=["skills"], responses=ERRORS)


@router.get("/{name}/occupations", response_model=SkillOccupationsOut)
def skill_occupations(store: StoreDep, name: Name, k: K = 20) -> SkillOccupationsOut:
    """Occupations requiring the skill, by how many of their tasks use it; the skill's names in both languages."""
    return SkillOccupationsOut(skill=store.skill_name(name), results=store.skill_occupations(name, k))
