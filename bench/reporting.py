"""What every bench does with its result: JSON and Markdown beside each other, and headless plots."""
from __future__ import annotations

import json
from pathlib import Path


def write_report(out: Path, result, title: str, markdown: str) -> str:
    """`out`.json (the figures) and `out`.md (title + markdown); returns the Markdown, printed too."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    text = f"# {title}\n\n{markdown}"
    out.with_suffix(".md").write_text(text)
    print(text)
    return text


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display on the machines benches run on)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
