"""Hybrid search scoring, shared by both backends: they differ only in how they fetch candidates
(numpy + bm25s, or Neo4j's vector and fulltext indexes).

Every hit scores on one scale, cosine + lexical + name:
- vector: the query's cosine to the node's vector; for an occupation, to its profile vector (its
  description plus the mean of its task vectors), so every task contributes to its occupation —
  the graph propagation that measured best (bench/reports/search_eval.md);
- lexical: BM25 over jieba tokens, max-normalised per query and weighted LEXICAL_WEIGHT; for an
  occupation over one document holding its names, definitions, tasks and work types. Applied to
  Chinese queries only: English text exists for 30 of 1,676 occupations, so English lexical
  matches would pull every English query toward those 30;
- name: an exact name, alias or code match puts that occupation first.
Score fusion rather than reciprocal-rank fusion: RRF gives the weak lexical channel the same say
as the strong vector one, which measured worse on the evaluation set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.query.results import Evidence, SearchHit

# Candidates per channel. Results are capped at k ≤ 100 and the lexical part of a score is at most
# LEXICAL_WEIGHT, so an occupation outside both pools of 100 cannot reach the top results.
CANDIDATES = 100
# candidates per vector index and from BM25, for tasks, skills and title directions
POOL = {"Task": 200, "Skill": 100, "TitleDirection": 100}
LEXICAL_POOL = 200
LEXICAL_WEIGHT = 0.02
NAME_BONUS = 1.0
# the title channel: at most TITLE_EXACT for an exact title; cosines below TITLE_FLOOR add nothing
# (e5 puts unrelated short titles at 0.75–0.85); full weight up to TITLE_SHORT CJK characters (an
# English word counts 2.5), none from TITLE_LONG. Measured on queries.csv (bench/reports/search_eval.md):
# cut-offs 8/20 lifted hybrid MRR 0.819 → 0.876 but cost task queries 0.822 → 0.793 (short task
# phrases matched titles); 6/14 keeps task queries at 0.822 and gives 0.880 overall.
TITLE_EXACT = 0.3
TITLE_FLOOR = 0.85
TITLE_SHORT, TITLE_LONG = 6, 14
_CJK = re.compile(r"[\u4e00-\u9fff]")


def lexical_applies(text: str, channels: tuple[str, ...]) -> bool:
    """Lexical evidence counts for Chinese queries in hybrid mode; alone it always counts."""
    if "lexical" not in channels:
        return False
    return "vector" not in channels or bool(_CJK.search(text))


@dataclass
class Candidate:
    id: str
    cosine: float | None = None
    bm25: float = 0.0
    # evidence is built only for the hits returned: a callable defers it
    evidence: list[Evidence] | Callable[[], list[Evidence]] = field(default_factory=list)


def title_part(match, text: str) -> float:
    """The title channel's part of an occupation's score: how well one of its titles (names, work
    types, job-market and everyday titles) matches the query, weighted by how title-like the query
    is. A short query (外卖骑手, drone pilot) leans on titles; a sentence describing work does not.
    `match` is a graph.query.titles.TitleMatch."""
    weight = title_likeness(text)
    if weight == 0.0:
        return 0.0
    s = TITLE_EXACT if match.exact else 0.0
    if match.contains >= 0.5:
        s = max(s, TITLE_EXACT * match.contains)
    s = max(s, TITLE_EXACT * max(0.0, match.cosine - TITLE_FLOOR) / (1 - TITLE_FLOOR))
    return round(weight * s, 6)


def title_likeness(text: str) -> float:
    """1 for a title-length query, fading to 0 for a sentence (CJK characters, or English words)."""
    n = len(_CJK.findall(text)) if _CJK.search(text) else len(text.split()) * 2.5
    return min(1.0, max(0.0, (TITLE_LONG - n) / (TITLE_LONG - TITLE_SHORT)))


def pool_cosine(cands: dict[str, Candidate]) -> float | None:
    """The mean cosine over a query's candidates: what any node scores for this query. e5 puts every
    text near every other (junk scores about 0.8 against every occupation), so how far a hit rises
    above its own pool says more about a match than its cosine (graph/query/confidence.py reads it as `lift`).
    Both backends hold the same candidates (vector pool, BM25 pool, titles), so the mean agrees."""
    cosines = [c.cosine for c in cands.values() if c.cosine is not None]
    return sum(cosines) / len(cosines) if cosines else None


def score(
    cands: dict[str, Candidate],
    text: str,
    channels: tuple[str, ...],
    name_hit: str | None = None,
    titles: dict[str, float] | None = None,
) -> dict[str, dict[str, float]]:
    """Per candidate: its score parts and total on the shared scale."""
    use_lex = lexical_applies(text, channels)
    top = max((c.bm25 for c in cands.values()), default=0.0) or 1.0
    pool = pool_cosine(cands)
    out = {}
    for cid, c in cands.items():
        parts = {"cosine": round(c.cosine or 0.0, 4), "bm25": round(c.bm25, 4)}
        if pool is not None and c.cosine is not None:
            parts["lift"] = round(c.cosine - pool, 4)
        total = 0.0
        if "vector" in channels:
            total += c.cosine or 0.0
        if use_lex:
            lex = c.bm25 / top
            parts["lexical"] = round(lex, 4)
            total += lex * (LEXICAL_WEIGHT if "vector" in channels else 1.0)
        if "name" in channels and cid == name_hit:
            parts["name"] = NAME_BONUS
            total += NAME_BONUS
        if titles and titles.get(cid):
            parts["title"] = titles[cid]
            total += titles[cid]
        out[cid] = {**parts, "score": round(total, 6)}
    return out


def hits(
    label: str,
    cands: dict[str, Candidate],
    text: str,
    channels: tuple[str, ...],
    node: Callable[[str], dict],
    name_of: Callable[[str], str],
    name_hit: str | None = None,
    limit: int | None = None,
    titles: dict[str, float] | None = None,
) -> list[SearchHit]:
    """The best `limit` candidates as hits, best first."""
    scored = score(cands, text, channels, name_hit, titles)
    ranked = sorted(
        (cid for cid, p in scored.items() if p["score"] > 0 or p.get("lexical")),
        key=lambda cid: (-scored[cid]["score"], cid),
    )
    out = []
    for cid in ranked[:limit]:
        parts = scored[cid]
        total = parts.pop("score")
        ev = cands[cid].evidence
        out.append(
            SearchHit(
                label=label,
                id=cid,
                name=name_of(cid),
                name_en=node(cid).get("name_en"),
                code=node(cid).get("code"),
                score=total,
                score_parts=parts,
                evidence=ev() if callable(ev) else ev,
                written_as=node(cid).get("written_as"),
            )
        )
    return out
