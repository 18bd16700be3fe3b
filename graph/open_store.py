"""Open the configured backend on the current generation."""

from __future__ import annotations

from graph.build.generations import current_generation
from graph.encoding import EncoderFactory
from graph.query.protocol import OccupationStore
from graph.settings import Settings


def open_store(settings: Settings, encoder: EncoderFactory) -> OccupationStore:
    """The store of `settings.backend`; `encoder` is called once, when a query first needs it."""
    if settings.backend == "neo4j":
        from graph.neo4j.store import Neo4jStore

        return Neo4jStore.connect(settings, encoder)
    from graph.embedded.store import EmbeddedStore

    return EmbeddedStore(current_generation(settings.state_dir), encoder)
