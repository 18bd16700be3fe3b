"""Splitting numbered task lists, whether one per line or run together ("…技术2.研究…")."""

from __future__ import annotations

import re

_TRAILING = " \t\n；;。.，,"


def _marker(n: int) -> re.Pattern[str]:
    # "3." / "3．" / "3、" not followed by a digit (so "2.5米" is not a marker), and not
    # preceded by a digit (so "13." is not read as "3.")
    return re.compile(rf"(?<!\d){n}\s*[\.．、](?!\d)")


def _paren_marker(n: int) -> re.Pattern[str]:
    return re.compile(rf"[（(]{n}[）)]")


def numbered_spans(text: str, start: int = 0, paren: bool = False) -> list[tuple[int, int, int]]:
    """(marker start, body start, body end) of items 1, 2, 3 … found in order in text[start:]."""
    marker = _paren_marker if paren else _marker
    bounds: list[tuple[int, int]] = []
    pos = start
    while match := marker(len(bounds) + 1).search(text, pos):
        bounds.append((match.start(), match.end()))
        pos = match.end()
    return [(a, b, bounds[i + 1][0] if i + 1 < len(bounds) else len(text)) for i, (a, b) in enumerate(bounds)]


def split_numbered_tasks(text: str) -> list[str]:
    """Split '1.甲2.乙\\n3.丙' into ['甲', '乙', '丙'], following the numbering in order.

    Searching for each next number in turn (rather than splitting on any number) keeps
    numbers inside a task's text from cutting it. Raises ValueError when the text does not
    start with task 1 or a task comes out empty.
    """
    text = text.strip()
    first = _marker(1).match(text)
    if not first:
        raise ValueError(f"text does not start with '1.': {text[:20]!r}")
    bounds = [(first.start(), first.end())]
    n = 2
    while match := _marker(n).search(text, bounds[-1][1]):
        bounds.append((match.start(), match.end()))
        n += 1
    tasks = []
    for i, (_, body_start) in enumerate(bounds):
        body_end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        task = text[body_start:body_end].strip(_TRAILING)
        if not task:
            raise ValueError(f"task {i + 1} is empty")
        tasks.append(task)
    return tasks
