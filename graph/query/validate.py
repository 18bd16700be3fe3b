"""Input checks and name resolution shared by both backends."""

from __future__ import annotations

from rapidfuzz import process

from graph.errors import InvalidInput, NotFound
from graph.query.protocol import MAX_K


def check_text(text: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("the query is empty")
    if len(text) > limit:
        raise InvalidInput(f"the query has {len(text)} characters; at most {limit} are allowed")
    return text


def check_k(k: int) -> int:
    if not 1 <= int(k) <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}, got {k}")
    return int(k)


SEARCH_LABELS = ("Occupation", "Task", "Skill", "TitleDirection", "WorkType")


def check_labels(labels: list[str] | None) -> list[str]:
    labels = [label.strip() for label in (labels or SEARCH_LABELS) if label.strip()] or list(SEARCH_LABELS)
    unknown = set(labels) - set(SEARCH_LABELS)
    if unknown:
        raise InvalidInput(f"unknown labels {sorted(unknown)}; use any of {list(SEARCH_LABELS)}")
    return labels


def resolve_name(query: str, names: dict[str, str], kind: str) -> str:
    """Exact (casefolded) name, code or id, from `names` (which holds all three); otherwise NotFound
    with fuzzy suggestions."""
    query = check_text(query, 200)
    key = query.casefold()
    if key in names:  # the stores index ids too, so this is the only lookup (no scan per call)
        return names[key]
    # suggested by name or code, never by id ("skill:排除故障" beside 排除故障 read as a broken chip)
    choices = [c for c, nid in names.items() if c != nid.casefold()]
    suggestions = [c for c, score, _ in process.extract(key, choices, limit=5) if score >= 50]
    raise NotFound(kind, query, suggestions[:5])


def level_order(levels) -> list:
    """Skill levels as the catalog writes them, 5 初级工 first … 1 高级技师; named ones (专项职业能力) last."""
    return sorted(set(levels), key=lambda x: (isinstance(x, str), -x if isinstance(x, int) else 0, str(x)))
