"""Cypher and Lucene syntax in user text: no 500, no error, and the graph is unchanged.

Search and the fulltext (lexical) part of search run on both backends; every endpoint takes the
same strings over HTTP.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graph.errors import NotFound

HOSTILE = [
    '"',
    "'",
    "\\",
    "\\\\",
    '\\"',
    "*:*",
    "*",
    "?",
    "~",
    "abc~0.5",
    "[",
    "]",
    "[a TO z]",
    "{",
    "}",
    "//",
    "/*",
    "OR 1=1",
    "' OR 1=1 --",
    '" OR ""="',
    "CALL db.labels()",
    "CALL db.index.fulltext.queryNodes('x','*:*')",
    "MATCH (n) DETACH DELETE n",
    "'}) MATCH (n) DETACH DELETE n //",
    '") DETACH DELETE n RETURN 1 //',
    "name:信息安全 AND -x",
    '+-&&||!(){}[]^"~*?:\\/',
    "AND",
    "OR NOT",
    '信息安全" OR "1"="1',
    "$param",
    "`backtick`",
    "网络安全 *:* DELETE",
    "\u0000",
    "\n\r\t",
    "%27%20OR%201=1",
    "渗透测试~",
    "(((",
    ")))",
]


def _unchanged(store, run):
    before = store.stats()
    run()
    after = store.stats()
    assert (after.nodes, after.relationships) == (before.nodes, before.relationships)


def test_search_and_fulltext_take_any_text(store):
    """Both backends: hybrid search and lexical-only queries, with and without labels."""

    def run():
        for text in HOSTILE:
            if not text.strip("\x00\n\r\t "):
                continue
            assert store.search(text, None, 5) is not None
        for text in HOSTILE[:8]:
            store.search(text, ["Occupation"], 3)

    _unchanged(store, run)


def test_fulltext_channel_takes_any_text(store):
    """The lexical channel alone (BM25 in the embedded store, Lucene fulltext in Neo4j)."""

    def run():
        for text in HOSTILE:
            if text.strip("\x00\n\r\t "):
                store.occupation_ranking(text, ("lexical",), 5)

    _unchanged(store, run)


@pytest.mark.neo4j
def test_lucene_escaping_holds_for_raw_syntax(neo4j_fixture_store):
    """Even untokenised text, quoted by lucene_query, never parses as Lucene syntax in the fulltext index."""
    from graph.neo4j.store import lucene_query

    for text in HOSTILE:
        if not text.strip("\x00\n\r\t "):
            continue
        with neo4j_fixture_store.driver.session() as session:
            rows = session.run(
                "CALL db.index.fulltext.queryNodes('occupation_tokens', $q, {limit: 5}) "
                "YIELD node RETURN count(node) AS n",
                q=lucene_query([text]),
            ).single()
        if not re.search(r"\w", text):  # only Lucene syntax (*:*, *, ?, [, //…): quoted, it matches nothing
            assert rows["n"] == 0, (text, rows["n"])
        else:  # words: matched as words, never as a query that returns everything
            assert rows["n"] <= 5


def test_names_take_any_text(store):
    def run():
        for text in HOSTILE[:20]:
            if not text.strip():
                continue
            for call in (
                store.profile,
                store.title_directions,
                store.similar_occupations,
                store.direction_occupations,
                store.direction_name,
                store.skill_occupations,
                store.skill_name,
            ):
                try:
                    call(text)
                except NotFound:
                    pass

    _unchanged(store, run)


@pytest.fixture(scope="module")
def injection_client(fixture_store, tmp_path_factory):
    from api.app import create_app
    from api.deps import get_store
    from graph.settings import Settings

    # no rate limit: hundreds of payloads from one client, each of which must reach the store
    app = create_app(Settings(state_dir=tmp_path_factory.mktemp("inject"), admin_token="secret-token", rate_limit=""))
    app.dependency_overrides[get_store] = lambda: fixture_store
    return TestClient(app)


@pytest.mark.model  # /analyze and /curriculum answer 503 without the real encoder's calibrations
def test_every_endpoint_takes_any_text(injection_client, fixture_store):
    c = injection_client

    def run():
        for text in HOSTILE:
            q = quote(text, safe="")
            responses = [
                c.get(f"/search?q={q}"),
                c.get(f"/search?q={q}&labels={q}"),
                c.get(f"/occupations/{q}"),
                c.get(f"/occupations/{q}/similar"),
                c.get(f"/occupations/{q}/title-directions"),
                c.get(f"/occupations/{q}/career-paths?to={q}"),
                c.get(f"/occupations/{q}/graph"),
                c.get(f"/gap?from={q}&to={q}"),
                c.get(f"/skills/{q}/occupations"),
                c.get(f"/directions/{q}/occupations"),
                c.post(
                    "/curriculum/map",
                    json={"courses": [{"title": text or "x", "description": text}], "target": text or None},
                ),
                c.post("/curriculum/heatmap", json={"courses": [{"title": text or "x", "description": text}]}),
                c.post("/admin/sources", json={"filename": text or "x", "content": text or "x", "form": "notice_zh"}),
            ]
            for r in responses:
                assert r.status_code < 500, (r.request.url, r.status_code, r.text[:300])
                if r.status_code >= 400:
                    assert set(r.json()["error"]) == {"code", "message", "suggestions", "suggestions_en"}

    _unchanged(fixture_store, run)
