"""Reading a curriculum: a JSON [{title, description}] or CSV (title,description) file, or a whole syllabus
as free text, split into its learning outcomes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import ValidationError

from graph.errors import InvalidInput
from graph.query.results import Course
from graph.query.sentences import split, worth_matching


def courses_from_text(text: str) -> list[Course]:
    """A syllabus pasted whole: each of its sentences and list items worth matching is one outcome to map
    (not its headings, "★" or "1." alone).

    >>> [c.title for c in courses_from_text("课程目标：\\n1. 掌握渗透测试流程；\\n2. 能编写测试报告")]
    ['掌握渗透测试流程', '能编写测试报告']
    """
    courses = [Course(title=s.text[:200]) for s in split(text) if worth_matching(s.text)]
    if not courses:
        raise InvalidInput("the syllabus has no sentence to map")
    return courses


def read_courses(path: Path) -> list[Course]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read a UTF-8 course file ({exc})") from None
    try:
        if path.suffix.lower() in (".txt", ".md"):
            return courses_from_text(text)
        if path.suffix.lower() == ".json":
            data = json.loads(text)
            rows = data["courses"] if isinstance(data, dict) else data
        else:
            rows = list(csv.DictReader(text.splitlines()))
        return [Course(title=r["title"], description=r.get("description") or r.get("outcomes") or "") for r in rows]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{path}: expected a list of {{title, description}} ({exc})") from None
    except ValidationError as exc:
        raise InvalidInput(f"{path}: {exc.errors()[0]['msg']} in course {exc.errors()[0]['loc']}") from None
