"""A warm rebuild must not pay for loading torch and the weights: the model loads on a cache miss."""

from pathlib import Path

import pytest

from api.wiring import load_encoder
from embeddings.encoder import Encoder
from graph.settings import Settings


@pytest.mark.model  # loads the real model
def test_cached_passages_do_not_load_the_model(tmp_path: Path):
    base = load_encoder(Settings())
    texts = ["信息安全测试员：从事网络信息安全渗透测试的人员。", "Operate drones to complete flight tasks."]
    loads = []

    def factory():
        loads.append(1)
        return base.model

    def encoder():
        return Encoder(
            factory,
            base.model_id,
            prompts=base.prompts,
            fingerprint=base.fingerprint,
            cache_dir=tmp_path,
            dimension=base.dimension,
        )

    first = encoder().encode_passages(texts)
    assert loads == [1]
    again = encoder().encode_passages(texts)
    assert loads == [1], "all texts were cached, yet the model was loaded"
    assert (first == again).all()
