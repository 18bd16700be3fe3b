"""Query and path parameters shared by the routers, with the store's limits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

from api.schemas import ErrorOut
from graph.query.protocol import MAX_K, MAX_QUERY_CHARS

NAME_CHARS = 200

Name = Annotated[str, Path(min_length=1, max_length=NAME_CHARS, description="Chinese or English name, or code")]


K = Annotated[int, Query(ge=1, le=MAX_K, description=f"number of results, 1–{MAX_K}")]
QueryText = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Chinese or English text")]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "unknown name, with suggestions"},
    422: {"model": ErrorOut, "description": "invalid input"},
    503: {"model": ErrorOut, "description": "the graph store is unavailable"},
}
