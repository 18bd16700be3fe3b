"""Endpoints that change data; each needs ``Authorization: Bearer <admin_token>``.

With no ``admin_token`` configured the admin endpoints are disabled (403). Read endpoints stay
public. Errors use the API's one JSON shape.
"""

from __future__ import annotations

import hmac
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from api.errors import error_response, handler
from api.schemas import ErrorOut
from graph.errors import SourceFormatError

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


@router.post("/sources", response_model=SourceOut, status_code=201)
def add_source(request: Request, settings: SettingsDep, _: AdminDep, body: SourceIn) -> SourceOut | JSONResponse:
    """Validate a batch notice or occupation-information document, build a new generation with it and
    switch to it atomically; a bad document changes nothing (422 naming the file and line)."""
    return _add(request, settings, body.filename, body.content.encode("utf-8"), body.form, body.title)


@router.post("/sources/upload", response_model=SourceOut, status_code=201)
def upload_source(
    request: Request,
    settings: SettingsDep,
    _: AdminDep,
    file: Annotated[UploadFile, File(description="the document, a UTF-8 .txt file")],
    form: Annotated[Literal["notice_zh", "occupation_info_zh"], Form()],
    title: Annotated[str | None, Form(max_length=300)] = None,
) -> SourceOut | JSONResponse:
    """The same as POST /admin/sources, for a file sent as multipart/form-data (`curl -F file=@…`)."""
    from graph.sources_admin import MAX_SOURCE_BYTES

    content = file.file.read(MAX_SOURCE_BYTES + 1)  # validate() rejects what is over the limit
    return _add(request, settings, file.filename or "", content, form, title)


_build_lock = threading.Lock()


def _add(
    request: Request, settings, filename: str, content: bytes, form: str, title: str | None
) -> SourceOut | JSONResponse:
    """The document added, or 409 while another is being added."""
    from api.wiring import load_encoder
    from graph.sources_admin import add_source as run

    if not _build_lock.acquire(blocking=False):
        return error_response(409, "conflict", "another document is being added; try again shortly")
    try:
        encoder = getattr(request.app.state, "encoder", None) or load_encoder(settings)
        added = run(settings, filename, content, form, title, encoder=encoder)  # loads into Neo4j if configured
        # the next request opens the new generation; requests under way finish on the old store
        request.app.state.store = None
    finally:
        _build_lock.release()
    return SourceOut(
        file=added.file, form=added.form, title=added.title, generation=added.generation.name, parsed=added.parsed
    )


async def _auth(_: Request, exc: AdminAuthError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, headers=headers)


async def _source(_: Request, exc: SourceFormatError) -> JSONResponse:
    return error_response(
        422, "invalid_document", str(exc), [f"file {exc.file}" + (f", line {exc.line}" if exc.line else "")]
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(AdminAuthError, handler(AdminAuthError, _auth))
    app.add_exception_handler(SourceFormatError, handler(SourceFormatError, _source))
    app.include_router(router)
