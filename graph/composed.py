"""Query composition both backends share: validating input, encoding the query once, ranking,
and building career paths from ladders, similar occupations, skill gaps and the lateral-move
graph. A backend supplies data access only (its `_occupation_hits`, `_node_hits`, `_ladders`,
`_similar`, `_moves`, `skill_gap`, `occupation_id`, `_occ_ref`), so both answer alike."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from itertools import islice
from typing import Any, Callable

import networkx as nx
import numpy as np

from graph.lexical import tokenize
from graph import scoring
from graph.errors import InvalidInput
from graph.results import (
    CareerPath, CareerPaths, Course, CourseMatch, CoverageItem, CurriculumMap, Evidence, GapItem, OccupationRef,
    SearchHit, SearchResults, SimilarOccupation, SkillGap, Step,
)
from graph.store import MAX_COURSES, MAX_QUERY_CHARS
from graph.validate import check_k, check_labels, check_text

CHANNELS = ("vector", "lexical", "name")


class ComposedQueries:
    _encoder_factory: Callable[[], Any]
    #: a backend whose candidate fetches are round trips to a server runs the occupation and the
    #: other-label fetch side by side (the server works while the client waits)
    concurrent_fetches = False

    @cached_property
    def _fetcher(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=4, thread_name_prefix="zhiye-fetch")

    @cached_property
    def encoder(self):
        return self._encoder_factory()

    def _embed(self, text: str) -> np.ndarray:
        return self.encoder.encode_queries([text])[0].astype(np.float32)

    # search ------------------------------------------------------------------------------
    def search(self, text: str, labels: list[str] | None = None, k: int = 10) -> SearchResults:
        text = check_text(text, MAX_QUERY_CHARS)
        k = check_k(k)
        labels = check_labels(labels)
        q, tokens = self._embed(text), tokenize(text)
        hits: list[SearchHit] = []
        other = [l for l in labels if l != "Occupation"]
        nodes = None
        if other and "Occupation" in labels and self.concurrent_fetches:
            nodes = self._fetcher.submit(self._node_hits, text, q, tokens, other, k)
        if "Occupation" in labels:
            hits += self._occupation_hits(text, q, tokens, CHANNELS, k)
        if other:
            hits += nodes.result() if nodes is not None else self._node_hits(text, q, tokens, other, k)
        hits.sort(key=lambda h: (-h.score, h.id))
        return SearchResults(query=text, results=hits[:k])

    def occupation_ranking(self, text: str, channels: tuple[str, ...] = CHANNELS, k: int = 10) -> list[str]:
        """Occupation ids ranked by the given channels only (the evaluation compares them)."""
        q = self._embed(text) if "vector" in channels else None
        return [h.id for h in self._occupation_hits(text, q, tokenize(text), channels, k)]

    def similar_occupations(self, occupation: str, k: int = 10) -> list[SimilarOccupation]:
        return self._similar(self.occupation_id(occupation), check_k(k))

    # careers -----------------------------------------------------------------------------
    def skill_gap(self, source: str, target: str) -> SkillGap:
        """The target's skills the source lacks (most used first) and its Chinese tasks the source
        does not already do (least familiar first), with a graded task coverage."""
        src, tgt = self.occupation_id(source), self.occupation_id(target)
        mine, theirs, target_tasks = self._gap_data(src, tgt)
        missing = sorted((s for s in theirs if s["id"] not in mine), key=lambda s: (-s["tasks"], -s["score"], s["id"]))
        missing_tasks, familiarity = [], []
        for t in sorted(target_tasks, key=lambda t: t["order"]):
            best = t["best"] if t["best"] is not None else 0.0
            familiarity.append(scoring.familiarity(best))
            if best < scoring.TASK_KNOWN:
                missing_tasks.append(GapItem(id=t["id"], name=t["text"], score=round(1 - best, 4),
                                             evidence=[Evidence(kind="closest_known_task_cosine", text=f"{best:.3f}", score=round(best, 4))]))
        return SkillGap(
            source=self._occ_ref(src), target=self._occ_ref(tgt),
            missing_skills=[GapItem(id=s["id"], name=s["name"], score=float(s["tasks"]),
                                    evidence=[Evidence(kind="target_tasks_using_it", text=str(s["tasks"]))]) for s in missing],
            missing_tasks=sorted(missing_tasks, key=lambda g: (-g.score, g.id)),
            shared_skills=sorted(s["name"] for s in theirs if s["id"] in mine),
            coverage=round(sum(familiarity) / len(familiarity), 4) if familiarity else 0.0)

    def career_paths(self, occupation: str, to: str | None = None, k: int = 5) -> CareerPaths:
        occ = self.occupation_id(occupation)
        k = check_k(k)
        levels, title_levels = self._ladders(occ)
        levels = sorted(levels, key=lambda l: -l["rank"])  # 5 初级工 → 1 高级技师
        skill_ladder = [Step(kind="skill_level", from_name=a["name"], to_name=b["name"], to_id=b["id"])
                        for a, b in zip(levels, levels[1:])]
        titles = sorted(title_levels, key=lambda l: l["rank"])  # 助理工程师 → 正高级工程师
        title_ladder = [Step(kind="title_level", from_name=a["name"], to_name=b["name"], to_id=b["id"],
                             requirements=b["requirements"]) for a, b in zip(titles, titles[1:])]
        if to:
            paths = self._paths_to(occ, self.occupation_id(to), k)
        else:
            paths = [CareerPath(target_id=s.id, target_name=s.name_zh, score=s.score,
                                steps=[self._lateral(occ, s.id, 1 - s.score)]) for s in self._similar(occ, k)]
        return CareerPaths(occupation=self._occ_ref(occ), skill_ladder=skill_ladder, title_ladder=title_ladder, paths=paths)

    def _lateral(self, a: str, b: str, cost: float) -> Step:
        gap = self.skill_gap(a, b)
        return Step(kind="lateral", from_name=gap.source.name_zh, to_name=gap.target.name_zh, to_id=b, cost=round(cost, 4),
                    skills_to_acquire=[g.name for g in gap.missing_skills[:10]],
                    tasks_to_acquire=[g.name for g in gap.missing_tasks[:5]])

    def _paths_to(self, src: str, dst: str, k: int) -> list[CareerPath]:
        """The k cheapest chains of lateral moves (Yen's algorithm over SIMILAR_TO, weight 1 − cosine)."""
        if src == dst:
            return []
        moves: nx.DiGraph = self._moves
        try:
            found = list(islice(nx.shortest_simple_paths(moves, src, dst, weight="weight"), k))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            found = [[src, dst]]  # no chain of close moves: the direct move, with its full gap
        out = []
        for path in found:
            steps = [self._lateral(a, b, moves[a][b]["weight"] if moves.has_edge(a, b) else 1.0)
                     for a, b in zip(path, path[1:])]
            out.append(CareerPath(target_id=dst, target_name=steps[-1].to_name,
                                  score=round(1 - sum(s.cost or 0 for s in steps), 4), steps=steps))
        return out

    # curriculum --------------------------------------------------------------------------
    def curriculum_map(self, courses: list[Course], target: str | None = None) -> CurriculumMap:
        if not courses:
            raise InvalidInput("give at least one course")
        if len(courses) > MAX_COURSES:
            raise InvalidInput(f"at most {MAX_COURSES} courses, got {len(courses)}")
        tgt = self.occupation_id(target) if target else None
        q = self.encoder.encode_queries([f"{c.title}：{c.description}".strip("：") for c in courses]).astype(np.float32)
        result = CurriculumMap(courses=self._course_matches(courses, q))
        if tgt:
            tasks, skills = self._coverage_items(tgt, q)
            items = sorted(tasks, key=lambda t: (t["lang"] != "zh", t["order"])) + sorted(skills, key=lambda s: s["id"])
            for item in items:
                best = int(np.argmax(item["sims"]))
                score = float(item["sims"][best])
                status = "covered" if score >= scoring.COVERED else "partial" if score >= scoring.PARTIAL else "missing"
                result.coverage.append(CoverageItem(id=item["id"], name=item["name"], kind=item["kind"], status=status,
                                                    score=round(score, 4), best_course=courses[best].title))
            result.target = self._occ_ref(tgt)
            result.coverage_summary = {s: sum(1 for c in result.coverage if c.status == s) for s in ("covered", "partial", "missing")}
        result.prepares_for = self._prepares_for(q)
        return result

    # supplied by a backend ---------------------------------------------------------------
    def occupation_id(self, name_or_code: str) -> str: ...
    def _occ_ref(self, occ: str) -> OccupationRef: ...
    def _ladders(self, occ: str) -> tuple[list[dict], list[dict]]: ...
    def _course_matches(self, courses: list[Course], q: np.ndarray) -> list[CourseMatch]: ...
    def _coverage_items(self, occ: str, q: np.ndarray) -> tuple[list[dict], list[dict]]:
        """The occupation's tasks {id, name, kind, lang, order, sims} and skills {id, name, kind, sims},
        sims being the cosine to each course."""
    def _prepares_for(self, q: np.ndarray) -> list[GapItem]:
        """The ten occupations whose tasks the whole curriculum covers best."""
    def _gap_data(self, src: str, tgt: str) -> tuple[set[str], list[dict], list[dict]]:
        """(source skill ids, target skills {id, name, tasks, score}, target Chinese tasks {id, text, order,
        best: the closest source task's cosine})."""
    def _similar(self, occ: str, k: int) -> list[SimilarOccupation]: ...
