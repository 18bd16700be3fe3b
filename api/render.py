"""Readable terminal tables for query results (the CLI's non-JSON output)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from graph.query.results import (
    Analysis,
    BatchRef,
    CareerPaths,
    CodeResult,
    CurriculumMap,
    DirectionMatch,
    Profile,
    SearchResults,
    SimilarOccupation,
    SkillGap,
)


def _batch_ref(b: BatchRef) -> str:
    raised = ""
    if b.raised_from_work_type:
        raised = f" (raised from a work type{f' of {b.former_parent}' if b.former_parent else ''})"
    return f"{b.announced} {b.document_no or ''}".strip() + raised


def _short(text: str | None, n: int = 60) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def _cells(text: str, n: int) -> str:
    """The text cut to n terminal cells (a Chinese character takes two), with an ellipsis when cut."""
    text = text or ""
    if cell_len(text) <= n:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > n - 1:
            break
        out += ch
    return out + "…"


def search(console: Console, r: SearchResults) -> None:
    t = Table(title=f"search: {r.query}")
    for col in ("#", "label", "code", "name", "match", "evidence"):
        t.add_column(col)
    for i, h in enumerate(r.results, 1):
        match = f"{h.match} {h.confidence:.0%}" if h.match else f"score {h.score:.4f}"
        t.add_row(str(i), h.label, h.code or "", h.name, match, _short(h.evidence[0].text if h.evidence else ""))
    if r.no_good_match:
        console.print("[yellow]no good match[/yellow]: no occupation reaches the calibrated threshold; the closest:")
    console.print(t)


def code(console: Console, r: CodeResult) -> None:
    head = f"[bold]{r.title}[/bold]" + (f"  (read as: {r.cleaned})" if r.cleaned != r.title else "")
    console.print(head)
    if r.best is None:
        console.print(f"[yellow]no good match[/yellow] (no candidate reaches confidence {r.threshold:.0%}); closest:")
    t = Table(show_header=True)
    for col in ("#", "code", "occupation", "confidence", "matched title"):
        t.add_column(col)
    for i, c in enumerate(([r.best] if r.best else []) + r.alternatives, 1):
        matched = f"{c.matched.title} ({c.matched.kind}, {c.matched.how})" if c.matched else ""
        name = f"{c.name_zh} {c.name_en or ''}".strip() + (
            "" if c.level == "occupation" else f" [dim]({c.level})[/dim]"
        )
        t.add_row(str(i), c.code or "—", name, f"{c.confidence:.0%}", _short(matched, 40))
    console.print(t)


def analysis(console: Console, a: Analysis, seconds: float | None = None) -> None:
    """The title it names, then each confident occupation with the sentences behind it (one line each, so it
    reads in 80 columns), the weak ones on one line, the skills named, and the coverage of a target."""
    if a.title is not None:
        best = a.title.best
        console.print(
            f"title: [bold]{a.title.cleaned or a.title.title}[/bold] → "
            + (
                f"{best.name_zh} {best.code} ({best.confidence:.0%})"
                if best
                else "[yellow]no confident occupation[/yellow]"
            )
        )
    read = f"{len(a.sentences)} sentences read" + (f" in {seconds:.2f} s" if seconds is not None else "")
    console.print(f"[dim]{read}; kind: {a.kind or 'not a job ad, CV or syllabus'}[/dim]")
    if a.no_good_match:
        console.print("[yellow]no good match[/yellow]: no occupation reaches the calibrated threshold")
    for i, o in enumerate((o for o in a.occupations if o.match != "weak"), 1):
        title = f", title {o.title:.0%}" if o.title else ""
        console.print(f"[bold]{i}. {o.name_zh}[/bold] {o.code or ''}  {o.match} {o.confidence:.0%}{title}")
        for e in o.evidence:
            console.print(f"   “{_cells(a.sentences[e.sentence].text, 34)}” → {_cells(e.task, 30)} ({e.score:.0%})")
    weak = [o for o in a.occupations if o.match == "weak"]
    if weak:
        console.print(
            ("closest: " if a.no_good_match else "weak: ")
            + ", ".join(f"{o.name_zh} {o.code} {o.confidence:.0%}" for o in weak)
        )
    for how, label in (("named", "skills named"), ("via_task", "skills its tasks use (inferred)")):
        skills = [s for s in a.skills if s.how == how]
        if skills:
            console.print(
                f"{label}: " + "、".join(f"{s.name} ({', '.join(f'#{i + 1}' for i in s.sentences)})" for s in skills)
            )
    if a.target is not None:
        console.print(
            f"coverage of {a.target.name_zh}: " + ", ".join(f"{k} {v}" for k, v in a.coverage_summary.items())
        )
        for c in a.coverage:
            console.print(
                f"  \\[{c.status}] {c.kind} {_cells(c.name, 30)} ({c.score:.0%})"
                + (f" ← “{_cells(c.best_course, 24)}”" if c.status != "missing" and c.best_course else "")
            )


def profile(console: Console, p: Profile) -> None:
    if p.matched_title:
        console.print(f"[dim]found by the title {p.matched_title.title} ({p.matched_title.kind})[/dim]")
    console.print(
        f"[bold]{p.name_zh}[/bold] {p.name_en or ''}  {p.code or ''}  former: {', '.join(p.former_codes) or '—'}"
    )
    if p.titles:
        console.print("also called: " + "、".join(t.text for t in p.titles[:20]))
    wt_levels = "".join(f"; {w}: {' '.join(map(str, ls))}" for w, ls in p.work_type_levels.items())
    console.print(
        f"flags: {', '.join(p.flags) or '—'}   levels: {' '.join(map(str, p.skill_levels)) or '—'}{wt_levels}   "
        f"work types: {', '.join(p.work_types) or '—'}"
    )
    if p.level_terms:  # 004 gives the numerals only
        names = "、".join(f"{t.numeral} {t.term}" for t in p.level_terms)
        console.print(f"[dim]level names (a common term, no source in this project): {names}[/dim]")
    console.print("category: " + " › ".join(f"{c['code']} {c['name']}" for c in p.category_path))
    console.print(f"definition: {p.definition or '—'}")
    if p.definition_en:
        console.print(f"definition (en): {p.definition_en}")
    for task in p.tasks:
        console.print(f"  [{task.lang}] {task.order}. {task.text}")
    console.print("batches: " + (", ".join(_batch_ref(b) for b in p.batches) or "—"), markup=False)
    console.print("skills (inferred from its tasks): " + ("、".join(s.name for s in p.skills[:20]) or "—"))
    console.print("title directions (inferred): " + ("、".join(p.title_directions) or "—"))
    console.print("sources: " + "; ".join(p.sources))


def similar(console: Console, items: list[SimilarOccupation]) -> None:
    t = Table(title="similar occupations")
    for col in ("code", "name", "score", "embedding", "skills", "category", "shared skills"):
        t.add_column(col)
    for s in items:
        p = s.score_parts
        t.add_row(
            s.code or "",
            s.name_zh,
            f"{s.score:.3f}",
            f"{p['embedding']:.3f}",
            f"{p['skills']:.3f}",
            f"{p['category']:.2f}",
            _short("、".join(s.shared_skills), 40),
        )
    console.print(t)


def directions(console: Console, items: list[DirectionMatch]) -> None:
    for d in items:
        console.print(f"[bold]{d.name}[/bold]  inferred, score {d.score:.3f}")
        for e in d.evidence[:6]:
            console.print(f"   {e.kind}: {_short(e.text, 70)} ({e.score:.3f})")


def paths(console: Console, r: CareerPaths) -> None:
    console.print(f"[bold]{r.occupation.name_zh}[/bold]")
    if r.skill_ladder:
        first = r.skill_ladder[0]
        named = [(first.from_name, first.from_term), *((s.to_name, s.to_term) for s in r.skill_ladder)]
        console.print("skill levels: " + " → ".join(f"{n} {t.term}" if t else n for n, t in named))
        if first.from_term:
            console.print("[dim]  the names beside 004's numerals are a common term, no source in this project[/dim]")
    if r.title_ladder:
        console.print(
            "title ladder: " + " → ".join([r.title_ladder[0].from_name, *(s.to_name for s in r.title_ladder)])
        )
    for p in r.paths:
        console.print(f"→ {p.target_name} (inferred: similarity {p.score:.3f})")
        for s in p.steps:
            console.print(f"    {s.from_name} → {s.to_name}: learn {_short('、'.join(s.skills_to_acquire), 60) or '—'}")


def gap(console: Console, g: SkillGap) -> None:
    console.print(
        f"{g.source.name_zh} → {g.target.name_zh}: task coverage {g.coverage:.0%} "
        f"({len(g.known_tasks)} of {len(g.known_tasks) + len(g.missing_tasks)} tasks already done)"
    )
    console.print("missing skills: " + ("、".join(s.name for s in g.missing_skills[:20]) or "—"))
    for t in g.missing_tasks[:10]:
        console.print(f"  missing task: {t.name}")


def curriculum(console: Console, m: CurriculumMap) -> None:
    for c in m.courses:
        console.print(
            f"[bold]{c.title}[/bold]: "
            + "、".join(o.name for o in c.occupations[:3])
            + " | skills "
            + "、".join(s.name for s in c.skills[:3])
        )
    if m.target:
        console.print(f"coverage of {m.target.name_zh}: {m.coverage_summary}")
    console.print("prepares best for: " + "、".join(o.name for o in m.prepares_for[:5]))
