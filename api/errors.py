"""One JSON error shape for every failure: ``{"error": {"code", "message", "suggestions", "suggestions_en"}}``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from graph.build.generations import CorruptGeneration
from graph.errors import (
    BackendUnavailable,
    Conflict,
    GraphNotBuilt,
    InvalidInput,
    NotCalibrated,
    NotFound,
    QueryTimedOut,
    SourceFormatError,
    ZhiyeError,
)

log = logging.getLogger("zhiye.api")
E = TypeVar("E", bound=Exception)

HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    503: "unavailable",
}


def error_response(
    status: int,
    code: str,
    message: str,
    suggestions: list[str] | None = None,
    headers: dict[str, str] | None = None,
    suggestions_en: list[str | None] | None = None,
) -> JSONResponse:
    body = {"error": _body(code, message, suggestions or [], suggestions_en or [])}
    return JSONResponse(body, status_code=status, headers=headers)


def _body(code: str, message: str, suggestions: list[str], suggestions_en: list[str | None]) -> dict[str, Any]:
    """The one error shape: `suggestions_en` holds each suggestion's English name (null where the graph has
    none), or is empty when the error has none to give."""
    return {"code": code, "message": message, "suggestions": suggestions, "suggestions_en": suggestions_en}


def _readable(errors: Sequence[Mapping[str, Any]]) -> str:
    """Pydantic errors as one sentence: ``k: Input should be less than or equal to 100``."""
    parts = []
    for e in errors:
        # drop the "query"/"body"/"path" prefix: the name of the parameter is what a person knows
        loc = (
            [str(x) for x in e.get("loc", ())[1:]]
            if e.get("loc", ("",))[0] in ("query", "body", "path")
            else [str(x) for x in e.get("loc", ())]
        )
        where = ".".join(loc)
        parts.append(f"{where}: {e['msg']}" if where else e["msg"])
    return "; ".join(parts) or "invalid input"


@dataclass(frozen=True)
class Described:
    """An error as the API states it: HTTP status, code, message, suggestions and headers."""

    status: int
    code: str
    message: str
    suggestions: list[str] = field(default_factory=list)
    headers: dict[str, str] | None = None
    suggestions_en: list[str | None] = field(default_factory=list)

    def response(self) -> JSONResponse:
        return error_response(self.status, self.code, self.message, self.suggestions, self.headers, self.suggestions_en)

    def body(self) -> dict[str, Any]:
        return _body(self.code, self.message, self.suggestions, self.suggestions_en)


def describe(exc: BaseException) -> Described:
    """The one mapping from the project's errors to the API's: used by the handlers and by background
    jobs, which report a failure in the same shape."""
    if isinstance(exc, SourceFormatError):
        where = f"file {exc.file}" + (f", line {exc.line}" if exc.line else "")
        return Described(422, "invalid_document", str(exc), [where])
    if isinstance(exc, NotFound):
        return Described(404, "not_found", str(exc), exc.suggestions, suggestions_en=exc.suggestions_en)
    if isinstance(exc, InvalidInput):
        return Described(422, "invalid_input", str(exc))
    if isinstance(exc, Conflict):
        return Described(409, "conflict", str(exc), headers={"Retry-After": "30"})
    if isinstance(exc, QueryTimedOut):
        message = "the graph store did not answer within the query timeout (neo4j_timeout_s); try again"
        return Described(503, "timeout", message, headers={"Retry-After": "5"})
    if isinstance(exc, (BackendUnavailable, GraphNotBuilt, CorruptGeneration, NotCalibrated)):
        return Described(503, "unavailable", str(exc), headers={"Retry-After": "30"})
    if isinstance(exc, ZhiyeError):
        log.error("unexpected project error", exc_info=exc)
        return Described(500, "internal", str(exc))
    log.error("unhandled error", exc_info=exc)
    return Described(500, "internal", "internal server error")


async def _zhiye(_: Request, exc: ZhiyeError) -> JSONResponse:
    return describe(exc).response()


async def _validation(_: Request, exc: RequestValidationError | ValidationError) -> JSONResponse:
    return error_response(422, "invalid_input", _readable(exc.errors()))


async def _http(_: Request, exc: HTTPException) -> JSONResponse:
    code = HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    return describe(exc).response()


def handler(
    kind: type[E], handle: Callable[[Request, E], Awaitable[Response]]
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """A handler of `kind` as Starlette types its handlers (of any exception): it is only called with a `kind`."""

    async def run(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, kind):
            raise TypeError(f"the handler of {kind.__name__} was called with {type(exc).__name__}") from exc
        return await handle(request, exc)

    return run


def install(app: FastAPI) -> None:
    app.add_exception_handler(ZhiyeError, handler(ZhiyeError, _zhiye))
    app.add_exception_handler(RequestValidationError, handler(RequestValidationError, _validation))
    app.add_exception_handler(ValidationError, handler(ValidationError, _validation))
    app.add_exception_handler(HTTPException, handler(HTTPException, _http))
    app.add_exception_handler(Exception, _unexpected)
