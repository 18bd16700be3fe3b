"""The resolved dataset: nodes and relations with provenance, serialised canonically."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from graph.errors import BuildError
from graph.model import Node, NodeBase, Relation, RelationType, Source

N = TypeVar("N", bound=NodeBase)


class Unresolved(BaseModel):
    """A name that could not be tied to one entity: listed, never merged or dropped silently."""

    name: str
    kind: str
    reason: str
    source: Source
    suggestions: list[str] = []


class Dataset(BaseModel):
    nodes: list[Node] = []
    relations: list[Relation] = []
    unresolved: list[Unresolved] = []
    inputs: dict[str, str] = {}  # file name → sha256, so a generation says what it was built from

    def stats(self) -> dict[str, Any]:
        return {
            "nodes": dict(sorted(Counter(n.label for n in self.nodes).items())),
            "relationships": dict(sorted(Counter(r.type for r in self.relations).items())),
        }

    def canonical(self) -> Dataset:
        """Sorted so two builds of the same inputs serialise to the same bytes."""
        return Dataset(
            nodes=sorted(self.nodes, key=lambda n: (n.label, n.id)),
            relations=sorted(self.relations, key=lambda r: r.key),
            unresolved=sorted(self.unresolved, key=lambda u: (u.kind, u.name, str(u.source))),
            inputs=dict(sorted(self.inputs.items())),
        )

    def to_json(self) -> bytes:
        return self.canonical().model_dump_json(indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Dataset:
        return cls.model_validate_json(data)


class DatasetBuilder:
    """Accumulates nodes and relations, merging repeats of the same id or (type, start, end)."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeBase] = {}
        self.relations: dict[tuple[str, str, str], Relation] = {}
        self.unresolved: list[Unresolved] = []

    def node(self, node: N) -> N:
        """The node with this id: the one given, or the one already there (of the same kind) with its sources."""
        existing = self.nodes.get(node.id)
        if existing is None:
            self.nodes[node.id] = node
            return node
        if not isinstance(existing, type(node)):
            raise BuildError(f"{node.id} is both a {existing.__class__.__name__} and a {node.__class__.__name__}")
        existing.add_sources(*node.sources)
        return existing

    def relate(
        self, type_: RelationType, start: str, end: str, sources: Iterable[Source] = (), **props: Any
    ) -> Relation:
        key = (type_, start, end)
        rel = self.relations.get(key)
        if rel is None:
            rel = self.relations[key] = Relation(type=type_, start=start, end=end, props=props)
        else:
            for k, v in props.items():
                if isinstance(v, list):
                    rel.props[k] = sorted(set(rel.props.get(k, [])) | set(v))
                else:
                    rel.props.setdefault(k, v)
        rel.sources = sorted(set(rel.sources) | set(sources), key=lambda s: (s.file, s.line or 0, s.row or 0))
        return rel

    def unresolvable(
        self, name: str, kind: str, reason: str, source: Source, suggestions: list[str] | None = None
    ) -> None:
        self.unresolved.append(
            Unresolved(name=name, kind=kind, reason=reason, source=source, suggestions=suggestions or [])
        )

    def build(self, inputs: dict[str, str]) -> Dataset:
        missing = [r for r in self.relations.values() if r.start not in self.nodes or r.end not in self.nodes]
        if missing:
            raise BuildError(f"relations to unknown nodes: {missing[:3]}")
        nodes = TypeAdapter(list[Node]).validate_python([n.model_dump() for n in self.nodes.values()])
        return Dataset(
            nodes=nodes, relations=list(self.relations.values()), unresolved=self.unresolved, inputs=inputs
        ).canonical()
