"""Titles as data: the Title nodes and TITLE_OF links a build adds, each with its kind and source.

Each title is a `Title` node; `TITLE_OF` links it to the occupations it names with the kind of
title (graph.query.titles.KINDS), whether it is broad, and where it came from. A few job-market titles
name a group instead (普工 → 6, 生产制造及有关人员): those link to the Category. A title two occupations
claim links to both and is marked broad, never given to one of them by guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.build.dataset import DatasetBuilder
from graph.model import Occupation, Source, Title, WorkType
from graph.query.titles import KINDS, title_key, title_lang


@dataclass(frozen=True)
class TitleClaim:
    """One source's word that `text` names the occupation with `code` (or id)."""

    text: str
    occupation: str  # node id
    kind: str
    source: Source
    broad: bool = False
    official: bool | None = None  # English names: from an official text, or the project's translation


def add_titles(builder: DatasetBuilder, claims: Iterable[TitleClaim]) -> None:
    """Title nodes and TITLE_OF links; a title claimed for several occupations links to each and is
    broad (listed, not guessed)."""
    grouped: dict[str, list[TitleClaim]] = defaultdict(list)
    for claim in claims:
        if claim.occupation in builder.nodes and title_key(claim.text):
            grouped[f"title:{title_key(claim.text)}"].append(claim)
    for tid, group in grouped.items():
        text = min((c.text for c in group), key=lambda t: (KINDS.index(next(c.kind for c in group if c.text == t)), t))
        node = builder.node(Title(id=tid, text=text, lang=title_lang(text), sources=[c.source for c in group]))
        for c in group:
            # a job-market or everyday title claimed for two occupations (or two groups) is ambiguous by
            # itself; one that names an occupation and a group (其他专业技术人员) is not
            rivals = {o.occupation for o in group if _is_group(o.occupation) == _is_group(c.occupation)}
            broad = c.broad or (len(rivals) > 1 and c.kind in ("job_market", "everyday"))
            props = {"kind": [c.kind], "broad": broad}
            if c.official is not None:
                props["official"] = c.official
            rel = builder.relate("TITLE_OF", node.id, c.occupation, [c.source], **props)
            rel.props["broad"] = rel.props["broad"] and broad  # a specific claim wins over a broad one


def _is_group(node_id: str) -> bool:
    return node_id.startswith("cat:")


def occupation_claims(builder: DatasetBuilder, translations: dict) -> list[TitleClaim]:
    """An occupation's own names (Chinese, English, 002's variants, the project's translation) and its
    work types as titles. `translations`: code → english.Translation."""
    claims = []
    for node in builder.nodes.values():
        if isinstance(node, Occupation):
            src = node.sources[0] if node.sources else Source(file="graph")
            claims.append(TitleClaim(node.name_zh, node.id, "name", src))
            if node.name_en:
                claims.append(
                    TitleClaim(
                        node.name_en, node.id, "name_en", node.name_en_source or src, official=node.name_en_official
                    )
                )
            for alias in node.aliases:
                claims.append(TitleClaim(alias, node.id, "name_en", src, official=True))
            if node.name_en_project and node.code in translations:
                claims.append(
                    TitleClaim(node.name_en_project, node.id, "name_en", translations[node.code].source, official=False)
                )
    for rel in builder.relations.values():
        if rel.type == "WORK_TYPE_OF":
            wt = builder.nodes[rel.start]
            assert isinstance(wt, WorkType)
            for name, source in ((wt.name_zh, wt.sources[0]), (wt.name_en, wt.name_en_source or wt.sources[0])):
                if name:
                    claims.append(TitleClaim(name, rel.end, "work_type", source))
    return claims
