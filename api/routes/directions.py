"""Occupations whose tasks lead to a professional-title direction."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.routes.params import ERRORS, K, Name
from api.schemas import DirectionOccupationsOut

router = APIRouter(prefix="/directions", tags=["careers"], responses=ERRORS)


@router.get("/{name}/occupations", response_model=DirectionOccupationsOut)
def direction_occupations(store: StoreDep, name: Name, k: K = 20) -> DirectionOccupationsOut:
    """Occupations related to the title direction, with the tasks as evidence; the direction's names in both
    languages."""
    return DirectionOccupationsOut(direction=store.direction_name(name), results=store.direction_occupations(name, k))
