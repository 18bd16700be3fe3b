"""Dynamic batching of query encodings: callers on many threads that need a query encoded at about the
same time share one model call.

Why: under load every request encoded its query alone, and the encoder is the floor of every search
(issue 18). One model call on eight short queries costs far less than eight calls on one (the fixed
cost of a call: tokenising, the session's set-up, Python around it), and the ONNX runtime gives each
query the same vector in a padded batch as alone (the attention mask keeps padding out; measured
bit-identical, tests/embeddings/test_batching.py checks within 1e-6).

How: no thread of its own. The first caller to find no batch gathering leads one: it waits the
window for others to join, then takes the model (one call at a time), takes every request that joined
meanwhile, encodes their texts in one call and hands each caller its rows. While one batch is in the
model the next gathers, so under load a batch holds whatever arrived during the previous call, and a
lone request waits only the window (a few milliseconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np


@dataclass
class BatchStats:
    """What went through the model: calls, the texts in them and the requests they answered."""

    calls: int = 0
    texts: int = 0
    requests: int = 0


class QueryBatcher:
    """``encode(texts)`` as ``model_encode(texts)`` would answer it, in one call with other threads' texts."""

    def __init__(self, model_encode: Callable[[list[str]], np.ndarray], window_s: float) -> None:
        self._model_encode = model_encode
        self._window_s = window_s
        self._pending: list[tuple[list[str], Future[np.ndarray]]] = []
        self._pending_lock = threading.Lock()  # guards _pending
        self._model_lock = threading.Lock()  # one batch in the model at a time; the next gathers meanwhile
        self.stats = BatchStats()

    def encode(self, texts: list[str]) -> np.ndarray:
        """The rows of ``texts``, in order; raises what the model call raised."""
        future: Future[np.ndarray] = Future()
        with self._pending_lock:
            self._pending.append((list(texts), future))
            leads = len(self._pending) == 1  # the first of a batch leads it; the others wait for its answer
        if leads:
            self._lead()
        return future.result()

    def _lead(self) -> None:
        if self._window_s > 0:
            time.sleep(self._window_s)  # let the requests of the same few milliseconds join
        with self._model_lock:
            with self._pending_lock:  # taken only now: whatever arrived while the model was busy joins too
                batch, self._pending = self._pending, []
            unique = list(dict.fromkeys(t for texts, _ in batch for t in texts))  # two callers, one text: once
            try:
                vectors = self._model_encode(unique)
            except BaseException as exc:  # every caller of the batch gets the failure, not only the leader
                for _, future in batch:
                    future.set_exception(exc)
                return
            self.stats.calls += 1
            self.stats.texts += len(unique)
            self.stats.requests += len(batch)
        row = {t: i for i, t in enumerate(unique)}
        for texts, future in batch:
            future.set_result(vectors[[row[t] for t in texts]])  # a copy: no caller shares rows with another
