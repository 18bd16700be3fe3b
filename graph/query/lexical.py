"""Lexical matching: jieba tokens for Chinese, lowercased words for English, BM25 by bm25s."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|[\u4e00-\u9fff]+")
EN_STOP = frozenset(
    "a an and or of the to in on for with by as at from is are be this that such other related including etc".split()
)
ZH_STOP = frozenset("的 和 与 及 等 或 并 对 在 为 了 进行 相关 有关 其 中 各种 各类 人员 工作".split())


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba's search-mode words for Chinese runs (so 信息安全测试员 also yields
    信息, 安全, 测试), words for Latin text; stop words dropped."""
    out: list[str] = []
    for piece in _WORD.findall(text.lower()):
        if piece[0].isascii():
            if piece not in EN_STOP:
                out.append(piece[:-1] if len(piece) > 3 and piece.endswith("s") and not piece.endswith("ss") else piece)
        else:
            out.extend(w for w in _jieba().cut_for_search(piece) if w not in ZH_STOP)
    return out
