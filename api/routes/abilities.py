"""专项职业能力: the certifiable abilities below an occupation that the catalog lists (004, codes with Z)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.routes.params import ERRORS, Name
from api.schemas import SpecialAbilitiesOut
from graph.query.results import SpecialAbilityInfo
from graph.query.validate import resolve_name

router = APIRouter(prefix="/special-abilities", tags=["special abilities"], responses=ERRORS)


@router.get("", response_model=SpecialAbilitiesOut)
def special_abilities(store: StoreDep) -> SpecialAbilitiesOut:
    """Every 专项职业能力 with its code, level, minor group and source line (same as `zhiye abilities --json`)."""
    return SpecialAbilitiesOut(results=store.special_abilities())


@router.get("/{name_or_code}", response_model=SpecialAbilityInfo)
def special_ability(store: StoreDep, name_or_code: Name) -> SpecialAbilityInfo:
    """One 专项职业能力 by its name or code (4-04-05-Z1); an unknown one is 404 with suggestions."""
    items = {a.id: a for a in store.special_abilities()}
    names = {key.casefold(): a.id for a in items.values() for key in (a.id, a.code, a.name)}
    return items[resolve_name(name_or_code, names, "special ability")]
