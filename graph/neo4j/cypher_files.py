"""Every Cypher statement the project runs lives in cypher/, one file per query."""

from __future__ import annotations

from functools import cache

from graph.resources import resource_dir

# cypher/ of the checkout, or the copy an installed wheel carries (graph/resources.py)
CYPHER_DIR = resource_dir("cypher")


@cache
def cypher(name: str) -> str:
    """The statement in cypher/<name>.cypher (names may include a folder: schema/entity_uid)."""
    return (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")


def schema_statements() -> list[str]:
    return [cypher(f"schema/{p.stem}") for p in sorted((CYPHER_DIR / "schema").glob("*.cypher"))]
