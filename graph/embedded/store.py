"""The embedded backend: a networkx graph plus numpy vectors, loaded from a generation."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cached_property, partial
from pathlib import Path

import networkx as nx
import numpy as np
import orjson

from graph.encoding import EncoderFactory
from graph.query import fusion, scoring
from graph.query.composed import CHANNELS, ComposedQueries
from graph.query.node_text import display_name, node_text, work_type_name
from graph.query.records import (
    CoverageSkill,
    CoverageTask,
    DirectionLink,
    DirectionRow,
    GapSkill,
    GapTask,
    GroupRef,
    LevelRow,
    NearTask,
    TitleLevelRow,
    TitleRow,
    TitleTarget,
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


class EmbeddedStore(ComposedQueries):
    backend = "embedded"

    def __init__(self, generation: Path, encoder_factory: EncoderFactory):
        self.generation = generation
        super().__init__(encoder_factory)
        data = orjson.loads((generation / "dataset.json").read_bytes())
        self.meta = json.loads((generation / "meta.json").read_text())
        self.nodes: dict[str, dict] = {n["id"]: n for n in data["nodes"]}
        self.unresolved = data["unresolved"]
        self.g = nx.MultiDiGraph()
        self.g.add_nodes_from(self.nodes)
        self.g.add_edges_from((r["start"], r["end"], r["type"], r["props"]) for r in data["relations"])
        self.keys: list[str] = json.loads((generation / "vector_keys.json").read_text())
        self.vectors = np.load(generation / "vectors.npy")
        self.row_of = {k: i for i, k in enumerate(self.keys)}
        self.row_node = [k.split("#", 1)[0] for k in self.keys]
        lexical = json.loads((generation / "lexical.json").read_text())
        self.lex_keys = list(lexical)
        # two indexes, as in Neo4j: whole-occupation documents, and every other searchable node
        self._occupation_bm25 = _bm25([lexical.get(k, []) for k in self._profiles[0]])
        self._node_lex_keys = [k for k in self.lex_keys if self.nodes[k]["label"] != "Occupation"]
        self._node_bm25 = _bm25([lexical[k] for k in self._node_lex_keys])
        self.by_label: dict[str, list[str]] = defaultdict(list)
        for nid, n in self.nodes.items():
            self.by_label[n["label"]].append(nid)
        self._names = self._name_index()

    # basics ------------------------------------------------------------------------------
    def out(self, nid: str, rel: str) -> list[tuple[str, dict]]:
        return [(v, d) for _, v, k, d in self.g.out_edges(nid, keys=True, data=True) if k == rel]

    def inn(self, nid: str, rel: str) -> list[tuple[str, dict]]:
        return [(u, d) for u, _, k, d in self.g.in_edges(nid, keys=True, data=True) if k == rel]

    def _name_index(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for nid in self.by_label["Occupation"]:
            n = self.nodes[nid]
            for name in [
                nid,
                n["name_zh"],
                n.get("name_en"),
                n.get("code"),
                *n.get("former_codes", []),
                *n.get("aliases", []),
            ]:
                if name:
                    names.setdefault(name.casefold(), nid)
        return names

    def _occupation_id(self, name_or_code: str) -> str:
        return resolve_name(name_or_code, self._names, "occupation")

    def ref(self, nid: str) -> OccupationRef:
        n = self.nodes[nid]
        return OccupationRef(id=nid, code=n.get("code"), name_zh=n["name_zh"], name_en=n.get("name_en"))

    def name(self, nid: str) -> str:
        return display_name(self.nodes[nid], nid)

    def tasks(self, occ: str) -> list[str]:
        return [
            t
            for t, _ in sorted(
                self.out(occ, "HAS_TASK"), key=lambda x: (self.nodes[x[0]]["lang"] != "zh", x[1].get("order", 0))
            )
        ]

    def skills(self, occ: str) -> dict[str, dict]:
        return dict(self.out(occ, "REQUIRES"))

    def stats(self) -> Stats:
        return Stats(
            nodes=self.meta["stats"]["nodes"],
            relationships=self.meta["stats"]["relationships"],
            meta={
                "backend": self.backend,
                "model": self.meta["model"],
                "dimension": self.meta["dimension"],
                "generation": self.generation.name,
                "unresolved": self.meta["unresolved"],
            },
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
        occs, profiles = self._profiles
        cos = profiles @ q if q is not None else np.zeros(len(occs), np.float32)
        ids = set() if q is None else {occs[i] for i in _top(cos, fusion.CANDIDATES)}
        bm25 = self._occupation_bm25.get_scores(tokens) if tokens else np.zeros(len(occs))
        # BM25 counts within its pool only, as Neo4j's fulltext index returns it (both backends alike)
        in_pool = {int(i) for i in _top(bm25, fusion.CANDIDATES) if bm25[i] > 0}
        bm25 = np.where(np.isin(np.arange(len(occs)), list(in_pool)), bm25, 0.0)
        if "lexical" in channels:
            ids |= {occs[i] for i in in_pool}
        name_hit = self._names.get(text.strip().casefold())
        if name_hit:
            ids.add(name_hit)
        ids |= set(titles or {})
        row_sims = self.vectors @ q if q is not None and evidence else None
        cands = {}
        for occ in ids:
            i = self._profile_row[occ]
            cands[occ] = fusion.Candidate(
                occ,
                float(cos[i]) if q is not None else None,
                float(bm25[i]),
                partial(self._occupation_evidence, occ, row_sims) if evidence else [],
            )
        return fusion.hits(
            "Occupation", cands, text, channels, self.nodes.__getitem__, self.name, name_hit, limit, titles
        )

    def _occupation_evidence(self, occ: str, row_sims: np.ndarray | None) -> list[Evidence]:
        n = self.nodes[occ]
        ev = [Evidence(kind="description", text=n.get("definition") or n.get("definition_en") or n["name_zh"], id=occ)]
        rows = self._task_rows.get(occ)
        if row_sims is not None and rows is not None and len(rows):
            best = rows[int(np.argmax(row_sims[rows]))]
            task = self.row_node[best]
            ev.insert(
                0, Evidence(kind="task", text=self.nodes[task]["text"], id=task, score=round(float(row_sims[best]), 4))
            )
        return ev

    @cached_property
    def _vector_indexes(self) -> dict[str, np.ndarray]:
        """Vector rows grouped as the Neo4j backend indexes them (by label)."""
        groups: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.keys):
            if "#" not in key:
                groups[self.nodes[self.row_node[i]]["label"]].append(i)
        return {g: np.array(rows) for g, rows in groups.items()}

    @cached_property
    def _task_rows(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = defaultdict(list)
        for i, nid in enumerate(self.row_node):
            if self.nodes[nid]["label"] == "Task":
                occ, _ = self._owner(nid)
                if occ:
                    rows[occ].append(i)
        return {o: np.array(r) for o, r in rows.items()}

    def _node_hits(self, text: str, q: np.ndarray, tokens: list[str], labels: list[str], limit: int) -> list[SearchHit]:
        """Tasks, skills, title directions and work types: per-label vector pools plus the BM25
        pool over all of them (as Neo4j's vector and fulltext indexes give them)."""
        sims = self.vectors @ q
        cands: dict[str, dict[str, fusion.Candidate]] = {label: {} for label in labels}
        for index, rows in self._vector_indexes.items():
            if index in labels:
                for i in rows[_top(sims[rows], fusion.POOL[index])]:
                    cands[index][self.row_node[i]] = fusion.Candidate(self.row_node[i], float(sims[i]))
        if tokens:
            bm25 = self._node_bm25.get_scores(tokens)
            for i in _top(bm25, fusion.LEXICAL_POOL):
                nid = self._node_lex_keys[i]
                label = self.nodes[nid]["label"]
                if bm25[i] > 0 and label in cands:
                    c = cands[label].setdefault(
                        nid, fusion.Candidate(nid, float(sims[self.row_of[nid]]) if nid in self.row_of else None)
                    )
                    c.bm25 = float(bm25[i])
        out = []
        for label, group in cands.items():
            for nid, c in group.items():
                c.evidence = lambda nid=nid, c=c: self._node_evidence(nid, c.cosine)
            out += fusion.hits(label, group, text, CHANNELS, self.nodes.__getitem__, self.name, None, limit)
        return out

    def _node_evidence(self, nid: str, cosine: float | None) -> list[Evidence]:
        ev = [
            Evidence(kind=self.nodes[nid]["label"].lower(), text=self._text(nid), id=nid, score=round(cosine or 0.0, 4))
        ]
        if (o := self._owner_name(nid)) is not None:
            ev.append(Evidence(kind="occupation", text=o[1], id=o[0]))
        return ev

    def _owner_name(self, nid: str) -> tuple[str, str] | None:
        if self.nodes[nid]["label"] not in ("Task", "WorkType"):
            return None
        occ, _ = self._owner(nid)
        return (occ, self.nodes[occ]["name_zh"]) if occ else None

    @cached_property
    def _owner_of(self) -> dict[str, str]:
        """Task or work type → its occupation."""
        owners = {}
        for u, v, k in self.g.edges(keys=True):
            if k == "HAS_TASK":
                owners[v] = u
            elif k == "WORK_TYPE_OF":
                owners.setdefault(u, v)
        return owners

    def _owner(self, nid: str) -> tuple[str | None, str]:
        label = self.nodes[nid]["label"]
        if label == "Occupation":
            return nid, "description"
        if label in ("Task", "WorkType"):
            return self._owner_of.get(nid), label.lower()
        return None, label

    def _text(self, nid: str) -> str:
        return node_text(self.nodes[nid]["label"], self.nodes[nid], nid)

    def _title_rows(self) -> tuple[list[TitleRow], np.ndarray]:
        ids = json.loads((self.generation / "title_keys.json").read_text())
        rows = [
            TitleRow(
                id=t,
                text=self.nodes[t]["text"],
                targets=sorted(
                    (
                        TitleTarget(occupation=o, kind=d["kind"][0], broad=d["broad"], group=self._group_ref(o))
                        for o, d in self.out(t, "TITLE_OF")
                    ),
                    key=lambda x: x["occupation"],
                ),
            )
            for t in ids
        ]
        return rows, np.load(self.generation / "title_vectors.npy")

    def _group_ref(self, nid: str) -> GroupRef | None:
        n = self.nodes[nid]
        if n["label"] != "Category":
            return None
        return GroupRef(code=n["code"], name=n["name"], name_en=n.get("name_en"), level=n["level"])

    # one occupation ----------------------------------------------------------------------
    def _profile(self, occupation: str) -> Profile:
        occ = self.occupation_id(occupation)
        n = self.nodes[occ]

        def level(lv: str) -> int | str:
            rank = self.nodes[lv]["rank"]
            return rank if rank is not None else self.nodes[lv]["name"]

        levels = {level(lv) for lv, d in self.out(occ, "CERTIFIABLE_AT") if d.get("catalog_row")}
        every = {level(lv) for lv, _ in self.out(occ, "CERTIFIABLE_AT")}
        wts = sorted((self.nodes[w] for w, _ in self.inn(occ, "WORK_TYPE_OF")), key=work_type_name)
        work_types = [work_type_name(w) for w in wts]
        batches = sorted(
            (
                BatchRef(
                    id=b,
                    announced=self.nodes[b]["announced"],
                    document_no=self.nodes[b].get("document_no"),
                    title=self.nodes[b]["title"],
                    ordinal=self.nodes[b].get("ordinal"),
                    raised_from_work_type=d.get("raised_from_work_type", False),
                    former_parent=d.get("former_parent"),
                    source=_source_str(self.nodes[b]["sources"][0]) if self.nodes[b]["sources"] else None,
                )
                for b, d in self.out(occ, "ANNOUNCED_IN")
            ),
            key=lambda b: b.announced,
        )
        path: list[dict[str, str | None]] = []
        cat = next((c for c, _ in self.out(occ, "IN")), None)
        while cat:
            c = self.nodes[cat]
            path.insert(0, {"code": c["code"], "name": c["name"], "level": c["level"], "name_en": c.get("name_en")})
            cat = next((p for p, _ in self.out(cat, "PART_OF")), None)
        skills = sorted(self.skills(occ).items(), key=lambda x: (-x[1]["tasks"], -x[1]["score"], x[0]))
        directions = [d.name for d in self.title_directions(occ)]
        return Profile(
            id=occ,
            code=n.get("code"),
            former_codes=n.get("former_codes", []),
            name_zh=n["name_zh"],
            name_en=n.get("name_en"),
            aliases=n.get("aliases", []),
            definition=n.get("definition"),
            definition_en=n.get("definition_en"),
            flags=n.get("flags", []),
            tasks=[
                TaskOut(
                    id=t,
                    text=self.nodes[t]["text"],
                    lang=self.nodes[t]["lang"],
                    order=self.nodes[t]["order"],
                    source=_source_str(self.nodes[t]["sources"][0]) if self.nodes[t]["sources"] else None,
                )
                for t in self.tasks(occ)
            ],
            work_types=work_types,
            skill_levels=level_order(levels),
            all_levels=level_order(every),
            work_type_levels={
                work_type_name(w): level_order({level(lv) for lv, _ in self.out(w["id"], "CERTIFIABLE_AT")})
                for w in wts
                if self.out(w["id"], "CERTIFIABLE_AT")
            },
            batches=batches,
            category_path=path,
            skills=[
                SkillRef(
                    id=s,
                    name=self.nodes[s]["name_zh"],
                    name_en=self.nodes[s].get("name_en"),
                    kind=self.nodes[s]["kind"],
                    score=d["score"],
                    tasks=d["tasks"],
                    method=d.get("method"),
                    version=d.get("version"),
                    written_as=self.nodes[s].get("written_as"),
                )
                for s, d in skills
            ],
            title_directions=directions,
            sources=[_source_str(s) for s in n["sources"]],
            name_en_official=n.get("name_en_official"),
            name_en_source=_source_str(n["name_en_source"]) if n.get("name_en_source") else None,
            work_type_names=[
                WorkTypeName(
                    name_zh=w.get("name_zh"),
                    name_en=w.get("name_en"),
                    official=w.get("name_en_official"),
                    source=_source_str(w["name_en_source"]) if w.get("name_en_source") else None,
                )
                for w in wts
            ],
        )

    def _direction_links(self, occ: str) -> list[DirectionRow]:
        rows: dict[str, DirectionRow] = {}
        for task in self.tasks(occ):  # Chinese tasks first, in order
            t = self.nodes[task]
            for d, props in self.out(task, "RELATES_TO"):
                row = rows.setdefault(
                    d, DirectionRow(id=d, name=self.nodes[d]["name"], name_en=self.nodes[d].get("name_en"), links=[])
                )
                row["links"].append(
                    DirectionLink(
                        id=task,
                        text=t["text"],
                        lang=t["lang"],
                        order=t.get("order", 0),
                        score=props["score"],
                        confidence=props.get("confidence"),
                        work_area=props["work_area"],
                        method=props.get("method"),
                        version=props.get("version"),
                    )
                )
        return list(rows.values())

    @cached_property
    def _direction_names(self) -> dict[str, str]:
        directions = self.by_label["TitleDirection"]
        names = {self.nodes[d]["name_en"].casefold(): d for d in directions if self.nodes[d].get("name_en")}
        names.update({self.nodes[d]["name"].casefold(): d for d in directions})
        names.update({d.casefold(): d for d in directions})
        return names

    def direction_name(self, direction: str) -> TermName:
        return self._term_name(resolve_name(direction, self._direction_names, "title direction"))

    def direction_occupations(self, direction: str, k: int = 20) -> list[DirectionOccupation]:
        k = check_k(k)
        did = resolve_name(direction, self._direction_names, "title direction")
        per_occ: dict[str, list[Evidence]] = defaultdict(list)
        links: dict[str, list[dict]] = defaultdict(list)
        for task, props in self.inn(did, "RELATES_TO"):
            occ, _ = self._owner(task)
            if occ:
                per_occ[occ].append(Evidence(kind="task", text=self.nodes[task]["text"], id=task, score=props["score"]))
                links[occ].append(props)
        out = [
            DirectionOccupation(
                id=o,
                code=self.nodes[o].get("code"),
                name_zh=self.nodes[o]["name_zh"],
                name_en=self.nodes[o].get("name_en"),
                score=scoring.direction_pair_score(links[o]),
                evidence=sorted(ev, key=lambda e: -(e.score or 0)),
            )
            for o, ev in per_occ.items()
        ]
        return sorted(out, key=lambda x: (-x.score, x.id))[:k]

    # similarity --------------------------------------------------------------------------
    @cached_property
    def _profiles(self) -> tuple[list[str], np.ndarray]:
        """Per occupation: description + mean task vector, computed at build time."""
        return (
            json.loads((self.generation / "profile_keys.json").read_text()),
            np.load(self.generation / "profiles.npy"),
        )

    @cached_property
    def _profile_row(self) -> dict[str, int]:
        return {o: i for i, o in enumerate(self._profiles[0])}

    def _directions_of(self, occ: str) -> set[str]:
        return {d for t in self.tasks(occ) for d, _ in self.out(t, "RELATES_TO")}

    @cached_property
    def _compared(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """Each occupation's skills and title directions, as similar-occupation scoring compares them. Walked
        once per generation: walking them per candidate (100 a request) took ~60% of the server's CPU in
        the load bench (issue 18)."""
        return {o: (frozenset(self.skills(o)), frozenset(self._directions_of(o))) for o in self.by_label["Occupation"]}

    def _similar(self, occ: str, k: int, pool: int = 100) -> list[SimilarOccupation]:
        occs, mat = self._profiles
        i = self._profile_row[occ]
        sims = mat @ mat[i]
        out = [self._pair(occ, occs[j], float(sims[j])) for j in np.argsort(-sims, kind="stable")[: pool + 1] if j != i]
        return sorted(out, key=lambda s: (-s.score, s.id))[:k]

    def _pair(self, occ: str, other: str, cosine: float | None = None) -> SimilarOccupation:
        if cosine is None:
            _, mat = self._profiles
            cosine = float(mat[self._profile_row[occ]] @ mat[self._profile_row[other]])
        (mine, my_dirs), (theirs, their_dirs) = self._compared[occ], self._compared[other]
        n = self.nodes[other]
        row = {
            "id": other,
            "code": n.get("code"),
            "name_zh": n["name_zh"],
            "name_en": n.get("name_en"),
            "shared_skills": sorted(self.nodes[s]["name_zh"] for s in mine & theirs),
            "shared_directions": sorted(self.nodes[d]["name"] for d in my_dirs & their_dirs),
        }
        return scoring.similar_occupation(
            row,
            cosine,
            scoring.jaccard(mine, theirs),
            scoring.category_proximity(self.nodes[occ].get("code"), self.nodes[other].get("code")),
            scoring.jaccard(my_dirs, their_dirs),
            self._similarity_model,
        )

    # careers -----------------------------------------------------------------------------
    def _gap_data(self, src: str, tgt: str) -> tuple[set[str], list[GapSkill], list[GapTask]]:
        theirs = [
            GapSkill(id=k, name=self.nodes[k]["name_zh"], name_en=self.nodes[k].get("name_en"), **d)
            for k, d in self.skills(tgt).items()
        ]
        own = sorted(t for t in self.tasks(src) if t in self.row_of)
        src_rows = [self.row_of[t] for t in own]
        tasks: list[GapTask] = []
        for t in self.tasks(tgt):
            if t in self.row_of and self.nodes[t]["lang"] == "zh":
                best, closest = None, None
                if src_rows:
                    sims = self.vectors[src_rows] @ self.vectors[self.row_of[t]]
                    j = int(np.argmax(sims))  # the first of equals, in id order, as the Cypher orders them
                    best, closest = float(sims[j]), self.nodes[own[j]]["text"]
                tasks.append(
                    GapTask(id=t, text=self.nodes[t]["text"], order=self.nodes[t]["order"], best=best, closest=closest)
                )
        return set(self.skills(src)), theirs, tasks

    def _ladders(self, occ: str) -> tuple[list[LevelRow], list[TitleLevelRow]]:
        levels = [
            LevelRow(
                id=lv,
                rank=self.nodes[lv]["rank"],
                name=self.nodes[lv]["name"],
                name_en=self.nodes[lv].get("name_en"),
                own=bool(d.get("catalog_row")),
            )
            for lv, d in self.out(occ, "CERTIFIABLE_AT")
            if self.nodes[lv]["rank"]
        ]
        titles: list[TitleLevelRow] = []
        if self._directions_of(occ):  # its tasks reach a title direction: the title ladder applies
            for t in self.by_label["TitleLevel"]:
                reqs = sorted(
                    (self.nodes[r] for r, _ in self.out(t, "HAS_REQUIREMENT") if self.nodes[r]["kind"] == "education"),
                    key=lambda r: r["order"],
                )
                conditions = [
                    {k: r.get(k) for k in ("kind", "text", "order", "direction", "need", "of_items")}
                    | {"source": _source_str(r["sources"][0])}
                    for r in (self.nodes[r] for r, _ in self.out(t, "HAS_REQUIREMENT"))
                ]
                titles.append(
                    TitleLevelRow(
                        id=t,
                        name=self.nodes[t]["name"],
                        name_en=self.nodes[t].get("name_en"),
                        rank=self.nodes[t]["rank"],
                        requirements=[r["text"] for r in reqs],
                        conditions=conditions,
                    )
                )
        return levels, titles

    def _occ_ref(self, occ: str) -> OccupationRef:
        return self.ref(occ)

    @cached_property
    def _moves(self) -> nx.DiGraph:
        """Lateral moves: the SIMILAR_TO graph, weighted by 1 − profile cosine."""
        g = nx.DiGraph()
        g.add_weighted_edges_from(
            (u, v, d["weight"]) for u, v, k, d in self.g.edges(keys=True, data=True) if k == "SIMILAR_TO"
        )
        return g

    # curriculum --------------------------------------------------------------------------
    @cached_property
    def _label_rows(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(self.row_node):
            rows[self.nodes[n]["label"]].append(i)
        return {label: np.array(r) for label, r in rows.items()}

    def _course_matches(self, courses: list[Course], q: np.ndarray) -> list[CourseMatch]:
        sims = q @ self.vectors.T  # courses × rows
        occs, prof = self._profiles
        occ_sims = q @ prof.T
        skill_rows, task_rows = self._label_rows["Skill"], self._label_rows["Task"]
        matches = []
        for c, course in enumerate(courses):
            top_s = skill_rows[_top(sims[c, skill_rows], 5)]
            top_t = task_rows[_top(sims[c, task_rows], 5)]
            top_o = _top(occ_sims[c], 5)
            matches.append(
                CourseMatch(
                    title=course.title,
                    skills=[
                        GapItem(
                            id=self.row_node[r],
                            name=self.name(self.row_node[r]),
                            name_en=self.nodes[self.row_node[r]].get("name_en"),
                            score=round(float(sims[c, r]), 4),
                        )
                        for r in top_s
                    ],
                    tasks=[
                        GapItem(
                            id=self.row_node[r],
                            name=self.name(self.row_node[r]),
                            score=round(float(sims[c, r]), 4),
                            evidence=[
                                Evidence(
                                    kind="occupation", text=self.nodes[self._owner_of[self.row_node[r]]]["name_zh"]
                                )
                            ],
                        )
                        for r in top_t
                    ],
                    occupations=[
                        GapItem(
                            id=occs[o],
                            name=self.nodes[occs[o]]["name_zh"],
                            name_en=self.nodes[occs[o]].get("name_en"),
                            score=round(float(occ_sims[c, o]), 4),
                        )
                        for o in top_o
                    ],
                )
            )
        return matches

    def _sentence_tasks(self, q: np.ndarray, n: int) -> list[list[NearTask]]:
        rows = self._vector_indexes["Task"]  # one row per task, as Neo4j's task index holds them
        sims = q @ self.vectors[rows].T
        out: list[list[NearTask]] = []
        for c in range(len(q)):
            # ranked as cypher/analyze.cypher ranks them: cosine to 4 decimals, then id (the backends' float
            # cosines differ in the 7th decimal, and a sentence's tenth-nearest is often a near-tie)
            pool = _top(sims[c], 3 * n)
            top = sorted(pool, key=lambda r: (-round(float(sims[c, r]), 4), self.row_node[rows[r]]))[:n]
            found: list[NearTask] = []
            for r in top:
                task = self.row_node[rows[r]]
                occ = self._owner_of[task]
                found.append(
                    NearTask(
                        id=task,
                        text=self.nodes[task]["text"],
                        occupation_id=occ,
                        occupation=self.nodes[occ]["name_zh"],
                        cosine=float(sims[c, r]),
                    )
                )
            out.append(found)
        return out

    def _skill_vocabulary(self) -> list[VocabularySkill]:
        return [
            VocabularySkill(
                id=s,
                name_zh=self.nodes[s]["name_zh"],
                name_en=self.nodes[s].get("name_en"),
                names=[self.nodes[s]["name_zh"], *self.nodes[s].get("merged", [])],
            )
            for s in sorted(self.by_label["Skill"])
        ]

    def _coverage_items(self, occ: str, q: np.ndarray) -> tuple[list[CoverageTask], list[CoverageSkill]]:
        tasks = [
            CoverageTask(
                id=t,
                name=self.nodes[t]["text"],
                kind="task",
                lang=self.nodes[t]["lang"],
                order=self.nodes[t]["order"],
                skills=[s for s, _ in self.out(t, "USES_SKILL")],
                sims=(q @ self.vectors[self.row_of[t]]).tolist(),
            )
            for t in self.tasks(occ)
            if t in self.row_of
        ]
        skills = [
            CoverageSkill(id=s, name=self.nodes[s]["name_zh"], name_en=self.nodes[s].get("name_en"), kind="skill")
            for s in self.skills(occ)
        ]
        return tasks, skills

    def _prepares_for(self, q: np.ndarray) -> list[GapItem]:
        best_per_row = (q @ self.vectors.T).max(axis=0)
        scores = []
        for occ, rows in self._task_rows.items():
            scores.append(
                (float(np.mean(best_per_row[rows] >= scoring.PARTIAL)) + float(best_per_row[rows].mean()), occ)
            )
        scores.sort(key=lambda x: (-x[0], x[1]))
        return [
            GapItem(id=o, name=self.nodes[o]["name_zh"], name_en=self.nodes[o].get("name_en"), score=round(s, 4))
            for s, o in scores[:10]
        ]

    # skills and batches ------------------------------------------------------------------
    @cached_property
    def _skill_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for s in self.by_label["Skill"]:  # an English label or a merged synonym names the skill too
            for name in (self.nodes[s].get("name_en"), *self.nodes[s].get("merged", [])):
                if name:
                    names.setdefault(name.casefold(), s)
        names.update({self.nodes[s]["name_zh"].casefold(): s for s in self.by_label["Skill"]})
        names.update({s.casefold(): s for s in self.by_label["Skill"]})
        return names

    def skill_name(self, skill: str) -> TermName:
        return self._term_name(resolve_name(skill, self._skill_names, "skill"))

    def _term_name(self, nid: str) -> TermName:
        n = self.nodes[nid]
        return TermName(
            id=nid,
            name_zh=n.get("name_zh") or n["name"],
            name_en=n.get("name_en"),
            official=n.get("name_en_official"),
            source=_source_str(n["name_en_source"]) if n.get("name_en_source") else None,
        )

    def skill_occupations(self, skill: str, k: int = 20) -> list[SkillOccupation]:
        k = check_k(k)
        sid = resolve_name(skill, self._skill_names, "skill")
        rows = [
            SkillOccupation(
                id=o,
                code=self.nodes[o].get("code"),
                name_zh=self.nodes[o]["name_zh"],
                name_en=self.nodes[o].get("name_en"),
                tasks=d["tasks"],
                score=d["score"],
                method=d.get("method"),
                version=d.get("version"),
            )
            for o, d in self.inn(sid, "REQUIRES")
        ]
        return sorted(rows, key=lambda r: (-r.tasks, -r.score, r.id))[:k]

    def batches(self) -> list[BatchInfo]:
        out = []
        for b in self.by_label["Batch"]:
            n = self.nodes[b]
            members = self.inn(b, "ANNOUNCED_IN")
            out.append(
                BatchInfo(
                    id=b,
                    title=n["title"],
                    announced=n["announced"],
                    document_no=n.get("document_no"),
                    ordinal=n.get("ordinal"),
                    stated_counts=n.get("stated_counts", {}),
                    occupations=sorted(
                        (
                            BatchOccupation(
                                **self.ref(u).model_dump(),
                                raised_from_work_type=d.get("raised_from_work_type", False),
                                former_parent=d.get("former_parent"),
                            )
                            for u, d in members
                            if self.nodes[u]["label"] == "Occupation"
                        ),
                        key=lambda r: (r.code or "", r.id),
                    ),
                    work_types=sorted(
                        work_type_name(self.nodes[u]) for u, _ in members if self.nodes[u]["label"] == "WorkType"
                    ),
                    unresolved=[
                        UnresolvedMember(name=m["name"], reason=m["reason"], source=_source_str(m["source"]))
                        for m in n.get("unresolved", [])
                    ],
                    sources=[_source_str(s) for s in n["sources"]],
                )
            )
        return sorted(out, key=lambda b: b.announced)

    def special_abilities(self) -> list[SpecialAbilityInfo]:
        out = []
        for a in self.by_label["SpecialAbility"]:
            n = self.nodes[a]
            categories = [self.nodes[c] for c, _ in self.out(a, "IN")]
            out.append(
                SpecialAbilityInfo(
                    id=a,
                    code=n["code"],
                    name=n["name"],
                    level="、".join(sorted(self.nodes[lv]["name"] for lv, _ in self.out(a, "CERTIFIABLE_AT"))),
                    category={k: categories[0].get(k) for k in ("code", "name", "name_en", "level")}
                    if categories
                    else None,
                    sources=[_source_str(s) for s in n["sources"]],
                )
            )
        return sorted(out, key=lambda x: x.code)


def _bm25(docs: list[list[str]]):
    import bm25s

    # k1/b as Lucene's defaults, so Neo4j's fulltext (Lucene BM25) scores alike
    index = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    index.index([d or ["∅"] for d in docs], show_progress=False)
    return index


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n highest scores, best first, ties by index: what a stable argsort of -scores puts first,
    without sorting the whole array (a job ad's 40 sentences against 10.8k tasks: 40 full sorts took 0.07 s).
    Every score tied with the n-th is a candidate, so a tie at the cut goes to the lower index as in the sort.

    >>> _top(np.array([0.1, 0.9, 0.5, 0.9, 0.5]), 3).tolist()
    [1, 3, 2]
    """
    n = min(n, len(scores))
    if n <= 0:
        return np.array([], dtype=int)
    nth = -np.partition(-scores, n - 1)[n - 1]
    candidates = np.flatnonzero(scores >= nth)
    return candidates[np.lexsort((candidates, -scores[candidates]))][:n]


def _source_str(s: dict) -> str:
    where = f"{s['file']}:{s['line']}" if s.get("line") else s["file"]
    return f"{where} (row {s['row']})" if s.get("row") else where
