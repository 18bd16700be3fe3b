"""One router per resource; ``ROUTERS`` is what the app includes."""

from __future__ import annotations

from api.routes import (
    abilities,
    analyze,
    batches,
    code,
    curriculum,
    directions,
    gap,
    health,
    occupations,
    search,
    skills,
)

ROUTERS = [
    search.router,
    code.router,
    analyze.router,
    occupations.router,
    gap.router,
    curriculum.router,
    skills.router,
    directions.router,
    batches.router,
    abilities.router,
    health.router,
]
#: the routers a client's rate limit counts (api/rate_limit.py): all but the probes (admin is installed apart)
READ_ROUTERS = [router for router in ROUTERS if router is not health.router]
