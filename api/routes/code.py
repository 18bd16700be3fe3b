"""Title coding: a job title as people write it → its occupation, with a calibrated confidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.routes.params import ERRORS, MAX_QUERY_CHARS
from graph.query.results import CodeResult

router = APIRouter(tags=["code"], responses={422: ERRORS[422], 503: ERRORS[503]})

Title = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description="a job title as written, e.g. 【急招】外卖骑手 8000+, drone pilot",
    ),
]
CodeK = Annotated[int, Query(ge=1, le=20, description="the best occupation and up to k − 1 runners-up")]


@router.get("/code", response_model=CodeResult)
def code(store: StoreDep, title: Title, k: CodeK = 5) -> CodeResult:
    """The occupation a job title names — or the group, when the title names one (普工 → 6; `level`
    says which): `best` (null when no candidate reaches the threshold, i.e. no good match), the
    runners-up chosen to cover the codes a person might assign, each with a calibrated `confidence`
    (the share of job-ad titles coded at that confidence that were right) and the title that matched."""
    return store.code(title, k)
