"""Build cost: the encoder alone on every text the graph embeds, then a cold build (empty
embedding cache) and a warm rebuild, as `zhiye build` processes, side by side in one run.

    python -m bench.build_cost

The builds run in a scratch state and cache directory (the model is shared), so the project's
own graph and cache are untouched. Peak memory is the build process's maximum RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.reporting import write_report

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "bench" / "reports"


def graph_texts(settings) -> list[str]:
    """The distinct texts a build embeds (graph.build.pipeline's own selection)."""
    from graph.build.derive import add_vocabulary, embedding_texts
    from graph.build.skills import reviewed_vocabulary
    from graph.ingest.load import load_dataset

    builder, _ = load_dataset(
        settings.sources_dir, settings.curated_dir, settings.external_csv(), settings.bundled_classification
    )
    add_vocabulary(builder, reviewed_vocabulary(settings.curated_dir / "skills.csv"))
    return list(dict.fromkeys(embedding_texts(builder).values()))


def _build_process(state: Path, cache: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `zhiye build` process."""
    env = {**os.environ, "ZHIYE_STATE_DIR": str(state), "ZHIYE_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    t = time.perf_counter()
    code = (
        "import resource, sys; from api.cli import main; sys.argv = ['zhiye', 'build']\n"
        "try:\n    main()\nfinally:\n    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    # (the child finds the CSV as this process does: data/external/ or ZHIYE_CLASSIFICATION_CSV)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"zhiye build failed:\n{r.stderr[-3000:]}")
    peak = next(int(line.split()[1]) for line in r.stderr.splitlines() if line.startswith("PEAK"))
    return wall, peak / 1024


def run() -> dict:
    from api.wiring import load_encoder
    from embeddings.encoder import Encoder
    from graph.settings import Settings

    settings = Settings()
    if settings.external_csv() is None:  # the bundled documents alone are 1,218 texts: not the graph users build
        raise SystemExit(
            "no classification CSV in data/external/ (set-up links it from ../shared/data) "
            "or ZHIYE_CLASSIFICATION_CSV: the build cost is measured on the full graph"
        )
    texts = graph_texts(settings)
    base = load_encoder(settings)
    plain = Encoder(
        base.model,
        base.model_id,
        prompts=base.prompts,
        fingerprint=base.fingerprint,
        cache_dir=None,
        batch_size=settings.encode_batch_size,
    )
    plain.encode_passages(texts[:64])  # warm the model, as a build's first batch would not be
    t = time.perf_counter()
    plain.encode_passages(texts, progress=True)
    encoder_only = time.perf_counter() - t
    with tempfile.TemporaryDirectory(prefix="zhiye-build-cost-") as tmp:
        cache = Path(tmp) / "cache"
        cache.mkdir()
        (cache / "models").symlink_to(settings.cache_dir / "models")
        cold, cold_peak = _build_process(Path(tmp) / "state", cache)
        warm, warm_peak = _build_process(Path(tmp) / "state", cache)
    return {
        "texts": len(texts),
        "encoder_only_s": round(encoder_only, 1),
        "cold_build_s": round(cold, 1),
        "warm_build_s": round(warm, 1),
        "cold_over_encoder": round(cold / encoder_only, 3),
        "cold_peak_rss_mb": round(cold_peak),
        "warm_peak_rss_mb": round(warm_peak),
    }


def report(r: dict) -> str:
    return (
        f"| texts | encoder alone s | cold build s | cold / encoder | warm rebuild s | peak RSS cold / warm MB |\n"
        f"|---:|---:|---:|---:|---:|---:|\n| {r['texts']:,} | {r['encoder_only_s']} | {r['cold_build_s']} | "
        f"{r['cold_over_encoder']} | {r['warm_build_s']} | {r['cold_peak_rss_mb']:,} / {r['warm_peak_rss_mb']:,} |\n"
    )


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPORTS / "build_cost")
    args = ap.parse_args(argv)
    result = run()
    write_report(args.out, result, "Build cost (cold and warm, against the encoder alone)", report(result))
    return result


if __name__ == "__main__":
    main()
