"""A per-client rate limit on the read API, answered with 429, Retry-After and the API's error shape.

Why: the server's two cores and its encoder are shared by everyone; without a limit one client sending
as fast as it can takes as much of them as all the others together (issue 18: one flooding client
among 49 normal ones, bench/load.py). A client is its address, as uvicorn gives it (the user's, from
X-Forwarded-For, when a proxy on this machine or in FORWARDED_ALLOW_IPS sends it); its requests to
every read endpoint count together.
/health and /ready (probes), /admin (behind its token), the page and the docs are not limited.

The windows are counted by `limits` (the engine of slowapi and flask-limiter). Not slowapi itself:
its middleware finds a request's endpoint by walking app.routes, where this FastAPI keeps included
routers unexpanded, so it found none and limited nothing (tried); and its decorators would need a
module-level limiter on every endpoint, where the limit is a setting of the app being created.
The check is ASGI middleware, before routing and before a body is read, so a refused request costs
little: a flooding client is refused quickly rather than slowing the others down.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from fastapi.routing import APIRoute, APIRouter
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response


class RateLimit:
    """ASGI middleware: each client (address) at most ``limit`` (the `limits` notation, e.g.
    "10/second;300/minute") over the routes of ``limited`` together; other paths pass unchecked."""

    def __init__(self, app: ASGIApp, limit: str, limited: Iterable[APIRouter]) -> None:
        self.app = app
        self.items: list[RateLimitItem] = parse_many(limit)
        # a moving window counts exactly the requests of the last second (or minute): a fixed one lets a
        # client send twice the limit across a window's edge. In memory: one process serves
        self.windows = MovingWindowRateLimiter(MemoryStorage())
        self.paths = [route.path_regex for router in limited for route in router.routes if isinstance(route, APIRoute)]

    def counted(self, path: str) -> bool:
        return any(pattern.match(path) for pattern in self.paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.counted(scope["path"]):
            client = scope.get("client")
            key = client[0] if client else ""
            for item in self.items:
                if not self.windows.hit(item, key):
                    await self.refuse(item, key)(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    def retry_after_s(self, item: RateLimitItem, key: str) -> int:
        """Whole seconds until ``item`` lets the client in again (at least 1)."""
        reset_at = self.windows.get_window_stats(item, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def refuse(self, item: RateLimitItem, key: str):
        wait = self.retry_after_s(item, key)
        message = f"too many requests from this client: at most {item}; try again in {wait} s"
        return error_response(429, "rate_limited", message, headers={"Retry-After": str(wait)})
