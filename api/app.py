"""The HTTP API and the web page: ``create_app(settings)`` builds everything, nothing at import."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import errors, pages
from api.limits import MAX_BODY_BYTES, BodySizeLimit
from api.rate_limit import RateLimit
from api.routes import READ_ROUTERS, ROUTERS, admin
from api.schemas import ErrorOut
from graph.settings import Settings, get_settings

#: requests served at once by the embedded backend (threads running the endpoints; see _lifespan)
EMBEDDED_REQUEST_THREADS = 4


def request_threads(settings: Settings) -> int:
    """Threads that run the endpoints: the setting, else few for the embedded backend, else anyio's 40.

    The embedded backend's requests are Python holding the GIL (numpy and the encoder let go of it): 40 of
    them at once share one core, each slowed by all the others, and the event loop waits for the GIL too.
    With 4 the rest wait their turn in a queue, which costs nothing. In two runs of 50 clients on 2 shared
    cores (bench/load.py, `threads` against `before`): p99 2.05 and 2.22 s against 2.99 and 4.70 s, server
    CPU a request 18.1 and 16.7 ms against 19.7 and 27.6; requests served 0.84x and 1.26x, each time fewer
    for the run that met the busier machine (other work ran beside it), so that figure is not settled.
    The cost: 4 long requests (a curriculum heatmap, seconds) hold the others back while they run.
    Neo4j's requests mostly wait on the server, where many threads help."""
    if settings.request_threads is not None:
        return settings.request_threads
    return EMBEDDED_REQUEST_THREADS if settings.backend == "embedded" else 40


@asynccontextmanager
async def _lifespan(app: FastAPI):
    # anyio's default limiter, which Starlette runs sync endpoints under, belongs to the event loop: set here
    anyio.to_thread.current_default_thread_limiter().total_tokens = request_threads(app.state.settings)
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
        docs_url=None,  # /docs and /redoc are served from local copies of their libraries (api.pages)
        redoc_url=None,
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
            expose_headers=["Retry-After"],  # a page told 429 (or 409, 503) can read when to try again
        )
    return app
