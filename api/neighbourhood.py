"""An occupation's neighbourhood as nodes and edges, built from the store's own answers
(profile, title directions, similar occupations) so it works on either backend."""

from __future__ import annotations

from api.schemas import GraphEdge, GraphNode, GraphOut
from graph.query.protocol import OccupationStore
from graph.query.results import REQUIRES_METHOD, inferred, sourced

MAX_TASKS = 12
MAX_SKILLS = 12


def neighbourhood(store: OccupationStore, occupation: str, k: int = 6) -> GraphOut:
    p = store.profile(occupation)
    nodes = [
        GraphNode(
            id=p.id,
            kind="occupation",
            name=p.name_zh,
            data={"code": p.code, "name_en": p.name_en},
            provenance=p.field_kinds.get("name_zh"),
        )
    ]
    edges: list[GraphEdge] = []

    # one language per view: the Chinese tasks when there are any, else the English ones
    langs = {t.lang for t in p.tasks}
    tasks = [t for t in p.tasks if t.lang == ("zh" if "zh" in langs else "en")][:MAX_TASKS]
    for t in tasks:
        nodes.append(
            GraphNode(
                id=t.id, kind="task", name=t.text, data={"lang": t.lang, "order": t.order}, provenance=t.provenance
            )
        )
        edges.append(GraphEdge(source=p.id, target=t.id, type="HAS_TASK", provenance=sourced(t.source)))

    skill_ids = {}
    for s in p.skills[:MAX_SKILLS]:
        skill_ids[s.name] = s.id
        nodes.append(
            GraphNode(
                id=s.id,
                kind="skill",
                name=s.name,
                data={"tasks": s.tasks, "kind": s.kind, "name_en": s.name_en},
                provenance=s.provenance,
            )
        )
        edges.append(GraphEdge(source=p.id, target=s.id, type="REQUIRES", score=s.score, provenance=s.provenance))

    shown_tasks = {t.id for t in tasks}
    for d in store.title_directions(p.id):
        nodes.append(
            GraphNode(
                id=d.id,
                kind="direction",
                name=d.name,
                data={"score": d.score, "name_en": d.name_en},
                provenance=d.provenance,
            )
        )
        via = {e.id: e for e in d.evidence if e.kind == "task" and e.id is not None and e.id in shown_tasks}
        for task_id, e in via.items():
            edges.append(
                GraphEdge(source=task_id, target=d.id, type="RELATES_TO", score=e.score, provenance=d.provenance)
            )
        if not via:
            edges.append(GraphEdge(source=p.id, target=d.id, type="RELATES_TO", score=d.score, provenance=d.provenance))

    for o in store.similar_occupations(p.id, k):
        nodes.append(
            GraphNode(
                id=o.id,
                kind="similar",
                name=o.name_zh,
                data={
                    "code": o.code,
                    "name_en": o.name_en,
                    "score": o.score,
                    "match": o.match,
                    "shared_skills": o.shared_skills,
                },
                provenance=o.provenance,
            )
        )
        edges.append(GraphEdge(source=p.id, target=o.id, type="SIMILAR", score=o.score, provenance=o.provenance))
        for name in o.shared_skills:
            if name in skill_ids:
                edges.append(
                    GraphEdge(
                        source=o.id,
                        target=skill_ids[name],
                        type="REQUIRES",
                        provenance=inferred(REQUIRES_METHOD),  # the similar occupation's own link
                    )
                )
    return GraphOut(center=p.id, nodes=nodes, edges=edges)
