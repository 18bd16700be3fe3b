"""Reading a curriculum file: JSON [{title, description}] or CSV with title,description columns."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import ValidationError

from graph.errors import InvalidInput
from graph.results import Course


def read_courses(path: Path) -> list[Course]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read a UTF-8 course file ({exc})") from None
    try:
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
