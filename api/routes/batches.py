"""The timeline of new-occupation batches."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.routes.params import ERRORS
from api.schemas import BatchesOut

router = APIRouter(tags=["batches"], responses={503: ERRORS[503]})


@router.get("/batches", response_model=BatchesOut)
def batches(store: StoreDep) -> BatchesOut:
    """Every batch with its announcement, document number and occupations."""
    return BatchesOut(batches=store.batches())
