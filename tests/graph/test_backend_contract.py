"""The backend contract is explicit: ComposedQueries is an abstract base, and a backend that forgets a
hook fails when it is constructed (not when a user first reaches the query that needs the hook)."""

from __future__ import annotations

import inspect
import re

import pytest

from graph.query.composed import ComposedQueries


def _backend_missing(hook: str) -> type:
    """A backend class implementing every abstract hook but `hook` (trivially: only construction is tried)."""
    body = {name: (lambda self, *a, **k: None) for name in ComposedQueries.__abstractmethods__ if name != hook}
    return type(f"Without{hook}", (ComposedQueries,), body)


@pytest.mark.parametrize("hook", sorted(ComposedQueries.__abstractmethods__))
def test_a_backend_missing_a_hook_fails_at_construction(hook):
    with pytest.raises(TypeError, match=hook):
        _backend_missing(hook)(lambda: None)


def test_a_backend_with_every_hook_constructs():
    assert isinstance(_backend_missing("")(lambda: None), ComposedQueries)


def test_both_backends_implement_every_hook():
    from graph.embedded.store import EmbeddedStore
    from graph.neo4j.store import Neo4jStore

    assert not EmbeddedStore.__abstractmethods__ and not Neo4jStore.__abstractmethods__


def test_every_hook_the_composition_calls_is_declared():
    """Each `self.<name>` the shared composition uses is defined on the base, concretely or as an abstract
    hook: nothing is left for a backend to provide by convention."""
    source = inspect.getsource(ComposedQueries)
    used = set(re.findall(r"self\.(\w+)", source))
    assigned = set(re.findall(r"self\.(\w+)\s*=", source))  # its own state, set in its __init__
    undeclared = sorted(n for n in used - assigned if not hasattr(ComposedQueries, n))
    assert not undeclared, f"hooks used but declared nowhere: {undeclared}"
