"""Readable terminal tables for query results (the CLI's non-JSON output)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from graph.query.results import (
    Analysis,
    BatchInfo,
    BatchRef,
    CareerPaths,
    CodeResult,
    CurriculumMap,
    DirectionMatch,
    Profile,
    SearchResults,
    SimilarOccupation,
    SkillGap,
    SpecialAbilityInfo,
)

# no line starts with closing punctuation or ends with opening punctuation (a CJK line breaks between any two
# characters otherwise)
_NO_START = frozenset("、，。；：！？）》」』】〕〉”’,.;:!?)]}…%")
_NO_END = frozenset("（《「『【〔〈“‘([{")
# where a line had better break, when the break leaves it at least two thirds full
_SOFT = frozenset(" 、，。；：,;")


def _breaks(s: str) -> list[int]:
    """The offsets where a line of s may start: after spaces, and beside a wide (CJK) character."""
    out = []
    for i in range(1, len(s)):
        a, b = s[i - 1], s[i]
        if b.isspace():
            continue
        if a.isspace() or ((cell_len(a) == 2 or cell_len(b) == 2) and b not in _NO_START and a not in _NO_END):
            out.append(i)
    return out


def wrap(text: Text, width: int, hang: int) -> list[Text]:
    """text cut into lines of at most `width` terminal cells (a Chinese character takes two), the lines after
    the first indented by `hang` cells; no line ends in a space. A word wider than a line is cut."""
    lines: list[Text] = []
    for para in text.split("\n", allow_blank=True):
        s = para.plain
        cum = [0]
        for ch in s:
            cum.append(cum[-1] + cell_len(ch))
        stops = [*_breaks(s), len(s)]
        start, avail = 0, width
        while True:
            end = soft = start
            for b in stops:
                if b <= start:
                    continue
                if cum[len(s[:b].rstrip())] - cum[start] > avail:
                    break
                end = b
                if b == len(s) or s[b - 1] in _SOFT:
                    soft = b
            if end < len(s) and cum[soft] - cum[start] >= avail * 2 // 3:
                end = soft  # between words or list items rather than inside a Chinese word, if not too short
            if end == start:  # nothing fits: cut the word at the width (one character at least)
                end = start + 1
                while end < len(s) and cum[end + 1] - cum[start] <= avail:
                    end += 1
            line = para[start:end]
            line.rstrip()
            lines.append(line if not lines or hang == 0 else Text(" " * hang) + line)
            start = end
            while start < len(s) and s[start].isspace():
                start += 1
            if start >= len(s):
                break
            avail = max(width - hang, 10)
    return lines


def say(console: Console, text: str | Text, hang: int | None = None, markup: bool = True) -> None:
    """Print text wrapped to the console's width: the lines after the first indented `hang` cells (by default
    two more than the text's own indent), no trailing spaces, so it reads in an 80-column terminal."""
    if isinstance(text, str):
        text = console.render_str(text, markup=markup)
    if hang is None:
        hang = len(text.plain) - len(text.plain.lstrip(" ")) + 2
    for line in wrap(text, console.width, hang):
        console.print(line)


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


def pct(chance: float) -> str:
    """A calibrated chance as a user reads it: a chance under half a percent is "<1%", not a 0 % that reads as
    "none", as the page shows it.

    >>> pct(0.0007), pct(0.42), pct(0.0)
    ('<1%', '42%', '0%')
    """
    return "<1%" if 0 < chance < 0.005 else f"{chance:.0%}"


def search(console: Console, r: SearchResults) -> None:
    t = Table()
    for col in ("#", "label", "code", "name", "match", "evidence"):
        t.add_column(col, overflow="fold" if col == "name" else "ellipsis")  # a name folds, never cut
    for i, h in enumerate(r.results, 1):
        if h.confidence is not None:
            match = f"{h.match} {pct(h.confidence)}"
        else:  # weak by rule (a wordless query), or no fit for the encoder: no calibrated figure
            match = h.match or f"score {h.score:.4f}"
        t.add_row(str(i), h.label, h.code or "", h.name, match, _short(h.evidence[0].text if h.evidence else ""))
    if r.no_good_match:
        say(console, "[yellow]no good match[/yellow]: no occupation reaches the calibrated threshold; the closest:")
    say(console, f"[bold]search: {escape(r.query)}[/bold]")  # not the table's title: rich pads that with spaces
    console.print(t)


def code(console: Console, r: CodeResult) -> None:
    head = f"[bold]{escape(r.title)}[/bold]" + (f"  (read as: {escape(r.cleaned)})" if r.cleaned != r.title else "")
    say(console, head)
    if r.best is None:
        say(console, f"[yellow]no good match[/yellow] (no candidate reaches confidence {r.threshold:.0%}); closest:")
    t = Table(show_header=True)
    for col in ("#", "code", "occupation", "confidence", "matched title"):
        t.add_column(col)
    for i, c in enumerate(([r.best] if r.best else []) + r.alternatives, 1):
        matched = f"{c.matched.title} ({c.matched.kind}, {c.matched.how})" if c.matched else ""
        name = escape(f"{c.name_zh} {c.name_en or ''}".strip()) + (
            "" if c.level == "occupation" else f" [dim]({c.level})[/dim]"
        )
        t.add_row(str(i), c.code or "—", name, pct(c.confidence), Text(_short(matched, 40)))
    console.print(t)


def analysis(console: Console, a: Analysis, seconds: float | None = None) -> None:
    """The title it names, then each confident occupation with the sentences behind it (one line each, so it
    reads in 80 columns), the weak ones on one line, the skills named, and the coverage of a target."""
    if a.title is not None:
        best = a.title.best
        say(
            console,
            f"title: [bold]{escape(a.title.cleaned or a.title.title)}[/bold] → "
            + (
                escape(f"{best.name_zh} {best.code} ({best.confidence:.0%})")
                if best
                else "[yellow]no confident occupation[/yellow]"
            ),
        )
    read = f"{len(a.sentences)} sentences read" + (f" in {seconds:.2f} s" if seconds is not None else "")
    say(console, f"[dim]{read}; kind: {a.kind or 'not a job ad, CV or syllabus'}[/dim]")
    if a.no_good_match:
        say(console, "[yellow]no good match[/yellow]: no occupation reaches the calibrated threshold")
    for i, o in enumerate((o for o in a.occupations if o.match != "weak"), 1):
        title = f", title {o.title:.0%}" if o.title else ""
        say(console, f"[bold]{i}. {escape(o.name_zh)}[/bold] {o.code or ''}  {o.match} {pct(o.confidence)}{title}")
        for e in o.evidence:
            sentence = _cells(a.sentences[e.sentence].text, 34)
            say(console, f"   “{sentence}” → {_cells(e.task, 30)} ({e.score:.0%})", hang=5, markup=False)
    weak = [o for o in a.occupations if o.match == "weak"]
    if weak:
        say(
            console,
            ("closest: " if a.no_good_match else "weak: ")
            + ", ".join(f"{o.name_zh} {o.code} {pct(o.confidence)}" for o in weak),
            markup=False,
        )
    for how, label in (("named", "skills named"), ("via_task", "skills its tasks use (inferred)")):
        skills = [s for s in a.skills if s.how == how]
        if skills:
            say(
                console,
                f"{label}: " + "、".join(f"{s.name} ({', '.join(f'#{i + 1}' for i in s.sentences)})" for s in skills),
                markup=False,
            )
    if a.target is not None:
        say(
            console,
            f"coverage of {a.target.name_zh}: " + ", ".join(f"{k} {v}" for k, v in a.coverage_summary.items()),
            markup=False,
        )
        for c in a.coverage:
            say(
                console,
                f"  [{c.status}] {c.kind} {_cells(c.name, 30)} ({c.score:.0%})"
                + (f" ← “{_cells(c.best_course, 24)}”" if c.status != "missing" and c.best_course else ""),
                markup=False,
            )


def profile(console: Console, p: Profile) -> None:
    if p.matched_title:
        say(console, f"[dim]found by the title {escape(p.matched_title.title)} ({p.matched_title.kind})[/dim]")
    say(
        console,
        f"[bold]{escape(p.name_zh)}[/bold] {escape(p.name_en or '')}  {p.code or ''}  "
        f"former: {', '.join(p.former_codes) or '—'}",
    )
    if p.titles:
        say(console, "also called: " + "、".join(t.text for t in p.titles[:20]), markup=False)
    wt_levels = "".join(f"; {w}: {' '.join(map(str, ls))}" for w, ls in p.work_type_levels.items())
    say(
        console,
        f"flags: {', '.join(p.flags) or '—'}   levels: {' '.join(map(str, p.skill_levels)) or '—'}{wt_levels}   "
        f"work types: {', '.join(p.work_types) or '—'}",
        markup=False,
    )
    if p.level_terms:  # 004 gives the numerals only
        names = "、".join(f"{t.numeral} {t.term}" for t in p.level_terms)
        say(console, f"[dim]level names (a common term, no source in this project): {escape(names)}[/dim]")
    say(console, "category: " + " › ".join(f"{c['code']} {c['name']}" for c in p.category_path), markup=False)
    say(console, f"definition: {p.definition or '—'}", markup=False)
    if p.definition_en:
        say(console, f"definition (en): {p.definition_en}", markup=False)
    for task in p.tasks:
        lead = f"  [{task.lang}] {task.order}. "
        say(console, lead + task.text, hang=len(lead), markup=False)
    say(console, "batches: " + (", ".join(_batch_ref(b) for b in p.batches) or "—"), markup=False)
    say(console, "skills (inferred from its tasks): " + ("、".join(s.name for s in p.skills[:20]) or "—"), markup=False)
    say(console, "title directions (inferred): " + ("、".join(p.title_directions) or "—"), markup=False)
    say(console, "sources: " + "; ".join(p.sources), markup=False)


def similar(console: Console, items: list[SimilarOccupation]) -> None:
    t = Table()
    for col in ("code", "name", "score", "embedding", "skills", "category", "shared skills"):
        t.add_column(col, overflow="fold" if col == "name" else "ellipsis")  # a name folds, never cut
    for s in items:
        p = s.score_parts
        t.add_row(
            s.code or "",
            Text(s.name_zh),
            f"{s.score:.3f}",
            f"{p['embedding']:.3f}",
            f"{p['skills']:.3f}",
            f"{p['category']:.2f}",
            Text(_short("、".join(s.shared_skills), 40)),
        )
    say(console, "[bold]similar occupations[/bold]")  # not the table's title: rich pads that with spaces
    console.print(t)


def directions(console: Console, items: list[DirectionMatch]) -> None:
    for d in items:
        say(console, f"[bold]{escape(d.name)}[/bold]  inferred, score {d.score:.3f}")
        for e in d.evidence[:6]:
            say(console, f"   {e.kind}: {_cells(e.text, 60)} ({e.score:.3f})", markup=False)


def paths(console: Console, r: CareerPaths) -> None:
    say(console, f"[bold]{escape(r.occupation.name_zh)}[/bold]")
    if r.skill_ladder:
        first = r.skill_ladder[0]
        named = [(first.from_name, first.from_term), *((s.to_name, s.to_term) for s in r.skill_ladder)]
        say(console, "skill levels: " + " → ".join(f"{n} {t.term}" if t else n for n, t in named), markup=False)
        if first.from_term:
            say(console, "[dim]  the names beside 004's numerals are a common term, no source in this project[/dim]")
    if r.title_ladder:
        say(
            console,
            "title ladder: " + " → ".join([r.title_ladder[0].from_name, *(s.to_name for s in r.title_ladder)]),
            markup=False,
        )
    for p in r.paths:
        say(console, f"→ {p.target_name} (inferred: similarity {p.score:.3f})", markup=False)
        for s in p.steps:
            learn = _short("、".join(s.skills_to_acquire), 60) or "—"
            say(console, f"    {s.from_name} → {s.to_name}: learn {learn}", markup=False)


def gap(console: Console, g: SkillGap) -> None:
    say(
        console,
        f"{g.source.name_zh} → {g.target.name_zh}: task coverage {g.coverage:.0%} "
        f"({len(g.known_tasks)} of {len(g.known_tasks) + len(g.missing_tasks)} tasks already done)",
        markup=False,
    )
    say(console, "missing skills: " + ("、".join(s.name for s in g.missing_skills[:20]) or "—"), markup=False)
    for t in g.missing_tasks[:10]:
        say(console, f"  missing task: {t.name}", markup=False)


def curriculum(console: Console, m: CurriculumMap) -> None:
    for c in m.courses:
        say(
            console,
            f"[bold]{escape(c.title)}[/bold]: "
            + escape(
                "、".join(o.name for o in c.occupations[:3]) + " | skills " + "、".join(s.name for s in c.skills[:3])
            ),
        )
    if m.target:
        summary = ", ".join(f"{k} {v}" for k, v in m.coverage_summary.items())
        say(console, f"coverage of {m.target.name_zh}: {summary}", markup=False)
    say(console, "prepares best for: " + "、".join(o.name for o in m.prepares_for[:5]), markup=False)


def batches(console: Console, items: list[BatchInfo]) -> None:
    """The timeline: each batch's date, document number and title, what it resolved and raised, and the names
    it left unresolved with their source."""
    for b in items:
        say(
            console,
            f"{b.announced:<10}  " + (f"{b.document_no}  " if b.document_no else "") + b.title,
            hang=12,
            markup=False,
        )
        say(console, f"  {b.summary}", markup=False)
        raised = [o for o in b.occupations if o.raised_from_work_type]
        for parent in sorted({o.former_parent or "" for o in raised}):
            names = "、".join(o.name_zh for o in raised if (o.former_parent or "") == parent)
            say(console, f"  raised from work types{f' of {parent}' if parent else ''}: {names}", markup=False)
        for u in b.unresolved:
            say(console, f"  unresolved: {u.name} ({u.source}: {u.reason})", markup=False)


def abilities(console: Console, items: list[SpecialAbilityInfo]) -> None:
    for a in items:
        group = f"  in {a.category['code']} {a.category['name']}" if a.category else ""
        say(console, f"{a.code}  {a.name}  ({a.level}){group}  {', '.join(a.sources)}", hang=4, markup=False)
