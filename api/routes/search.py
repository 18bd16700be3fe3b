"""Hybrid search over occupations, tasks, skills, title directions and work types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.routes.params import ERRORS, K, QueryText
from api.schemas import SearchOut

router = APIRouter(tags=["search"], responses={422: ERRORS[422], 503: ERRORS[503]})


@router.get("/search", response_model=SearchOut)
def search(
    store: StoreDep,
    q: QueryText,
    labels: Annotated[str | None, Query(max_length=200, description="comma-separated, e.g. Occupation,Task")] = None,
    k: K = 10,
) -> SearchOut:
    """Vector + BM25 + graph search, Chinese or English; each hit carries its evidence."""
    wanted = [label.strip() for label in labels.split(",") if label.strip()] if labels else None
    found = store.search(q, wanted or None, k)
    return SearchOut(results=found.results, no_good_match=found.no_good_match)
