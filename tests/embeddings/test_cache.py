"""Embedding cache: reuse, re-encoding of changed texts, and detection of damaged files and rows."""

from __future__ import annotations

import sqlite3
import warnings

import numpy as np
import pytest

from embeddings.cache import DB_NAME, CacheCorruptionWarning, EmbeddingCache, _checksum, cache_key

DIM = 8


def _vec(seed: float) -> np.ndarray:
    return np.linspace(seed, seed + 1, DIM, dtype=np.float32)


def _no_warnings():
    return warnings.catch_warnings(record=False, action="error", category=CacheCorruptionWarning)


# ------------------------------------------------------------- cache alone


def test_keys_separate_prompt_and_text():
    assert cache_key("passage: ", "a") != cache_key("query: ", "a")
    assert cache_key("ab", "c") != cache_key("a", "bc")
    assert cache_key("p", "信息安全") == cache_key("p", "信息安全")


def test_roundtrip_and_persistence(tmp_path):
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        assert cache.path == tmp_path / "fp" / DB_NAME
        assert cache.put_many({"a": _vec(1), "b": _vec(2)}) == 2
    with _no_warnings(), EmbeddingCache(tmp_path, "fp", DIM) as cache:
        got = cache.get_many(["a", "b", "missing"])
        assert set(got) == {"a", "b"} and len(cache) == 2
        np.testing.assert_array_equal(got["b"], _vec(2))


def test_put_rejects_wrong_length(tmp_path):
    with EmbeddingCache(tmp_path, "fp", DIM) as cache, pytest.raises(ValueError):
        cache.put_many({"a": np.zeros(DIM + 1, np.float32)})


def test_unreadable_database_is_moved_aside_and_rebuilt(tmp_path):
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        cache.put_many({"a": _vec(1)})
        path = cache.path
    with open(path, "r+b") as fh:  # clobber the SQLite header
        fh.write(b"\x00garbage" * 16)
    with pytest.warns(CacheCorruptionWarning, match=str(path)):
        cache = EmbeddingCache(tmp_path, "fp", DIM)
    with cache:
        assert cache.get_many(["a"]) == {} and len(cache) == 0
        cache.put_many({"a": _vec(1)})
        assert set(cache.get_many(["a"])) == {"a"}
    assert list(path.parent.glob(f"{DB_NAME}.corrupt-*")), "damaged file kept aside for inspection"


def test_flipped_vector_bytes_fail_the_checksum(tmp_path):
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        cache.put_many({"a": _vec(1), "b": _vec(5)})
        path = cache.path
    data = bytearray(path.read_bytes())  # closing checkpointed the WAL into the main file
    at = data.find(_vec(5).tobytes())
    assert at > 0
    data[at + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        with pytest.warns(CacheCorruptionWarning, match=str(path)):
            got = cache.get_many(["a", "b"])
        assert set(got) == {"a"}  # the damaged row is not returned ...
        assert len(cache) == 1  # ... and is dropped so it gets re-encoded


def test_wrong_dimension_rows_are_detected(tmp_path):
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        cache.put_many({"a": _vec(1)})
        path = cache.path
    short = np.zeros(DIM - 2, np.float32).tobytes()  # a valid checksum, but the wrong length
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO vectors VALUES (?, ?, ?)", ("short", short, _checksum("short", short)))
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        with pytest.warns(CacheCorruptionWarning, match="length"):
            assert set(cache.get_many(["a", "short"])) == {"a"}


def test_dimension_mismatch_rebuilds(tmp_path):
    with EmbeddingCache(tmp_path, "fp", DIM) as cache:
        cache.put_many({"a": _vec(1)})
    with pytest.warns(CacheCorruptionWarning, match="dimension"):
        cache = EmbeddingCache(tmp_path, "fp", DIM * 2)
    with cache:
        assert cache.get_many(["a"]) == {}


# ---------------------------------------------------------- through the encoder


def test_second_call_encodes_nothing(fresh_encoder, fidelity_texts):
    texts = fidelity_texts[:10]
    first = fresh_encoder.encode_passages(texts + texts[:2])  # duplicates are encoded once
    assert fresh_encoder.stats.encoded_passages == 10
    second = fresh_encoder.encode_passages(texts)
    assert fresh_encoder.stats.encoded_passages == 10
    assert fresh_encoder.stats.cache_hits == 10
    np.testing.assert_array_equal(first[:10], second)


def test_cache_survives_a_new_encoder(fresh_encoder, fidelity_texts):
    from embeddings.encoder import Encoder

    fresh_encoder.encode_passages(fidelity_texts[:4])
    again = Encoder(
        fresh_encoder.model,
        fresh_encoder.model_id,
        prompts=fresh_encoder.prompts,
        fingerprint=fresh_encoder.fingerprint,
        cache_dir=fresh_encoder.cache.path.parent.parent,
    )
    again.encode_passages(fidelity_texts[:4])
    assert again.stats.encoded_passages == 0


def test_changed_text_is_re_encoded(fresh_encoder, fidelity_texts):
    texts = fidelity_texts[:6]
    before = fresh_encoder.encode_passages(texts)
    changed = texts[:5] + [texts[5] + "（修订）"]
    after = fresh_encoder.encode_passages(changed)
    assert fresh_encoder.stats.encoded_passages == 6 + 1
    np.testing.assert_array_equal(before[:5], after[:5])
    assert not np.allclose(before[5], after[5])


def test_corrupted_cache_is_rebuilt_through_encoder(fresh_encoder, fidelity_texts):
    from embeddings.encoder import Encoder

    texts = fidelity_texts[:3]
    expected = fresh_encoder.encode_passages(texts)
    path = fresh_encoder.cache.path
    fresh_encoder.cache.close()
    with open(path, "r+b") as fh:
        fh.seek(0)
        fh.write(b"not a database at all" * 8)
    fresh = Encoder(
        fresh_encoder.model,
        fresh_encoder.model_id,
        prompts=fresh_encoder.prompts,
        fingerprint=fresh_encoder.fingerprint,
        cache_dir=path.parent.parent,
    )
    with pytest.warns(CacheCorruptionWarning, match=str(path)):
        got = fresh.encode_passages(texts)
    assert fresh.stats.encoded_passages == 3
    np.testing.assert_allclose(got, expected, atol=1e-5)
