"""What is served (backend, model, counts) and readiness (the store answers)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from api.routes.params import ERRORS
from api.schemas import HealthOut, ReadyOut

router = APIRouter(tags=["health"], responses={503: ERRORS[503]})


@router.get("/health", response_model=HealthOut)
def health(store: StoreDep, settings: SettingsDep) -> HealthOut:
    """The backend, model, generation and node counts; 503 in the error shape when the store is down."""
    stats = store.stats()
    return HealthOut(
        status="ok",
        backend=stats.meta.get("backend", store.backend),
        model=stats.meta.get("model", settings.model),
        generation=stats.meta.get("generation"),
        nodes=stats.nodes,
        relationships=stats.relationships,
    )


@router.get("/ready", response_model=ReadyOut)
def ready(store: StoreDep) -> ReadyOut:
    """200 when the store answers a query, 503 otherwise."""
    store.stats()
    return ReadyOut(status="ready")
