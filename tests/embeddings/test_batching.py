"""The server's query encodings (embeddings/batching.py, embeddings/serving.py): concurrent requests share
model calls, repeated ones come from the LRU, and either way each text gets the vector it gets alone."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from embeddings.batching import QueryBatcher
from embeddings.encoder import Encoder
from embeddings.serving import BATCHED_TEXTS, ServingEncoder

# queries of very different lengths, so that a batch pads the short ones a lot
QUERIES = [
    "信息安全",
    "渗透测试 漏洞",
    "network security",
    "外卖骑手 8000+ 包吃住 五险一金 周末双休 工作地点北京朝阳区 要求有电动车 能吃苦耐劳",
    "a",
    "database administrator",
    "养老护理",
    "Operate drones to complete flight tasks in agriculture, surveying and logistics.",
    "工业机器人 运维",
    "区块链",
    "碳排放管理员",
    "直播销售",
]


class CountingModel:
    """A stand-in model (embeddings.encoder.TextModel) whose vectors depend only on each text, that
    records the size of every call and takes `delay` seconds per call, as a model call takes time."""

    def __init__(self, delay: float = 0.0) -> None:
        from fast_encoder import FastEncoder

        self.inner, self.delay, self.calls = FastEncoder(), delay, []
        self.lock = threading.Lock()

    def encode(self, inputs, prompt=None, batch_size=32, show_progress_bar=None, **_):
        with self.lock:
            self.calls.append(len(inputs))
        time.sleep(self.delay)
        return self.inner.encode_queries([(prompt or "") + t for t in inputs])

    def get_embedding_dimension(self) -> int:
        return self.inner.dimension


def encoder_on(model) -> Encoder:
    return Encoder(model, "counting", prompts={"query": "query: "}, fingerprint="counting", dimension=384)


def one_by_one(encoder, texts: list[str]) -> np.ndarray:
    return np.stack([encoder.encode_queries([t])[0] for t in texts])


def concurrently(encode, texts: list[str], threads: int = 12) -> list[np.ndarray]:
    """Each text encoded from its own thread, all released at once."""
    start = threading.Barrier(len(texts))

    def one(text: str) -> np.ndarray:
        start.wait()
        return encode([text])[0]

    with ThreadPoolExecutor(max_workers=max(threads, len(texts))) as pool:
        return list(pool.map(one, texts))


def test_concurrent_requests_share_model_calls_and_keep_their_vectors():
    model = CountingModel(delay=0.02)
    encoder = encoder_on(model)
    alone = one_by_one(encoder, QUERIES)
    model.calls.clear()
    batcher = QueryBatcher(encoder.encode_queries, window_s=0.005)
    got = concurrently(batcher.encode, QUERIES)
    np.testing.assert_allclose(np.stack(got), alone, atol=1e-6, rtol=0)
    assert sum(model.calls) == len(QUERIES)
    assert len(model.calls) < len(QUERIES) / 2, f"{model.calls}: the requests were not batched"
    assert (batcher.stats.calls, batcher.stats.texts, batcher.stats.requests) == (len(model.calls), 12, 12)


def test_a_batch_encodes_a_text_asked_twice_once_and_answers_both():
    model = CountingModel(delay=0.02)
    batcher = QueryBatcher(encoder_on(model).encode_queries, window_s=0.01)
    got = concurrently(batcher.encode, ["区块链"] * 6)
    assert model.calls and sum(model.calls) < 6
    assert all((v == got[0]).all() for v in got)


def test_every_caller_of_a_failing_batch_gets_the_failure():
    entered = threading.Event()

    def failing(texts: list[str]) -> np.ndarray:
        entered.set()
        time.sleep(0.02)
        raise RuntimeError("the model broke")

    batcher = QueryBatcher(failing, window_s=0.01)
    outcomes: list[str] = []

    def call(text: str) -> None:
        try:
            batcher.encode([text])
            outcomes.append("answered")
        except RuntimeError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=call, args=(t,)) for t in QUERIES[:5]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert entered.is_set()
    assert outcomes == ["the model broke"] * 5  # nobody hangs, nobody gets a vector


def test_many_threads_for_a_while_each_get_their_own_vectors():
    """Thread safety under churn: 16 threads, each asking for random texts (single and several at once)
    through the cache and the batcher, every answer checked against the text's own vector."""
    model = CountingModel(delay=0.001)
    plain = encoder_on(CountingModel())
    expected = dict(zip(QUERIES, one_by_one(plain, QUERIES), strict=True))
    serving = ServingEncoder(encoder_on(model), cache_size=5, batch_window_s=0.002)  # small: evictions all along
    wrong: list[str] = []

    def worker(seed: int) -> None:
        rnd = np.random.default_rng(seed)
        for _ in range(60):
            texts = list(rnd.choice(QUERIES, size=int(rnd.integers(1, 4))))
            for t, v in zip(texts, serving.encode_queries(texts), strict=True):
                if np.abs(v - expected[t]).max() > 1e-6:
                    wrong.append(t)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not wrong
    assert serving.cache_stats.hits > 0 and serving.cache_stats.misses > 0
    assert serving.batcher is not None and serving.batcher.stats.requests > serving.batcher.stats.calls


def test_a_repeated_query_comes_from_the_cache_with_the_same_vector():
    model = CountingModel()
    serving = ServingEncoder(encoder_on(model), cache_size=100, batch_window_s=0)
    first = serving.encode_queries(["信息安全", "区块链"])
    calls = len(model.calls)
    again = serving.encode_queries(["区块链", "信息安全", "区块链"])
    assert len(model.calls) == calls, "a cached query went to the model"
    assert (again[0] == first[1]).all() and (again[1] == first[0]).all() and (again[2] == first[1]).all()
    assert (serving.cache_stats.hits, serving.cache_stats.misses) == (3, 2)
    again[0] += 1  # what a caller gets is its own: writing to it changes no cached vector
    assert (serving.encode_queries(["区块链"])[0] == first[1]).all()


def test_the_cache_is_bounded_and_forgets_the_least_recently_used():
    model = CountingModel()
    serving = ServingEncoder(encoder_on(model), cache_size=2, batch_window_s=0)
    serving.encode_queries(["a"])
    serving.encode_queries(["b"])
    serving.encode_queries(["a"])  # a is now the more recent
    serving.encode_queries(["c"])  # evicts b
    before = len(model.calls)
    serving.encode_queries(["a"])
    serving.encode_queries(["c"])
    assert len(model.calls) == before
    serving.encode_queries(["b"])
    assert len(model.calls) == before + 1


def test_off_means_off():
    """No cache and no batcher: every request goes to the model as it did before."""
    model = CountingModel()
    serving = ServingEncoder(encoder_on(model), cache_size=0, batch_window_s=0)
    serving.encode_queries(["区块链"])
    serving.encode_queries(["区块链"])
    assert model.calls == [1, 1] and serving.batcher is None


def test_a_long_request_does_not_join_a_batch():
    """A curriculum's many courses encode on their own: a search batched with them would wait for all."""
    model = CountingModel()
    serving = ServingEncoder(encoder_on(model), cache_size=0, batch_window_s=0.001)
    texts = [f"课程 {i}" for i in range(BATCHED_TEXTS + 1)]
    serving.encode_queries(texts)
    assert serving.batcher is not None and serving.batcher.stats.calls == 0
    assert model.calls == [len(texts)]


def test_the_serving_encoder_is_a_text_encoder():
    from graph.encoding import TextEncoder

    serving = ServingEncoder(encoder_on(CountingModel()), cache_size=10, batch_window_s=0.001)
    assert isinstance(serving, TextEncoder)
    assert (serving.model_id, serving.fingerprint, serving.dimension) == ("counting", "counting", 384)
    texts = ["信息安全测试员从事渗透测试。"]
    assert (serving.encode_passages(texts) == serving.encoder.encode_passages(texts)).all()


@pytest.mark.model
def test_the_model_gives_a_query_the_same_vector_batched_as_alone(shared_encoder):
    """The real encoder on its runtime: a padded batch of queries of very different lengths against each
    query alone, directly and through the serving encoder's batcher from concurrent threads."""
    alone = one_by_one(shared_encoder, QUERIES)
    batched = shared_encoder.encode_queries(QUERIES)
    np.testing.assert_allclose(batched, alone, atol=1e-6, rtol=0)
    serving = ServingEncoder(shared_encoder, cache_size=0, batch_window_s=0.01)
    got = np.stack(concurrently(serving.encode_queries, QUERIES))
    np.testing.assert_allclose(got, alone, atol=1e-6, rtol=0)
    assert serving.batcher is not None and serving.batcher.stats.calls < len(QUERIES)
