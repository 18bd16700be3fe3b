"""Settings for a bench's own Neo4j server: a cache dir that shares the model, the embedding cache
and the Neo4j jars with the project's, but has its own Neo4j home, so a bench never touches the
server the project (or a test session) uses."""

from __future__ import annotations


def private_settings(base, name: str, heap: str | None = None, pagecache: str | None = None):
    cache = base.cache_dir / name / "cache"
    (cache / "neo4j").mkdir(parents=True, exist_ok=True)
    for link_name, target in (
        ("models", base.cache_dir / "models"),
        ("embeddings", base.cache_dir / "embeddings"),
        ("neo4j/lib", base.neo4j_home / "lib"),
    ):
        link = cache / link_name
        if not link.exists() and target.exists():
            link.symlink_to(target)
    return base.model_copy(
        update={
            "cache_dir": cache,
            "neo4j_uri": None,
            "neo4j_heap": heap or base.neo4j_heap,
            "neo4j_pagecache": pagecache or base.neo4j_pagecache,
        }
    )
