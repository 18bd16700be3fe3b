"""English articles on the new-occupation release system (form of 002).

Batch sections ("• First Batch" … "In April 2019, … announced 13 new professions. … include:
A, B, and C.") and profiles of some of the professions (see occupation_info). An opening
announcement ("On June 14, … announced information on 18 new professions") is a batch too;
its names are the quoted professions in the paragraphs that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.ingest.occupation_info import OccupationProfile, parse_profiles_en
from graph.ingest.text import SourceText
from graph.model import Source

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
ORDINALS = {"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Fifth": 5, "Sixth": 6}
SECTION = re.compile(r"^[•·\s]*(First|Second|Third|Fourth|Fifth|Sixth) Batch\s*$")
ANNOUNCED = re.compile(r"In (" + "|".join(MONTHS) + r") (\d{4}),.*?announced (\d+) new professions")
OPENING = re.compile(r"^On (" + "|".join(MONTHS) + r") (\d{1,2}),.*?announced information on (\d+) new professions")
LIST = re.compile(r"(?:The specific professions include|These include):\s*(.+?)\.(?:\s*·|\s*$)")
ALSO_JOB_TYPES = re.compile(r"included (\w+) job types such as ((?:“[^”]+”(?:,| and)?\s*)+)")
QUOTED = re.compile(r"“([^”]+?)[,.]?”")
SUCH_AS = re.compile(r"professions such as (.+)")
TOTAL = re.compile(r"a total of (\d+) new professions", re.I)


@dataclass
class BatchSection:
    ordinal: int | None
    year: int | None
    month: int
    day: int | None
    stated: dict[str, int]
    names: list[tuple[str, Source]] = field(default_factory=list)
    work_types: list[tuple[str, Source]] = field(default_factory=list)
    source: Source = field(kw_only=True)


@dataclass
class ReleaseArticle:
    title: str
    batches: list[BatchSection]
    profiles: list[OccupationProfile]
    stated_total: int | None


def split_list(text: str) -> list[str]:
    # only the serial comma's "and" separates items: "IoT Installation and Debugging" is one name
    text = re.sub(r",\s+and\s+", ", ", text)
    return [n.strip() for n in text.split(",") if n.strip()]


def parse_release_article(doc: SourceText) -> ReleaseArticle:
    title = next(line.strip() for line in doc.lines if line.strip())
    batches: list[BatchSection] = []
    section_of: dict[int, str] = {}
    stated_total = None
    opening: BatchSection | None = None
    pending_ordinal: int | None = None
    for number, raw in enumerate(doc.lines, start=1):
        text = raw.strip()
        if m := SECTION.match(text):
            pending_ordinal = ORDINALS[m.group(1)]
            section_of[number] = m.group(1)
            opening = None
            continue
        if m := OPENING.match(text):
            opening = BatchSection(
                None,
                None,
                MONTHS[m.group(1)],
                int(m.group(2)),
                {"occupations": int(m.group(3))},
                source=doc.source(number),
            )
            batches.append(opening)
            continue
        if m := TOTAL.search(text):
            stated_total = int(m.group(1))
            opening = None
        if opening is not None and (m := SUCH_AS.search(text)):
            # "including A, B and C" on the opening line names a few; the paragraphs after it
            # name the batch's professions in quotes after "professions such as"
            seen = {n for n, _ in opening.names}
            for name in QUOTED.findall(m.group(1)):
                if name not in seen:
                    opening.names.append((name, doc.source(number)))
                    seen.add(name)
        if m := ANNOUNCED.search(text):
            if pending_ordinal is None:
                raise doc.error(number, "a '• … Batch' heading before the batch paragraph")
            batch = BatchSection(
                pending_ordinal,
                int(m.group(2)),
                MONTHS[m.group(1)],
                None,
                {"occupations": int(m.group(3))},
                source=doc.source(number),
            )
            lm = LIST.search(text)
            if not lm:
                raise doc.error(number, "the list of professions after 'include:'")
            batch.names = [(n, doc.source(number)) for n in split_list(lm.group(1))]
            if jm := ALSO_JOB_TYPES.search(text):
                batch.work_types = [(n, doc.source(number)) for n in QUOTED.findall(jm.group(2))]
            if len(batch.names) != batch.stated["occupations"]:
                raise doc.error(
                    number, f"{batch.stated['occupations']} professions as stated", f"{len(batch.names)} names"
                )
            batches.append(batch)
            pending_ordinal = None
    profiles = parse_profiles_en(doc, section_of=section_of)
    if stated_total is not None:
        numbered = sum(b.stated["occupations"] for b in batches if b.ordinal)
        if numbered != stated_total:
            raise doc.error(None, f"batches adding up to the stated total {stated_total}", str(numbered))
    return ReleaseArticle(title, batches, profiles, stated_total)
