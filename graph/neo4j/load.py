"""Loading a built generation into Neo4j: batched UNWIND … MERGE, idempotent, atomic for readers.

The new generation's nodes carry `gen`; readers follow the ZhiyeMeta 'current' pointer, which
moves only after the whole generation is in. Then the other generations are deleted. A load
that fails midway leaves the previous generation served.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from tqdm.auto import tqdm

from graph.errors import BuildError
from graph.neo4j.cypher_files import cypher, schema_statements

BATCH = 1000
# vector keys → (label, node property)
VECTOR_PROPERTY = {"": "embedding", "#zh": "embedding", "#en": "embedding_en"}


def _flatten(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties are scalars or lists of scalars: maps and lists of maps become JSON."""
    out = {}
    for key, value in props.items():
        if value is None:
            continue
        if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
            out[f"{key}_json"] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            out[key] = value
    return out


def _source_strings(sources: list[dict]) -> list[str]:
    return [
        f"{s['file']}:{s['line']}" + (f" (row {s['row']})" if s.get("row") else "") if s.get("line") else s["file"]
        for s in sources
    ]


def load_generation(
    driver, generation: Path, log: Callable[[str], None] = print, slot: str = "current"
) -> dict[str, int]:
    """Load a generation and point `slot` at it (tests keep two graphs in one server with two slots)."""
    gen = generation.name
    data = orjson.loads((generation / "dataset.json").read_bytes())
    meta = json.loads((generation / "meta.json").read_text())
    lexical = json.loads((generation / "lexical.json").read_text())
    dimension = meta["dimension"]
    with driver.session() as session:
        for statement in schema_statements():
            session.run(statement, dimension=dimension).consume()
        session.run(cypher("await_indexes"), timeout_s=300).consume()

        def node_row(n: dict) -> dict:
            props = {k: v for k, v in n.items() if k not in ("label", "sources")}
            props.update(gen=gen, sources=_source_strings(n["sources"]))
            if n["id"] in lexical:
                props["search_tokens"] = " ".join(lexical[n["id"]])
            return {"uid": f"{gen}/{n['id']}", "label": n["label"], "props": _flatten(props)}

        def relation_row(r: dict) -> dict:
            return {
                "start": f"{gen}/{r['start']}",
                "end": f"{gen}/{r['end']}",
                "type": r["type"],
                "props": _flatten({**r["props"], "sources": _source_strings(r["sources"])}),
            }

        # rows are made batch by batch: a ×100 graph does not fit in memory twice
        _batched(session, cypher("load_nodes"), data["nodes"], "nodes", log, row=node_row)
        _batched(session, cypher("load_relations"), data["relations"], "relationships", log, row=relation_row)

        keys = json.loads((generation / "vector_keys.json").read_text())
        vectors = np.load(generation / "vectors.npy")
        by_property: dict[str, list[tuple[str, np.ndarray]]] = defaultdict(list)
        for key, vec in zip(keys, vectors, strict=False):
            nid, _, suffix = key.partition("#")
            by_property[VECTOR_PROPERTY["#" + suffix if suffix else ""]].append((f"{gen}/{nid}", vec))
        profile_keys = json.loads((generation / "profile_keys.json").read_text())
        profiles = np.load(generation / "profiles.npy")
        by_property["profile_embedding"] = [(f"{gen}/{k}", v) for k, v in zip(profile_keys, profiles, strict=False)]
        title_keys = json.loads((generation / "title_keys.json").read_text())
        by_property["embedding"] += zip(
            (f"{gen}/{k}" for k in title_keys), np.load(generation / "title_vectors.npy"), strict=False
        )
        for prop, rows in by_property.items():
            _batched(
                session,
                cypher("load_vectors"),
                rows,
                f"vectors {prop}",
                log,
                row=lambda r: {"uid": r[0], "vector": r[1].tolist()},
                property=prop,
            )
        session.run(cypher("await_indexes"), timeout_s=600).consume()

        counts = _counts(session, gen)
        expected_nodes = len(data["nodes"])
        if counts["nodes"] != expected_nodes or counts["relationships"] != len(data["relations"]):
            raise BuildError(
                f"generation {gen} loaded incompletely: {counts}, expected {expected_nodes} nodes "
                f"and {len(data['relations'])} relationships; the previous generation stays current"
            )
        session.run(
            cypher("switch_generation"),
            slot=slot,
            gen=gen,
            model=meta["model"],
            dimension=dimension,
            stats_json=json.dumps(meta["stats"], ensure_ascii=False),
        ).consume()
        session.run(cypher("delete_other_generations")).consume()
    log(
        f"neo4j: generation {gen} loaded and current ({counts['nodes']} nodes, {counts['relationships']} relationships)"
    )
    return counts


def ensure_loaded(driver, generation: Path, log: Callable[[str], None] = print, slot: str = "current") -> bool:
    """Load `generation` unless `slot` already points at it; True when it loaded."""
    records, _, _ = driver.execute_query(cypher("current_generation"), slot=slot)
    if records and records[0]["gen"] == generation.name:
        return False
    load_generation(driver, generation, log, slot)
    return True


def _batched(session, statement: str, items: list, what: str, log, row: Callable[[Any], dict], **params) -> None:
    for start in tqdm(range(0, len(items), BATCH), desc=f"neo4j {what}", unit="batch", leave=False):
        rows = [row(item) for item in items[start : start + BATCH]]
        session.execute_write(lambda tx, rows=rows: tx.run(statement, rows=rows, **params).consume())


def _counts(session, gen: str) -> dict[str, int]:
    record = session.run(cypher("generation_node_count"), gen=gen).single()
    rels = session.run(cypher("generation_relationship_count"), gen=gen).single()
    return {"nodes": record["n"], "relationships": rels["n"]}
