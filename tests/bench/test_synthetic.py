"""The scale generator: copies keep the real degree distributions, stay connected, are marked as
synthetic, and make a generation both stores open."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import orjson

from bench.synthetic import CLONED, synthesize
from graph.build.generations import current_generation


def test_a_x3_generation_has_two_marked_copies_of_every_occupation_task_and_skill(fixture_build, tmp_path, encoder):
    from graph.embedded.store import EmbeddedStore

    real = fixture_build[1].generation
    gen = synthesize(real, 3, tmp_path, log=lambda m: None)
    assert current_generation(tmp_path) == gen  # checksums verify
    before, after = (orjson.loads((g / "dataset.json").read_bytes()) for g in (real, gen))
    labels_before = Counter(n["label"] for n in before["nodes"])
    labels_after = Counter(n["label"] for n in after["nodes"])
    for label, n in labels_before.items():
        assert labels_after[label] == (3 * n if label in CLONED else n), label
    ids = [n["id"] for n in after["nodes"]]
    assert len(ids) == len(set(ids))
    links = [(r["start"], r["end"], r["type"]) for r in after["relations"]]
    assert len(links) == len(set(links))  # Neo4j's MERGE would fold duplicates
    assert all(r["end"] in set(ids) and r["start"] in set(ids) for r in after["relations"])
    copies = [n for n in after["nodes"] if n["id"].endswith("~2")]
    assert copies and all(n["sources"][0]["file"].startswith("synthetic ×3") for n in copies)
    assert all(n["name_zh"].endswith("~2") for n in copies if n["label"] == "Occupation")
    # a share of similar-occupation links crosses copies, so the graph is one whole
    assert any(
        r["type"] == "SIMILAR_TO" and r["start"].split("~")[1:] != r["end"].split("~")[1:] for r in after["relations"]
    )

    keys = json.loads((gen / "vector_keys.json").read_text())
    vectors = np.load(gen / "vectors.npy")
    assert len(keys) == len(vectors) == len(set(keys))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    real_keys = json.loads((real / "vector_keys.json").read_text())
    real_vectors = np.load(real / "vectors.npy")
    j = next(j for j, k in enumerate(real_keys) if k.startswith("task:"))
    nid, _, suffix = real_keys[j].partition("#")
    i = keys.index(f"{nid}~1" + (f"#{suffix}" if suffix else ""))
    assert 0.85 < float(vectors[i] @ real_vectors[j]) < 0.999  # perturbed, not copied

    store = EmbeddedStore(gen, lambda: encoder)
    occ = next(n for n in before["nodes"] if n["label"] == "Occupation" and n.get("code"))
    original, copy = store.profile(occ["name_zh"]), store.profile(occ["name_zh"] + "~2")
    assert len(copy.tasks) == len(original.tasks) and copy.sources[0].startswith("synthetic ×3")
    assert store.search(occ["name_zh"], ["Occupation"], 5).results[0].name == occ["name_zh"]
