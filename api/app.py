"""The HTTP API and the web page: ``create_app(settings)`` builds everything, nothing at import."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import errors, pages
from api.limits import MAX_BODY_BYTES, BodySizeLimit
from api.rate_limit import RateLimit
from api.routes import READ_ROUTERS, ROUTERS, admin
from api.schemas import ErrorOut
from graph.settings import Settings, get_settings


@asynccontextmanager
async def _lifespan(app: FastAPI):
    yield
    close = getattr(getattr(app.state, "store", None), "close", None)
    if callable(close):  # the Neo4j driver holds sockets; the embedded store holds nothing
        close()


def create_app(settings: Settings | None = None, max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Zhiye 职业 API",
        version="0.1.0",
        lifespan=_lifespan,
        docs_url="/docs",
        description="China's national occupational classification as a graph: search, profiles, "
        "similar occupations, title directions, career paths, skill gaps, curriculum mapping.",
    )
    app.state.settings = settings
    app.state.store = None  # opened on first use by api.deps.get_store
    errors.install(app)
    admin.install(app)  # data-changing endpoints, behind the admin token
    too_many: dict[int | str, dict[str, Any]] = {
        429: {"model": ErrorOut, "description": "this client's rate limit is spent; see Retry-After"}
    }
    for router in ROUTERS:
        app.include_router(router, responses=too_many if router in READ_ROUTERS and settings.rate_limit else None)
    pages.mount(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if settings.rate_limit:  # outside the body limit (a client over its rate is refused unread), inside CORS
        app.add_middleware(RateLimit, limit=settings.rate_limit, limited=READ_ROUTERS)
    if settings.cors_origins:
        # added last so it is outermost: error responses (413 included) carry the CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
        )
    return app
