"""The Neo4j backend: every store method runs its cypher/<method>.cypher; result assembly and
scoring are the shared functions the embedded backend uses, so both rank alike."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from functools import cached_property
from typing import cast

import networkx as nx
import numpy as np

from graph.encoding import EncoderFactory
from graph.errors import BackendUnavailable, GraphNotBuilt, QueryTimedOut, StoreQueryFailed, ZhiyeError
from graph.model import Source
from graph.neo4j.cypher_files import cypher
from graph.query import fusion, scoring
from graph.query.composed import CHANNELS, ComposedQueries
from graph.query.node_text import display_name, node_text, work_type_name
from graph.query.records import (
    CoverageSkill,
    CoverageTask,
    DirectionRow,
    GapSkill,
    GapTask,
    LevelRow,
    NearTask,
    TitleLevelRow,
    TitleRow,
    VocabularySkill,
)
from graph.query.results import (
    BatchInfo,
    BatchOccupation,
    BatchRef,
    Course,
    CourseMatch,
    DirectionOccupation,
    Evidence,
    GapItem,
    OccupationRef,
    Profile,
    SearchHit,
    SimilarOccupation,
    SkillOccupation,
    SkillRef,
    SpecialAbilityInfo,
    Stats,
    TaskOut,
    TermName,
    UnresolvedMember,
    WorkTypeName,
)
from graph.query.validate import check_k, level_order, resolve_name
from graph.settings import Settings

#: analyze and curriculum mapping ask each vector index for this many times the nearest items they keep, and
#: keep them by exact cosine (cypher/analyze.cypher, cypher/curriculum_map.cypher): with the index's approximate
#: top ten the backends disagreed on a confidence by 0.08, and from 50 candidates the index still missed a
#: sentence's eighth-nearest task; 200 found every one
SENTENCE_POOL = 20

SIMILAR_POOL = 100


def lucene_query(tokens: list[str]) -> str:
    """Tokens as quoted Lucene terms: user text never reaches Lucene's query syntax."""
    return " ".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in tokens)


def translate_server_error(name: str, exc, timeout_s: float) -> ZhiyeError:
    """A Neo4j server error as the project's: a timeout or a transient state is the store being
    unavailable now (the API answers 503 and asks to retry); anything else is a failed query."""
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Transaction.Terminated" in code:
        return QueryTimedOut(f"Neo4j query {name} timed out after {timeout_s} s")
    if code.startswith("Neo.TransientError"):
        return BackendUnavailable(f"Neo4j is temporarily unavailable: {exc.message}")
    return StoreQueryFailed(f"Neo4j query {name} failed: {code}")


class Neo4jStore(ComposedQueries):
    backend = "neo4j"
    concurrent_fetches = True

    def __init__(self, driver, encoder_factory: EncoderFactory, timeout_s: float = 10.0, slot: str = "current"):
        self.driver = driver
        self.slot = slot
        super().__init__(encoder_factory)
        self.timeout_s = timeout_s
        self._gen: str | None = None
        self._gen_checked = 0.0

    @classmethod
    def connect(cls, settings: Settings, encoder: EncoderFactory) -> Neo4jStore:
        from graph.neo4j.server import connection

        conn = connection(settings)
        if conn is None:
            raise BackendUnavailable("no Neo4j: set NEO4J_URI or run `zhiye neo4j start`")
        driver = conn.driver(
            connection_timeout=settings.neo4j_timeout_s,
            connection_acquisition_timeout=settings.neo4j_timeout_s,
            max_transaction_retry_time=settings.neo4j_retry_s,
        )
        return cls(driver, encoder, settings.neo4j_timeout_s)

    # plumbing ----------------------------------------------------------------------------
    def run(self, name: str, **params) -> list[dict]:
        """Rows of cypher/<name>.cypher, read through the driver's managed transactions (so its retries of
        transient failures apply, within max_transaction_retry_time). Every driver error is translated
        here, at the boundary: callers and the API see only graph.errors."""
        from neo4j import Query, RoutingControl
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

        try:
            records, _, _ = self.driver.execute_query(
                Query(cypher(name), timeout=self.timeout_s), params, routing_=RoutingControl.READ
            )
            return [r.data() for r in records]
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise BackendUnavailable(f"Neo4j is unreachable: {exc}") from None
        except DriverError as exc:
            raise BackendUnavailable(f"Neo4j driver error: {exc}") from None
        except Neo4jError as exc:
            raise translate_server_error(name, exc, self.timeout_s) from None

    @property
    def gen(self) -> str:
        """The current generation; re-read every few seconds so a switch is seen quickly."""
        if self._gen is None or time.monotonic() - self._gen_checked > 2.0:
            rows = self.run("current_generation", slot=self.slot)
            if not rows:
                raise GraphNotBuilt("Neo4j holds no loaded graph; run `zhiye build --backend neo4j`")
            if rows[0]["gen"] != self._gen:  # a new generation: drop what was cached from the old one
                for cached in self._graph_caches():
                    self.__dict__.pop(cached, None)
            self._gen, self._gen_checked = rows[0]["gen"], time.monotonic()
            self._meta = rows[0]
        return self._gen

    @classmethod
    def _graph_caches(cls) -> list[str]:
        """Every cached property of the store, which all hold data of one generation, except the two that
        do not depend on the graph: found by type, so a cache added later cannot outlive its generation."""
        independent = {"encoder", "_fetcher"}
        return [
            name
            for klass in cls.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, cached_property) and name not in independent
        ]

    def uid(self, nid: str) -> str:
        return f"{self.gen}/{nid}"

    @cached_property
    def _names(self) -> dict[str, dict[str, str]]:
        names: dict[str, dict[str, str]] = defaultdict(dict)
        for row in self.run("names", gen=self.gen):
            for name in [row["id"], *row["names"]]:
                names[row["label"]].setdefault(name.casefold(), row["id"])
        return names

    def _title_rows(self) -> tuple[list[TitleRow], np.ndarray]:
        rows = self.run("code", gen=self.gen)
        vectors = np.array([r.pop("embedding") for r in rows], dtype=np.float32)
        return cast(list[TitleRow], rows), vectors.reshape(len(rows), -1) if len(rows) else np.zeros((0, 1), np.float32)

    def _occupation_id(self, name_or_code: str) -> str:
        self.gen  # noqa: B018 — refreshes the name index after a generation switch
        return resolve_name(name_or_code, self._names["Occupation"], "occupation")

    def stats(self) -> Stats:
        row = self.run("stats", slot=self.slot)
        if not row:
            raise GraphNotBuilt("Neo4j holds no loaded graph; run `zhiye build --backend neo4j`")
        r = row[0]
        return Stats(
            nodes=dict(sorted((label, c) for label, c in r["nodes"])),
            relationships=dict(sorted((t, c) for t, c in r["relationships"])),
            meta={"backend": self.backend, "model": r["model"], "dimension": r["dimension"], "generation": r["gen"]},
        )

    # search ------------------------------------------------------------------------------
    def _occupation_hits(
        self,
        text: str,
        q: np.ndarray | None,
        tokens: list[str],
        channels: tuple[str, ...],
        limit: int,
        titles: dict[str, float] | None = None,
        evidence: bool = True,
    ) -> list[SearchHit]:
        # Cypher scores lexical-only candidates' cosine too, so the query is always embedded here
        embedding = (q if q is not None else self._embed(text)).tolist()
        lucene = lucene_query(tokens) if "lexical" in channels else ""
        self.gen  # noqa: B018 — refreshes the name index after a generation switch
        name_hit = self._names["Occupation"].get(text.strip().casefold())
        # vector-only: the profile pool alone; lexical-only: BM25 candidates alone
        pool = fusion.CANDIDATES if "vector" in channels else 0
        extra = sorted({*(titles or {}), *([name_hit] if name_hit else [])})
        rows = self.run(
            "search",
            gen=self.gen,
            embedding=embedding,
            pool=max(pool, 1),
            lucene=lucene,
            lexical_pool=fusion.CANDIDATES,
            extra_uids=[self.uid(o) for o in extra],
        )
        props, cands = {}, {}
        for r in rows:
            p = {k: v for k, v in r["props"].items() if v is not None}
            if pool == 0 and r["bm25"] <= 0 and p["id"] not in extra:
                continue
            props[p["id"]] = p
            ev = [
                Evidence(
                    kind="description", text=p.get("definition") or p.get("definition_en") or p["name_zh"], id=p["id"]
                )
            ]
            cands[p["id"]] = fusion.Candidate(
                p["id"], r["cosine"] if "vector" in channels else None, float(r["bm25"]), ev
            )
        hits = fusion.hits(
            "Occupation",
            cands,
            text,
            channels,
            props.__getitem__,
            lambda o: props[o]["name_zh"],
            name_hit,
            limit,
            titles,
        )
        if q is not None and hits and evidence:  # the best task as evidence, for the hits returned only
            best = {
                r["id"]: r["best_task"]
                for r in self.run("search_evidence", uids=[self.uid(h.id) for h in hits], embedding=embedding)
            }
            for h in hits:
                if (task := best.get(h.id)) is not None:
                    h.evidence.insert(
                        0, Evidence(kind="task", text=task["text"], id=task["id"], score=round(task["cosine"], 4))
                    )
        return hits

    def _node_hits(self, text: str, q: np.ndarray, tokens: list[str], labels: list[str], limit: int) -> list[SearchHit]:
        rows = self.run(
            "search_nodes",
            gen=self.gen,
            embedding=q.tolist(),
            pools=fusion.POOL,
            lucene=lucene_query(tokens),
            lexical_pool=fusion.LEXICAL_POOL,
            labels=labels,
        )
        groups: dict[str, dict[str, fusion.Candidate]] = {label: {} for label in labels}
        props = {}
        for r in rows:
            p = {k: v for k, v in r["props"].items() if v is not None}
            props[p["id"]] = p
            ev = [
                Evidence(
                    kind=r["label"].lower(),
                    text=node_text(r["label"], p, p["id"]),
                    id=p["id"],
                    score=round(r["cosine"] or 0.0, 4),
                )
            ]
            if r["owner"] and r["label"] in ("Task", "WorkType"):
                ev.append(Evidence(kind="occupation", text=r["owner_name"], id=r["owner"]))
            groups[r["label"]][p["id"]] = fusion.Candidate(p["id"], r["cosine"], float(r["bm25"]), ev)
        out = []
        for label, group in groups.items():
            out += fusion.hits(
                label, group, text, CHANNELS, props.__getitem__, lambda n: display_name(props[n], n), None, limit
            )
        return out

    # one occupation ----------------------------------------------------------------------
    def _profile(self, occupation: str) -> Profile:
        occ = self.occupation_id(occupation)
        r = self.run("profile", uid=self.uid(occ))[0]
        o = r["occupation"]

        def level(x: str) -> int | str:
            return int(x) if x.isdigit() else x

        levels = level_order(level(x) for x in r["levels"])
        by_work_type: dict[str, set] = defaultdict(set)
        for row in r["work_type_levels"]:
            by_work_type[row["work_type"]].add(level(row["level"]))
        tasks = sorted(r["tasks"], key=lambda t: (t["lang"] != "zh", t["order"]))
        skills = sorted(r["skills"], key=lambda s: (-s["tasks"], -s["score"], s["id"]))
        wts = sorted(r["work_types"], key=work_type_name)
        return Profile(
            id=occ,
            code=o.get("code"),
            former_codes=o.get("former_codes") or [],
            name_zh=o["name_zh"],
            name_en=o.get("name_en"),
            aliases=o.get("aliases") or [],
            definition=o.get("definition"),
            definition_en=o.get("definition_en"),
            flags=o.get("flags") or [],
            tasks=[TaskOut(**t) for t in tasks],
            work_types=[work_type_name(w) for w in wts],
            work_type_names=[
                WorkTypeName(
                    name_zh=w["name_zh"],
                    name_en=w["name_en"],
                    official=w["official"],
                    source=_source_json(w["source_json"]),
                )
                for w in wts
            ],
            skill_levels=levels,
            all_levels=level_order(level(x) for x in r["all_levels"]),
            work_type_levels={w: level_order(v) for w, v in sorted(by_work_type.items())},
            batches=sorted((BatchRef(**b) for b in r["batches"]), key=lambda b: b.announced),
            category_path=list(reversed(r["category_paths"][0])) if r["category_paths"] else [],
            skills=[
                SkillRef(
                    id=s["id"],
                    name=s["name_zh"],
                    name_en=s.get("name_en"),
                    kind=s["kind"],
                    score=s["score"],
                    tasks=s["tasks"],
                    method=s.get("method"),
                    version=s.get("version"),
                    written_as=s.get("written_as"),
                )
                for s in skills
            ],
            title_directions=[d.name for d in self.title_directions(occ)],
            sources=o.get("sources") or [],
            name_en_official=o.get("name_en_official"),
            name_en_source=_source_json(o.get("name_en_source_json")),
        )

    def _direction_links(self, occ: str) -> list[DirectionRow]:
        rows = self.run("title_directions", uid=self.uid(occ))
        for r in rows:
            r["links"].sort(key=lambda link: (link["lang"] != "zh", link["order"]))  # as the embedded store
        return cast(list[DirectionRow], rows)

    def direction_name(self, direction: str) -> TermName:
        self.gen  # noqa: B018
        did = resolve_name(direction, self._names["TitleDirection"], "title direction")
        return _term_name(self.run("direction_name", uid=self.uid(did))[0])

    def direction_occupations(self, direction: str, k: int = 20) -> list[DirectionOccupation]:
        k = check_k(k)
        self.gen  # noqa: B018
        did = resolve_name(direction, self._names["TitleDirection"], "title direction")
        out = [
            DirectionOccupation(
                id=r["id"],
                code=r["code"],
                name_zh=r["name_zh"],
                name_en=r["name_en"],
                score=scoring.direction_pair_score(r["tasks"]),
                evidence=[
                    Evidence(kind="task", text=t["text"], id=t["id"], score=t["score"])
                    for t in sorted(r["tasks"], key=lambda t: -t["score"])
                ],
            )
            for r in self.run("direction_occupations", uid=self.uid(did))
        ]
        return sorted(out, key=lambda x: (-x.score, x.id))[:k]

    def _similar(self, occ: str, k: int) -> list[SimilarOccupation]:
        out = [
            self._similar_row(r)
            for r in self.run("similar_occupations", uid=self.uid(occ), gen=self.gen, pool=SIMILAR_POOL)
        ]
        return sorted(out, key=lambda s: (-s.score, s.id))[:k]

    def _pair(self, a: str, b: str) -> SimilarOccupation:
        return self._similar_row(self.run("occupation_pair", source=self.uid(a), target=self.uid(b))[0])

    def _similar_row(self, r: dict) -> SimilarOccupation:
        shared = len(r["shared"])
        union = r["mine"] + r["theirs"] - shared
        row = {
            "id": r["id"],
            "code": r["code"],
            "name_zh": r["name_zh"],
            "name_en": r["name_en"],
            "shared_skills": sorted(r["shared"]),
            "shared_directions": sorted(set(r["my_dirs"]) & set(r["their_dirs"])),
        }
        return scoring.similar_occupation(
            row,
            r["cosine"],
            shared / union if union else 0.0,
            scoring.category_proximity(r["my_code"], r["code"]),
            scoring.jaccard(r["my_dirs"], r["their_dirs"]),
            self._similarity_model,
        )

    # careers -----------------------------------------------------------------------------
    def _gap_data(self, src: str, tgt: str) -> tuple[set[str], list[GapSkill], list[GapTask]]:
        r = self.run("skill_gap", source=self.uid(src), target=self.uid(tgt))[0]
        return set(r["mine"]), cast(list[GapSkill], r["theirs"]), cast(list[GapTask], r["target_tasks"])

    def _occ_ref(self, occ: str) -> OccupationRef:
        return self._refs[occ]

    @cached_property
    def _refs(self) -> dict[str, OccupationRef]:
        return {r["id"]: OccupationRef(**r) for r in self.run("occupation_refs", gen=self.gen)}

    def _ladders(self, occ: str) -> tuple[list[LevelRow], list[TitleLevelRow]]:
        r = self.run("career_paths", uid=self.uid(occ), gen=self.gen)[0]
        levels = cast(list[LevelRow], r["levels"])
        return levels, cast(list[TitleLevelRow], r["title_levels"] if r["in_title_series"] else [])

    @cached_property
    def _moves(self) -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_weighted_edges_from(
            (r["source"], r["target"], r["weight"]) for r in self.run("lateral_moves", gen=self.gen)
        )
        return g

    # curriculum --------------------------------------------------------------------------
    def _course_matches(self, courses: list[Course], q: np.ndarray) -> list[CourseMatch]:
        matches = []
        for r in self.run("curriculum_map", vectors=q.tolist(), gen=self.gen, n=5, pool=SENTENCE_POOL * 5):
            matches.append(
                CourseMatch(
                    title=courses[r["c"]].title,
                    skills=[
                        GapItem(id=s["id"], name=s["name"], name_en=s["name_en"], score=round(s["score"], 4))
                        for s in _top(r["skills"])
                    ],
                    tasks=[
                        GapItem(
                            id=t["id"],
                            name=t["name"],
                            score=round(t["score"], 4),
                            evidence=[Evidence(kind="occupation", text=t["occupation"])],
                        )
                        for t in _top(r["tasks"])
                    ],
                    occupations=[
                        GapItem(id=o["id"], name=o["name"], name_en=o["name_en"], score=round(o["score"], 4))
                        for o in _top(r["occupations"])
                    ],
                )
            )
        return matches

    def _sentence_tasks(self, q: np.ndarray, n: int) -> list[list[NearTask]]:
        rows = self.run("analyze", vectors=q.tolist(), gen=self.gen, n=n, pool=SENTENCE_POOL * n)
        return [cast(list[NearTask], r["tasks"]) for r in rows]

    def _skill_vocabulary(self) -> list[VocabularySkill]:
        return cast(list[VocabularySkill], self.run("skill_vocabulary", gen=self.gen))

    def _coverage_items(self, occ: str, q: np.ndarray) -> tuple[list[CoverageTask], list[CoverageSkill]]:
        cov = self.run("curriculum_coverage", uid=self.uid(occ), vectors=q.tolist())[0]
        return cast(list[CoverageTask], cov["tasks"]), cast(list[CoverageSkill], cov["skills"])

    def _prepares_for(self, q: np.ndarray) -> list[GapItem]:
        return [
            GapItem(id=r["id"], name=r["name"], name_en=r["name_en"], score=round(r["score"], 4))
            for r in self.run("curriculum_prepares_for", vectors=q.tolist(), gen=self.gen, partial=scoring.PARTIAL)
        ]

    # skills and batches ------------------------------------------------------------------
    def skill_name(self, skill: str) -> TermName:
        self.gen  # noqa: B018
        sid = resolve_name(skill, self._names["Skill"], "skill")
        return _term_name(self.run("skill_name", uid=self.uid(sid))[0])

    def skill_occupations(self, skill: str, k: int = 20) -> list[SkillOccupation]:
        k = check_k(k)
        self.gen  # noqa: B018
        sid = resolve_name(skill, self._names["Skill"], "skill")
        return [SkillOccupation(**r) for r in self.run("skill_occupations", uid=self.uid(sid), k=k)]

    def batches(self) -> list[BatchInfo]:
        out = []
        for r in self.run("batches", gen=self.gen):
            b = r["batch"]
            out.append(
                BatchInfo(
                    id=b["id"],
                    title=b["title"],
                    announced=b["announced"],
                    document_no=b.get("document_no"),
                    ordinal=b.get("ordinal"),
                    stated_counts=json.loads(b.get("stated_counts_json") or "{}"),
                    occupations=sorted(
                        (BatchOccupation(**o) for o in r["occupations"]), key=lambda o: (o.code or "", o.id)
                    ),
                    work_types=sorted(r["work_types"]),
                    unresolved=[
                        UnresolvedMember(name=m["name"], reason=m["reason"], source=str(Source(**m["source"])))
                        for m in json.loads(b.get("unresolved_json") or "[]")
                    ],
                    sources=b.get("sources") or [],
                )
            )
        return sorted(out, key=lambda b: b.announced)

    def special_abilities(self) -> list[SpecialAbilityInfo]:
        return [
            SpecialAbilityInfo(**r["ability"], level="、".join(sorted(r["levels"])), category=r["category"])
            for r in self.run("special_abilities", gen=self.gen)
        ]

    def close(self) -> None:
        self.driver.close()


def _term_name(r: dict) -> TermName:
    return TermName(
        id=r["id"],
        name_zh=r["name_zh"],
        name_en=r["name_en"],
        official=r["official"],
        source=_source_json(r["source_json"]),
    )


def _source_json(value: str | None) -> str | None:
    """A Source the load stored as JSON (graph/neo4j/load.py flattens maps), as file:line."""
    return str(Source(**json.loads(value))) if value else None


def _top(items: list[dict], n: int = 5) -> list[dict]:
    return sorted(items, key=lambda x: (-x["score"], x["id"]))[:n]


def load_generation(settings: Settings, generation, log=print) -> None:
    """`zhiye build --backend neo4j`: load the new generation into the configured server."""
    from graph.neo4j.load import load_generation as load
    from graph.neo4j.server import connection

    conn = connection(settings)
    if conn is None:
        raise BackendUnavailable("no Neo4j: set NEO4J_URI or run `zhiye neo4j start`")
    from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

    try:
        with conn.driver() as driver:
            load(driver, generation, log)
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise BackendUnavailable(f"Neo4j is unreachable, generation {generation.name} was not loaded: {exc}") from None
    except DriverError as exc:
        raise BackendUnavailable(f"Neo4j driver error, generation {generation.name} was not loaded: {exc}") from None
    except Neo4jError as exc:  # the server refused or failed a statement of the load: the same translation
        raise translate_server_error(f"load of {generation.name}", exc, settings.neo4j_timeout_s) from None
