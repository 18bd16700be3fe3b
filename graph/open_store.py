"""Open the configured backend on the current generation."""
from __future__ import annotations

from graph.generations import current_generation
from graph.settings import Settings


def open_store(settings: Settings):
    if settings.backend == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.connect(settings)
    from graph.embedded import EmbeddedStore

    def encoder():
        from embeddings.encoder import load_encoder

        return load_encoder(settings)

    return EmbeddedStore(current_generation(settings.state_dir), encoder)
