"""Hybrid search fusion, shared by both backends: they only differ in how they fetch
candidates (numpy + bm25s, or Neo4j's vector and fulltext indexes)."""
from __future__ import annotations

from typing import Callable

from graph import scoring
from graph.results import Evidence, SearchHit

CANDIDATES = 300
# candidates per vector index (tasks are many and each lifts an occupation) and from BM25
POOL = {"Task": 1200, "Occupation": 300, "Occupation_en": 300, "Skill": 300, "TitleDirection": 300}
LEXICAL_POOL = 1200
Scored = list[tuple[str, float]]  # (vector or lexical key, score), best first


def occupation_hits(vec: Scored, lex: Scored, name_hit: str | None, channels: tuple[str, ...],
                    owner: Callable[[str], str | None], evidence: Callable[[str, float], Evidence],
                    node: Callable[[str], dict]) -> list[SearchHit]:
    """Vector, lexical and name channels over occupations. A task or work-type hit lifts its
    occupation (graph propagation): each occupation takes its best-scoring text per channel.
    Channels are fused by reciprocal rank."""
    vec_best = _best_per_owner(vec, owner)
    lex_best = _best_per_owner([(k, s) for k, s in lex if s > 0], owner)
    rankings = {
        "vector": sorted(vec_best, key=lambda o: (-vec_best[o][0], o))[:CANDIDATES],
        "lexical": sorted(lex_best, key=lambda o: (-lex_best[o][0], o))[:CANDIDATES],
        "name": [name_hit] if name_hit else [],
    }
    fused = scoring.rrf({c: r for c, r in rankings.items() if c in channels}, scoring.CHANNEL_WEIGHTS)
    hits = []
    for occ, parts in fused.items():
        ev = []
        if occ in vec_best:
            ev.append(evidence(vec_best[occ][1], vec_best[occ][0]))
        if occ in lex_best and (occ not in vec_best or lex_best[occ][1] != vec_best[occ][1]):
            ev.append(evidence(lex_best[occ][1], lex_best[occ][0]))
        n = node(occ)
        hits.append(SearchHit(label="Occupation", id=occ, name=n["name_zh"], code=n.get("code"),
                              score=round(parts["fused"], 6),
                              score_parts={**{k: round(v, 6) for k, v in parts.items() if k != "fused"},
                                           "cosine": round(vec_best.get(occ, (0.0,))[0], 4),
                                           "bm25": round(lex_best.get(occ, (0.0,))[0], 4)},
                              evidence=ev))
    return hits


def _best_per_owner(scored: Scored, owner: Callable[[str], str | None]) -> dict[str, tuple[float, str]]:
    best: dict[str, tuple[float, str]] = {}
    for key, score in scored[: CANDIDATES * 4]:
        occ = owner(key)
        if occ and score > best.get(occ, (float("-inf"), ""))[0]:
            best[occ] = (score, key)
    return best


def label_hits(label: str, vec: Scored, lex: Scored, text_of: Callable[[str], str],
               owner_name: Callable[[str], tuple[str, str] | None], node: Callable[[str], dict],
               name_of: Callable[[str], str]) -> list[SearchHit]:
    """Hits of one non-occupation label (tasks, skills, title directions, work types)."""
    vec = vec[:CANDIDATES]
    lex = [(k, s) for k, s in lex[:CANDIDATES] if s > 0]
    fused = scoring.rrf({"vector": [k for k, _ in vec], "lexical": [k for k, _ in lex]})
    cos = dict(vec)
    hits = []
    for nid, parts in fused.items():
        ev = [Evidence(kind=label.lower(), text=text_of(nid), id=nid, score=round(cos.get(nid, 0.0), 4))]
        if (o := owner_name(nid)) is not None:
            ev.append(Evidence(kind="occupation", text=o[1], id=o[0]))
        hits.append(SearchHit(label=label, id=nid, name=name_of(nid), code=node(nid).get("code"),
                              score=round(parts["fused"], 6),
                              score_parts={**{k: round(v, 6) for k, v in parts.items() if k != "fused"},
                                           "cosine": round(cos.get(nid, 0.0), 4)},
                              evidence=ev))
    return hits
