"""One router per resource; ``ROUTERS`` is what the app includes."""

from __future__ import annotations

from api.routes import analyze, batches, code, curriculum, directions, gap, health, occupations, search, skills

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
    health.router,
]
