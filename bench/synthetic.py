"""A synthetic generation ×N: the real graph plus N−1 perturbed copies of its occupations, tasks,
skills and work types, for measuring how queries grow with graph size.

Each copy keeps the real degree distributions (an occupation's copy has as many tasks, skills and
similar occupations as the original), and a share of the SIMILAR_TO and USES_SKILL links of each
copy is rewired to another copy so the graph stays one connected whole rather than N islands.
Shared nodes (categories, skill levels, batches, title directions) gain the copies' links, as
they would if the classification grew. Vectors are the real ones plus Gaussian noise, renormalised,
so nothing is encoded; lexical documents are copied. Every synthetic node and link records what
it was copied from, and the names carry a ``~k`` suffix, so nothing synthetic passes for real.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import orjson

from graph.build.generations import CHECKSUMS, file_sha256

CLONED = {"Occupation", "Task", "Skill", "WorkType"}
REWIRED = {"SIMILAR_TO", "USES_SKILL"}
NAME_FIELDS = ("name_zh", "name_en", "name", "code")


def _clone_node(n: dict, c: int, factor: int) -> dict:
    out = {**n, "id": f"{n['id']}~{c}", "sources": [{"file": f"synthetic ×{factor}, copy {c} of {n['id']}"}]}
    for field in NAME_FIELDS:
        if out.get(field):
            out[field] = f"{out[field]}~{c}"
    for field in ("aliases", "former_codes"):
        if field in out:
            out[field] = []
    return out


def _perturb(matrix: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    """Unit vectors moved by Gaussian noise of norm ≈ `noise` (cosine to the original ≈ 1/√(1+noise²))."""
    moved = matrix + rng.standard_normal(matrix.shape, dtype=np.float32) * np.float32(noise / np.sqrt(matrix.shape[1]))
    moved /= np.linalg.norm(moved, axis=1, keepdims=True)
    return moved


def synthesize(
    generation: Path, factor: int, out_dir: Path, seed: int = 0, noise: float = 0.35, rewire: float = 0.1, log=print
) -> Path:
    """Write the ×`factor` generation of `generation` into `out_dir`/generations/<id>, point
    `out_dir`/current at it and return its path. Factor 1 is the real generation, copied."""
    if factor < 1:
        raise ValueError("factor must be ≥ 1")
    rng = np.random.default_rng(seed)
    data = orjson.loads((generation / "dataset.json").read_bytes())
    meta = json.loads((generation / "meta.json").read_text())
    cloned = {n["id"] for n in data["nodes"] if n["label"] in CLONED}
    labels = Counter(n["label"] for n in data["nodes"])
    types: Counter = Counter()
    rewired: set[tuple[str, str, str]] = set()  # MERGE would fold a rewired duplicate into one link

    tmp = Path(tempfile.mkdtemp(prefix=f".x{factor}-", dir=out_dir))
    try:
        with (tmp / "dataset.json").open("wb") as fh:
            fh.write(b'{"nodes":[')
            first = True
            for c in range(factor):
                for n in data["nodes"]:
                    if c == 0 or n["id"] in cloned:
                        fh.write((b"" if first else b",") + orjson.dumps(n if c == 0 else _clone_node(n, c, factor)))
                        first = False
                        labels[n["label"]] += c > 0
            fh.write(b'],"relations":[')
            first = True
            for c in range(factor):
                for r in data["relations"]:
                    if c > 0 and r["start"] not in cloned:
                        continue  # shared nodes' own links (category tree, title ladder) exist once
                    start = r["start"] if c == 0 else f"{r['start']}~{c}"
                    target = c
                    if factor > 1 and r["type"] in REWIRED and rng.random() < rewire:
                        target = int(rng.integers(factor))
                    end = r["end"] if r["end"] not in cloned or target == 0 else f"{r['end']}~{target}"
                    if r["type"] in REWIRED:
                        if (start, end, r["type"]) in rewired:
                            continue
                        rewired.add((start, end, r["type"]))
                    rel = (
                        r
                        if (start, end) == (r["start"], r["end"])
                        else {
                            **r,
                            "start": start,
                            "end": end,
                            "sources": [
                                {"file": f"synthetic ×{factor}, copy {c} of {r['start']} -{r['type']}-> {r['end']}"}
                            ],
                        }
                    )
                    fh.write((b"" if first else b",") + orjson.dumps(rel))
                    first = False
                    types[r["type"]] += 1
            fh.write(
                b'],"unresolved":'
                + orjson.dumps(data["unresolved"])
                + b',"inputs":'
                + orjson.dumps(data["inputs"])
                + b"}"
            )
        del data

        keys = json.loads((generation / "vector_keys.json").read_text())
        vectors = np.load(generation / "vectors.npy")
        rows = [i for i, k in enumerate(keys) if k.split("#", 1)[0] in cloned]
        all_keys, blocks = list(keys), [vectors]
        for c in range(1, factor):
            all_keys += [
                f"{keys[i].split('#', 1)[0]}~{c}" + (f"#{keys[i].split('#', 1)[1]}" if "#" in keys[i] else "")
                for i in rows
            ]
            blocks.append(_perturb(vectors[rows], rng, noise))
        np.save(tmp / "vectors.npy", np.concatenate(blocks).astype(np.float32))
        (tmp / "vector_keys.json").write_bytes(orjson.dumps(all_keys))
        del blocks

        profile_keys = json.loads((generation / "profile_keys.json").read_text())
        profiles = np.load(generation / "profiles.npy")
        all_profile_keys = list(profile_keys) + [f"{k}~{c}" for c in range(1, factor) for k in profile_keys]
        np.save(
            tmp / "profiles.npy",
            np.concatenate([profiles] + [_perturb(profiles, rng, noise) for _ in range(1, factor)]),
        )
        (tmp / "profile_keys.json").write_bytes(orjson.dumps(all_profile_keys))

        # titles are not cloned: they name the real occupations, and the title index stays one size
        for name in ("title_keys.json", "title_vectors.npy"):
            (tmp / name).write_bytes((generation / name).read_bytes())

        lexical = json.loads((generation / "lexical.json").read_text())
        lexical.update({f"{k}~{c}": v for c in range(1, factor) for k, v in list(lexical.items()) if k in cloned})
        (tmp / "lexical.json").write_bytes(orjson.dumps(lexical))

        meta.update(
            stats={"nodes": dict(sorted(labels.items())), "relationships": dict(sorted(types.items()))},
            synthetic={"factor": factor, "from": generation.name, "seed": seed, "noise": noise, "rewire": rewire},
        )
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True))

        sums = {p.name: file_sha256(p) for p in sorted(tmp.iterdir())}
        (tmp / CHECKSUMS).write_text(json.dumps(sums, indent=1, sort_keys=True))
        gen_id = f"x{factor}-" + hashlib.sha256(json.dumps(sums, sort_keys=True).encode()).hexdigest()[:12]
        final = out_dir / "generations" / gen_id
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link = out_dir / "current"
    link.unlink(missing_ok=True)
    link.symlink_to(Path("generations") / gen_id)
    log(
        f"×{factor}: {sum(labels.values()):,} nodes, {sum(types.values()):,} relationships, "
        f"{len(all_keys):,} vectors → {final}"
    )
    return final
