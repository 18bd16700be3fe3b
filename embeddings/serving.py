"""The encoder a server answers with: the project's Encoder behind an in-memory LRU of query vectors and
the dynamic batcher (embeddings/batching.py).

Why: a server sees the same queries again (popular searches, the page asking again as a user pages
through results) and many at once; a repeated query costs a dictionary look-up instead of a model
call, and concurrent ones share a call. Passages and titles pass straight through: a server encodes
them only when a document is added, in bulk, and the Encoder caches them on disk already.

Thread-safe: the API runs its sync endpoints on a thread pool, so many threads encode at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from cachetools import LRUCache

from embeddings.batching import QueryBatcher
from embeddings.encoder import QUERY_BATCH, Encoder, EncoderStats

#: requests of up to this many texts to encode join a batch (searches, a title, a few skills): as many as the
#: model runs in one pass (QUERY_BATCH), so that a batch of single queries is what it is made for
BATCHED_TEXTS = QUERY_BATCH


@dataclass
class QueryCacheStats:
    hits: int = 0
    misses: int = 0


class ServingEncoder:
    """``encoder`` with its queries cached (up to ``cache_size`` of them, least recently used out first;
    0: none) and batched across threads (callers within ``batch_window_s`` of each other share one call;
    0: each call encodes alone, side by side as before)."""

    def __init__(self, encoder: Encoder, *, cache_size: int, batch_window_s: float) -> None:
        self.encoder = encoder
        self._cache: LRUCache[str, np.ndarray] | None = LRUCache(maxsize=cache_size) if cache_size > 0 else None
        self._cache_lock = threading.Lock()  # LRUCache is not thread-safe: even a get reorders it
        self.cache_stats = QueryCacheStats()
        self.batcher = QueryBatcher(encoder.encode_queries, batch_window_s) if batch_window_s > 0 else None

    # the TextEncoder protocol (graph/encoding.py): who the encoder is, as the wrapped one says
    @property
    def model_id(self) -> str:
        return self.encoder.model_id

    @property
    def fingerprint(self) -> str:
        return self.encoder.fingerprint

    @property
    def dimension(self) -> int:
        return self.encoder.dimension

    @property
    def stats(self) -> EncoderStats:
        return self.encoder.stats

    @property
    def model(self):
        """The loaded model (loading it if need be), as Encoder.model: the CLI warms it before timing."""
        return self.encoder.model

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """As Encoder.encode_queries: the same vectors, from the cache or a shared model call."""
        found: dict[str, np.ndarray] = {}
        if self._cache is not None:
            with self._cache_lock:
                for t in texts:
                    vector = self._cache.get(t)
                    if vector is not None:
                        found[t] = vector
                self.cache_stats.hits += sum(t in found for t in texts)
                self.cache_stats.misses += sum(t not in found for t in texts)
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            # a request of many texts (a curriculum's courses, a job ad's sentences) encodes on its own, side by
            # side with the batches: in one it would hold up every search that joined it
            batcher = self.batcher if len(missing) <= BATCHED_TEXTS else None
            fresh = batcher.encode(missing) if batcher is not None else self.encoder.encode_queries(missing)
            for t, vector in zip(missing, fresh, strict=True):
                vector = vector.copy()  # its own memory: a cached row keeps no caller's whole batch alive
                vector.setflags(write=False)  # shared by later callers: nobody writes to it
                found[t] = vector
            if self._cache is not None:
                with self._cache_lock:
                    for t in missing:
                        self._cache[t] = found[t]
        out = np.empty((len(texts), self.dimension), np.float32)
        for i, t in enumerate(texts):
            out[i] = found[t]  # copied into a fresh array: callers may write to what they get
        return out

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.encoder.encode_passages(texts, progress)

    def encode_titles(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.encoder.encode_titles(texts, progress)

    def __repr__(self) -> str:
        return f"ServingEncoder({self.encoder!r}, cache={self._cache is not None}, batching={self.batcher is not None})"
