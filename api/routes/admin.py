"""Endpoints that change data; each needs ``Authorization: Bearer <admin_token>``.

With no ``admin_token`` configured the admin endpoints are disabled (403). Read endpoints stay
public. Errors use the API's one JSON shape.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, Form, Path, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import SettingsDep, open_lock
from api.errors import error_response, handler
from api.jobs import Job, Jobs, Status
from api.schemas import ErrorOut
from graph.errors import NotFound

MAX_CONTENT_CHARS = 1_000_000


class AdminAuthError(Exception):
    def __init__(self, status: int, code: str, message: str):
        self.status, self.code, self.message = status, code, message


def require_admin(request: Request, settings: SettingsDep) -> None:
    token = settings.admin_token
    if not token:
        raise AdminAuthError(
            403, "forbidden", "admin endpoints are disabled: no admin token is configured (set ZHIYE_ADMIN_TOKEN)"
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise AdminAuthError(401, "unauthorized", "this endpoint needs an `Authorization: Bearer <token>` header")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise AdminAuthError(403, "forbidden", "the bearer token is not the admin token")


AdminDep = Annotated[None, Depends(require_admin)]
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no bearer token"},
    403: {"model": ErrorOut, "description": "wrong token, or admin endpoints disabled"},
}
router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    responses={
        **AUTH_ERRORS,
        422: {"model": ErrorOut, "description": "invalid document"},
        503: {"model": ErrorOut, "description": "the graph store is unavailable"},
    },
)


class SourceIn(BaseModel):
    filename: str = Field(min_length=1, max_length=124, description="a .txt file name, no directories")
    content: str = Field(min_length=1, max_length=MAX_CONTENT_CHARS, description="the document's UTF-8 text")
    form: Literal["notice_zh", "occupation_info_zh"]
    title: str | None = Field(default=None, max_length=300)


class SourceOut(BaseModel):
    file: str
    form: str
    title: str
    generation: str
    parsed: int


class JobOut(BaseModel):
    """A background job: `running`, then `succeeded` with its result or `failed` with its error (the API's
    error shape, and the HTTP status the request would have had)."""

    id: str
    kind: str
    subject: str
    status: Status
    started: float = Field(description="Unix time")
    finished: float | None = None
    url: str = Field(description="where to poll the job")
    result: SourceOut | None = None
    error: dict[str, Any] | None = None
    error_status: int | None = None


JOB_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "the document is valid; the build runs in the background: poll `url`"},
    409: {"model": ErrorOut, "description": "another document is being added"},
}


@router.post("/sources", response_model=JobOut, status_code=202, responses=JOB_RESPONSES)
def add_source(request: Request, settings: SettingsDep, _: AdminDep, body: SourceIn) -> JSONResponse:
    """Validate a batch notice or occupation-information document now (a bad one: 422 naming the file and
    line, nothing changed), then build a new generation with it in the background and switch to it
    atomically. Answers 202 with the job; `GET /admin/jobs/{id}` says when it is served."""
    return _add(request, settings, body.filename, body.content.encode("utf-8"), body.form, body.title)


@router.post("/sources/upload", response_model=JobOut, status_code=202, responses=JOB_RESPONSES)
def upload_source(
    request: Request,
    settings: SettingsDep,
    _: AdminDep,
    file: Annotated[UploadFile, File(description="the document, a UTF-8 .txt file")],
    form: Annotated[Literal["notice_zh", "occupation_info_zh"], Form()],
    title: Annotated[str | None, Form(max_length=300)] = None,
) -> JSONResponse:
    """The same as POST /admin/sources, for a file sent as multipart/form-data (`curl -F file=@…`)."""
    from graph.build.sources_admin import MAX_SOURCE_BYTES

    content = file.file.read(MAX_SOURCE_BYTES + 1)  # validate() rejects what is over the limit
    return _add(request, settings, file.filename or "", content, form, title)


@router.get("/jobs/{job_id}", response_model=JobOut, responses={404: {"model": ErrorOut, "description": "no such job"}})
def job_status(request: Request, _: AdminDep, job_id: Annotated[str, Path(max_length=64)]) -> JobOut:
    """A job's state. Jobs live in the serving process: the last 50 are kept, none survive a restart."""
    job = _jobs(request).get(job_id)
    if job is None:
        raise NotFound("job", job_id)
    return _job_out(request, job)


def _jobs(request: Request) -> Jobs:
    return request.app.state.jobs


def _job_out(request: Request, job: Job) -> JobOut:
    described = job.failure
    return JobOut(
        id=job.id,
        kind=job.kind,
        subject=job.subject,
        status=job.status,
        started=job.started,
        finished=job.finished,
        url=str(request.url_for("job_status", job_id=job.id).path),
        result=SourceOut(**job.result) if job.result else None,
        error=described.body() if described else None,
        error_status=described.status if described else None,
    )


def _add(request: Request, settings, filename: str, content: bytes, form: str, title: str | None) -> JSONResponse:
    """Validate now, build in a background job; 202 with the job, 409 while another document is added."""
    from api.wiring import load_encoder
    from graph.build.sources_admin import add_source as run
    from graph.build.sources_admin import check_new, validate

    validate(filename, content, form)  # a bad document is answered now, not by a job that fails later
    check_new(settings, filename)
    app = request.app

    def work() -> dict[str, Any]:
        encoder = getattr(app.state, "encoder", None) or load_encoder(settings)
        added = run(settings, filename, content, form, title, encoder=encoder)  # loads into Neo4j if configured
        return {"file": added.file, "form": added.form, "title": added.title,
                "generation": added.generation.name, "parsed": added.parsed}  # fmt: skip

    job = _jobs(request).start("add-source", filename, work, after=lambda: _serve_new_generation(app, settings))
    out = _job_out(request, job)
    return JSONResponse(out.model_dump(mode="json"), status_code=202, headers={"Location": out.url})


def _serve_new_generation(app, settings) -> None:
    """The embedded store holds its generation in memory: the next request opens the new one (requests under
    way finish on the old, which holds no connection). A Neo4j store follows the server's `current` by
    itself (graph.neo4j.store re-reads it every two seconds), so it is kept, caches, driver and all."""
    if settings.backend == "embedded":
        with open_lock:  # not between a first open's read of `current` and its assignment
            app.state.store = None


async def _auth(_: Request, exc: AdminAuthError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, headers=headers)


def install(app: FastAPI) -> None:
    app.state.jobs = Jobs()
    app.add_exception_handler(AdminAuthError, handler(AdminAuthError, _auth))
    app.include_router(router)
