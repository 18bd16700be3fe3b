"""The examples in docstrings are run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "graph.query.node_text",
        "graph.query.confidence",
        "graph.query.titles",
        "graph.build.skills",
        "graph.query.sentences",
        "graph.query.analysis",
        "graph.query.courses",
        "api.render",
        "graph.embedded.store",
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed, result
