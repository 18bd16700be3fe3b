"""Cold and warm encoding of every text the graph embeds, through the project encoder and a fresh
embedding cache (the cost that dominates a cold build; a warm rebuild reads the cache).

    python -m bench.encode_graph [--state-dir var]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path


def main() -> None:
    from embeddings.encoder import Encoder, load_encoder
    from graph.generations import current_generation
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/reports/encode_graph"))
    args = ap.parse_args()
    settings = Settings(**({"state_dir": args.state_dir} if args.state_dir else {}))
    generation = current_generation(settings.state_dir)
    dataset = json.loads((generation / "dataset.json").read_text())
    keys = json.loads((generation / "vector_keys.json").read_text())
    nodes = {n["id"]: n for n in dataset["nodes"]}
    texts = []
    for key in keys:  # the same texts the build embedded (graph.derive.embedding_texts)
        nid, _, lang = key.partition("#")
        n = nodes[nid]
        if n["label"] == "Occupation":
            texts.append(f"{n['name_zh']}：{n['definition']}" if lang == "zh" and n.get("definition") else
                         n["name_zh"] if lang == "zh" else f"{n['name_en']}: {n['definition_en']}")
        elif n["label"] == "TitleDirection":
            texts.append(f"{n['name']}：{'、'.join(n['work_areas'])}")
        else:
            texts.append(n.get("text") or n["name_zh"])
    base = load_encoder(settings)
    with tempfile.TemporaryDirectory() as cache:
        encoder = Encoder(base.model, base.model_id, prompts=base.prompts, fingerprint=base.fingerprint,
                          cache_dir=Path(cache), batch_size=settings.encode_batch_size)
        t = time.perf_counter()
        encoder.encode_passages(texts, progress=True)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        encoder.encode_passages(texts)
        warm = time.perf_counter() - t
    result = {"texts": len(texts), "cold_s": round(cold, 1), "warm_s": round(warm, 2),
              "texts_per_s_cold": round(len(texts) / cold, 1), "generation": generation.name}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
