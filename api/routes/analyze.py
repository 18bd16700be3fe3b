"""Free text — a job ad, a CV, a syllabus — read against the classification."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from api.deps import StoreDep
from api.routes.params import ERRORS, NAME_CHARS
from api.schemas import ErrorOut
from graph.results import Analysis
from graph.store import MAX_TEXT_CHARS

router = APIRouter(tags=["analyze"], responses={**ERRORS, 413: {"model": ErrorOut, "description": "text too long"}})


class AnalyzeIn(BaseModel):
    text: str = Field(min_length=1, description=f"the text, up to {MAX_TEXT_CHARS:,} characters")
    kind: Literal["job_ad", "cv", "syllabus"] | None = Field(
        default=None, description="where to look for a job title: a job ad's first line, a CV's 求职意向; a syllabus names none")
    target: str | None = Field(default=None, max_length=NAME_CHARS,
                               description="an occupation whose tasks and skills the text is checked against")
    k: int = Field(default=5, ge=1, le=20, description="occupations to return")


@router.post("/analyze", response_model=Analysis)
def analyze(store: StoreDep, body: AnalyzeIn) -> Analysis:
    """The text split into sentences; the tasks each shows and the skills it names; the occupations they add up
    to, each with a calibrated `confidence` and its evidence (which sentence shows which task); the job title
    the text names, coded; and with `target`, which of its tasks and skills the text covers."""
    if len(body.text) > MAX_TEXT_CHARS:
        raise HTTPException(413, f"the text has {len(body.text):,} characters; at most {MAX_TEXT_CHARS:,} are read")
    return store.analyze(body.text, body.kind, body.target, body.k)
