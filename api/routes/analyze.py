"""Free text — a job ad, a CV, a syllabus — read against the classification."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.exceptions import HTTPException

from api.deps import StoreDep
from api.routes.params import ERRORS
from api.schemas import AnalyzeIn, ErrorOut
from graph.query.protocol import MAX_TEXT_CHARS
from graph.query.results import Analysis

router = APIRouter(tags=["analyze"], responses={**ERRORS, 413: {"model": ErrorOut, "description": "text too long"}})


@router.post("/analyze", response_model=Analysis)
def analyze(store: StoreDep, body: AnalyzeIn) -> Analysis:
    """The text split into sentences; the tasks each shows and the skills it names; the occupations they add up
    to, each with a calibrated `confidence` and its evidence (which sentence shows which task); the job title
    the text names, coded; and with `target`, which of its tasks and skills the text covers."""
    if len(body.text) > MAX_TEXT_CHARS:
        raise HTTPException(413, f"the text has {len(body.text):,} characters; at most {MAX_TEXT_CHARS:,} are read")
    return store.analyze(body.text, body.kind, body.target, body.k)
