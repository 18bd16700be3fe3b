"""What the graph needs of a text encoder, and nothing more.

The graph embeds its texts when it builds and the user's words when it answers, but it does not
choose or load a model: whoever opens a store or runs a build hands it an encoder (the app and
the CLI hand it embeddings.Encoder; the fast test tier a small deterministic one). So `graph`
never imports `embeddings`, and dependencies run one way (api → graph, api → embeddings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np


class EncoderCounts(Protocol):
    """How many passages went through the model (cache misses), read by a build for its report."""

    encoded_passages: int


@runtime_checkable
class TextEncoder(Protocol):
    """L2-normalised float32 vectors: queries (a user's words), passages (the graph's texts) and
    titles (job titles, embedded as queries are, so that a title and a query meet)."""

    @property
    def model_id(self) -> str: ...

    @property
    def fingerprint(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    @property
    def stats(self) -> EncoderCounts: ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray: ...

    def encode_titles(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


#: a store loads its encoder on first use (the model takes seconds to load; many commands never encode)
EncoderFactory = Callable[[], TextEncoder]
