"""`zhiye build`: sources → dataset → vectors → derived relations → a new generation."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph.build.dataset import Dataset
from graph.build.derive import (
    add_vocabulary,
    centred,
    embedding_texts,
    link_skills,
    occupation_profiles,
    relate_directions,
    relate_similar,
)
from graph.build.generations import write_generation
from graph.build.skills import reviewed_vocabulary
from graph.encoding import TextEncoder
from graph.ingest.load import load_dataset
from graph.model import Title
from graph.query.confidence import model_for
from graph.query.lexical import tokenize
from graph.settings import Settings

BUILD_VERSION = "1"


@dataclass
class BuildResult:
    generation: Path
    dataset: Dataset
    timings: dict[str, float]
    encoded: int  # texts the encoder actually ran on (cache misses)
    transcriptions: dict | None = None  # the two classification transcriptions compared, when both were read


def build(settings: Settings, classification_csv: Path | None, *, encoder: TextEncoder, log=print) -> BuildResult:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    comparison: list = []
    builder, inputs = load_dataset(
        settings.sources_dir, settings.curated_dir, classification_csv, settings.bundled_classification, comparison
    )
    if comparison:
        log(comparison[0].summary())
    add_vocabulary(builder, reviewed_vocabulary(settings.curated_dir / "skills.csv"))
    timings["parse_resolve_s"] = time.perf_counter() - t0
    log(f"parsed and resolved: {len(builder.nodes)} nodes, {len(builder.relations)} relations")

    texts = embedding_texts(builder)
    keys = list(texts)
    t1 = time.perf_counter()
    misses_before = encoder.stats.encoded_passages
    matrix = encoder.encode_passages([texts[k] for k in keys], progress=True).astype(np.float32)
    title_nodes = sorted((n for n in builder.nodes.values() if isinstance(n, Title)), key=lambda n: n.id)
    title_ids = [n.id for n in title_nodes]
    titles = encoder.encode_titles([n.text for n in title_nodes], progress=True).astype(np.float32)
    encoded = encoder.stats.encoded_passages - misses_before
    timings["encode_s"] = time.perf_counter() - t1
    vectors = dict(zip(keys, matrix, strict=False))

    t2 = time.perf_counter()
    centred_vectors = centred(vectors)
    link_skills(builder, centred_vectors, model_for("task_skill", encoder.model_id))
    relate_directions(builder, centred_vectors, model_for("occupation_direction", encoder.model_id))
    profile_ids, profiles = occupation_profiles(builder, vectors)
    relate_similar(builder, profile_ids, profiles, encoder=encoder.model_id)
    dataset = builder.build(inputs)
    timings["derive_s"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    lexical = lexical_documents(dataset)
    meta = {
        "build_version": BUILD_VERSION,
        "model": encoder.model_id,
        "model_fingerprint": encoder.fingerprint,
        "dimension": int(encoder.dimension),
        "stats": dataset.stats(),
        "unresolved": len(dataset.unresolved),
        "inputs": dataset.inputs,
    }
    files = {
        "dataset.json": dataset.to_json(),
        "vectors.npy": _npy(matrix),
        "vector_keys.json": json.dumps(keys, ensure_ascii=False).encode(),
        "profiles.npy": _npy(profiles),
        "profile_keys.json": json.dumps(profile_ids, ensure_ascii=False).encode(),
        "title_vectors.npy": _npy(titles.reshape(len(title_ids), int(encoder.dimension))),
        "title_keys.json": json.dumps(title_ids, ensure_ascii=False).encode(),
        "lexical.json": json.dumps(dict(sorted(lexical.items())), ensure_ascii=False).encode(),
        "meta.json": json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True).encode(),
    }
    report = comparison[0].report() if comparison else None
    if report is not None:
        files["transcriptions.json"] = json.dumps(report, ensure_ascii=False, indent=1).encode()
    generation = write_generation(settings.state_dir, files)
    timings["write_s"] = time.perf_counter() - t3
    timings["total_s"] = time.perf_counter() - t0
    return BuildResult(generation, dataset, timings, encoded, report)


def lexical_documents(dataset: Dataset) -> dict[str, list[str]]:
    """One bag of search tokens per searchable node (both backends index exactly these).

    An occupation's document holds its names, codes, definitions, tasks and work types, so a
    word from any of its tasks finds it (lexical propagation from tasks to occupations)."""
    texts: dict[str, list[str | None]] = {}  # None: a name or definition the node lacks
    for node in dataset.nodes:
        if node.label == "Occupation":
            texts[node.id] = [
                node.name_zh,
                node.name_en,
                *node.aliases,
                node.code,
                *node.former_codes,
                node.definition,
                node.definition_en,
            ]
        elif node.label == "Task":
            texts[node.id] = [node.text]
        elif node.label == "Skill":
            texts[node.id] = [node.name_zh, node.name_en, *node.merged]
        elif node.label == "WorkType":
            texts[node.id] = [node.name_zh, node.name_en]
        elif node.label == "TitleDirection":
            texts[node.id] = [node.name, *node.work_areas]
    tokens = {k: tokenize(" ".join(filter(None, v))) for k, v in texts.items()}
    # an occupation's document also holds its tasks' and work types' tokens (each text tokenised once)
    for r in dataset.relations:
        if r.type == "HAS_TASK":
            tokens[r.start] = tokens[r.start] + tokens[r.end]
        elif r.type == "WORK_TYPE_OF":
            tokens[r.end] = tokens[r.end] + tokens[r.start]
    return dict(sorted(tokens.items()))


def _npy(matrix: np.ndarray) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(matrix, dtype=np.float32), allow_pickle=False)
    return buf.getvalue()
