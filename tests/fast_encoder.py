"""A small deterministic encoder for the fast test tier (`make test-fast`, ZHIYE_TEST_TIER=fast).

It conforms to graph.encoding.TextEncoder without torch or weights: a text becomes hashed features
(character 1-, 2- and 3-grams of its Chinese runs; word tokens and the 3-grams of each padded word
elsewhere) summed into a fixed number of signed buckets and L2-normalised. Texts that share
characters or words are near, others are not: enough for the graph's plumbing (a build, both
indexes, fusion, the API), never a stand-in for the model's semantics (paraphrases, English to
Chinese, calibrated confidences, which graph.query.confidence fits per model id and so has none for this
one). Tests that assert those are marked `model` and left to the whole suite (tests/tiers.py).

Deterministic (no salted hash(), no randomness) and normalised:

>>> from graph.encoding import TextEncoder
>>> enc = FastEncoder()
>>> isinstance(enc, TextEncoder)
True
>>> a = enc.encode_queries(["信息安全测试员", "penetration testing"])
>>> b = enc.encode_passages(["信息安全测试员", "penetration testing"])
>>> a.shape, a.dtype.name, bool((a == b).all())
((2, 384), 'float32', True)
>>> [round(float(n), 6) for n in np.linalg.norm(a, axis=1)]
[1.0, 1.0]
>>> bool((FastEncoder().encode_titles(["信息安全测试员"])[0] == a[0]).all())
True
>>> near, far = enc.encode_queries(["信息安全测试", "区块链工程"]) @ a[0]
>>> bool(near > 0.8 > 0.2 > far)
True
>>> float(np.linalg.norm(enc.encode_queries(["?!…"])[0]))  # nothing to hash: still a unit vector
1.0
>>> enc.stats.encoded_queries, enc.stats.encoded_passages
(5, 2)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MODEL_ID = "zhiye-test-hashing-v1"  # a new hashing scheme (_bucket) is a new version
DIMENSION = 384
# CJK ideographs (unified, extension A, compatibility, extensions B–F) and kana/hangul: scripts
# written without spaces, so their n-grams stand in for words
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef]+")
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any other script
# a Chinese bigram or trigram says more than one character (信 occurs everywhere)
_CJK_WEIGHTS = {1: 0.5, 2: 1.0, 3: 1.0}
_WORD_WEIGHT, _WORD_GRAM_WEIGHT = 1.0, 0.5
_RECIPE = (MODEL_ID, DIMENSION, _CJK_RUN.pattern, _WORD.pattern, _CJK_WEIGHTS, _WORD_WEIGHT, _WORD_GRAM_WEIGHT)
FINGERPRINT = hashlib.sha256(repr(_RECIPE).encode()).hexdigest()[:16]  # changes with anything that changes a vector


def features(text: str) -> Counter[str]:
    """The weighted features of a text (NFKC-folded, lower-cased).

    >>> sorted(features("AI训练"))
    ['c:练', 'c:训', 'c:训练', 'g:<ai', 'g:ai>', 'w:ai']
    """
    text = unicodedata.normalize("NFKC", text).lower()
    out: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        for n, weight in _CJK_WEIGHTS.items():
            for i in range(len(run) - n + 1):
                out["c:" + run[i : i + n]] += weight
    for word in _WORD.findall(_CJK_RUN.sub(" ", text)):
        out["w:" + word] += _WORD_WEIGHT
        padded = f"<{word}>"
        for i in range(len(padded) - 2):
            out["g:" + padded[i : i + 3]] += _WORD_GRAM_WEIGHT
    return out


@lru_cache(maxsize=1 << 16)
def _bucket(feature: str) -> tuple[int, float]:
    """A feature's bucket and sign, from an unsalted hash (the same in every process)."""
    h = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return h % DIMENSION, 1.0 if (h >> 63) & 1 else -1.0


_EMPTY = _bucket("")[0]  # where a text with no letter, digit or ideograph goes


@dataclass
class FastEncoderStats:
    """What was encoded (nothing is cached: every text counts)."""

    encoded_queries: int = 0
    encoded_passages: int = 0
    cache_hits: int = 0


class FastEncoder:
    """Hashed n-gram vectors, float32 and L2-normalised; queries, passages and titles alike."""

    model_id = MODEL_ID
    fingerprint = FINGERPRINT
    dimension = DIMENSION

    def __init__(self) -> None:
        self.stats = FastEncoderStats()

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), np.float32)
        for row, text in enumerate(texts):
            for feature, weight in features(text).items():
                bucket, sign = _bucket(feature)
                out[row, bucket] += sign * weight
            norm = float(np.linalg.norm(out[row]))
            if norm == 0.0:
                out[row, _EMPTY] = 1.0
            else:
                out[row] /= norm
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.stats.encoded_queries += len(texts)
        return self._encode(list(texts))

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.stats.encoded_passages += len(texts)
        return self._encode(list(texts))

    def encode_titles(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.stats.encoded_passages += len(texts)
        return self._encode(list(texts))

    def __repr__(self) -> str:
        return f"FastEncoder({self.model_id!r}, dimension={self.dimension}, fingerprint={self.fingerprint!r})"
