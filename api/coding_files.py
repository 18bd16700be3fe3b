"""`zhiye code --file`: a whole file of job titles (a survey, a job-ad export) coded into a CSV."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from graph.errors import InvalidInput
from graph.ingest.text import decode_bytes

BATCH = 256  # titles encoded together: ~100 titles/s on 2 cores, against ~25 one by one
# level: occupation, or the group a title names (普工 → 6, major group)
OUT_COLUMNS = ("code", "level", "name_zh", "name_en", "confidence", "matched_title", "matched_kind", "no_good_match")


def read_titles(path: Path, column: str | None) -> tuple[list[str], list[dict[str, str]]]:
    """The titles and the input rows (kept in the output). A file with one column and no header
    named `column` is read as one title per line."""
    text = decode_bytes(path.read_bytes(), path.name, "a UTF-8 CSV or text file")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise InvalidInput(f"{path}: no titles")
    header = rows[0]
    if column is not None:
        if column not in header:
            raise InvalidInput(f"{path}:1: no column {column!r}; the header has {header}")
        i = header.index(column)
        data = rows[1:]
    elif len(header) == 1:  # a list of titles, one per line (a header line, if any, is coded too)
        i, header, data = 0, ["title"], rows
    else:
        i, data = 0, rows[1:]
    titles, records = [], []
    for n, row in enumerate(data, start=2 if data is not rows else 1):
        if i >= len(row) or not row[i].strip():
            raise InvalidInput(f"{path}:{n}: an empty title")
        titles.append(row[i].strip())
        records.append(dict(zip(header, row, strict=False)))
    return titles, records


def code_file(store, path: Path, column: str | None, out: Path | None, progress=None) -> int:
    from rich.progress import Progress

    titles, records = read_titles(path, column)
    header = list(records[0]) if records else ["title"]
    fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        writer = csv.writer(fh)
        writer.writerow(header + [c for c in OUT_COLUMNS if c not in header])
        with Progress(console=progress, transient=True, disable=progress is None) as bar:
            task = bar.add_task("coding", total=len(titles))
            for start in range(0, len(titles), BATCH):
                for record, r in zip(
                    records[start : start + BATCH], store.code_many(titles[start : start + BATCH], k=1), strict=False
                ):
                    top = r.best or (r.alternatives[0] if r.alternatives else None)
                    writer.writerow(
                        [record.get(h, "") for h in header]
                        + [
                            top.code if top else "",
                            top.level if top else "",
                            top.name_zh if top else "",
                            (top.name_en or "") if top else "",
                            f"{top.confidence:.4f}" if top else "",
                            top.matched.title if top and top.matched else "",
                            top.matched.kind if top and top.matched else "",
                            "yes" if r.best is None else "no",
                        ]
                    )
                bar.advance(task, min(BATCH, len(titles) - start))
    finally:
        if out:
            fh.close()
    return len(titles)
