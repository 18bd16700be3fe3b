"""Adding a source document: validate it, build a new generation with it, then install it.

A document is parsed with its form's parser first; the build then runs over a staging copy of
the sources directory (the bundled files, the new one and the new manifest). Only when the build
has written and switched to its generation are the file and the manifest put in place (each by
an atomic rename). A bad document therefore changes nothing: the file is not left in the sources
directory, the manifest is unchanged and the previous generation stays current.

With the Neo4j backend the new generation is also published (loaded into the server and
switched there) before anything is installed; if that fails, `current` goes back to the
previous generation as well.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from graph.build.generations import current_generation, restore_current
from graph.encoding import TextEncoder
from graph.errors import BuildError, Conflict, GraphNotBuilt, InvalidInput, SourceFormatError
from graph.ingest.manifest import Document, Form, Manifest, load_manifest
from graph.ingest.notice_zh import parse_notice
from graph.ingest.occupation_info import parse_profiles_zh
from graph.ingest.text import SourceText, decode_text
from graph.settings import Settings

ADDABLE_FORMS: tuple[Form, ...] = ("notice_zh", "occupation_info_zh")
MAX_SOURCE_BYTES = 2 * 1024 * 1024
_FILENAME = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff]{1,120}\.txt$")
LOCK_FILE = "add-source.lock"  # in the state directory: one addition at a time across processes


@dataclass
class AddedSource:
    file: str
    form: str
    title: str
    generation: Path
    parsed: int  # occupations named (notice) or profiles (occupation information)


def decode(filename: str, content: bytes) -> SourceText:
    """UTF-8 text without NUL bytes; an error names the file and the line."""
    return decode_text(content, filename)


def addable_form(form: str) -> Form:
    """The form, if a document of it can be added; else InvalidInput."""
    if form not in ADDABLE_FORMS:
        raise InvalidInput(f"form must be one of {', '.join(ADDABLE_FORMS)}, not {form!r}")
    return form


def validate(filename: str, content: bytes, form: str) -> int:
    """Parse the document with its form's parser; returns how many occupations or profiles it holds."""
    addable_form(form)
    if not _FILENAME.match(filename or ""):
        raise InvalidInput(f"file name {filename!r}: use letters, digits, _ - . and end in .txt (no directories)")
    if len(content) > MAX_SOURCE_BYTES:
        raise InvalidInput(f"{filename}: larger than {MAX_SOURCE_BYTES:,} bytes")
    if not content.strip():
        raise SourceFormatError(filename, None, "a non-empty document")
    doc = decode(filename, content)
    if form == "notice_zh":
        return len(parse_notice(doc).occupations)
    return len(parse_profiles_zh(doc))


def check_new(settings: Settings, filename: str) -> Manifest:
    """The sources' manifest, if `filename` is not among them yet (else InvalidInput) and the sources can
    be written (else BuildError: an installed package's own data is not the place for added documents)."""
    if not os.access(settings.sources_dir, os.W_OK):
        raise BuildError(
            f"{settings.sources_dir} cannot be written: set ZHIYE_SOURCES_DIR to a directory of sources this process "
            "can write (a copy of the bundled ones)"
        )
    manifest = load_manifest(settings.sources_dir)
    if any(d.file == filename for d in manifest.documents) or (settings.sources_dir / filename).exists():
        raise InvalidInput(f"{filename} is already in {settings.sources_dir}; choose another file name")
    return manifest


def add_source(
    settings: Settings,
    filename: str,
    content: bytes,
    form: str,
    title: str | None = None,
    *,
    encoder: TextEncoder,
    log=lambda m: None,
    publish: Callable[[Path], None] | None = None,
) -> AddedSource:
    """Validate, build a new generation that includes the document, publish it (by default: load it
    into Neo4j when that is the configured backend), then install the document."""
    parsed = validate(filename, content, form)
    if publish is None and settings.backend == "neo4j":
        from graph.neo4j.store import load_generation

        def publish(generation: Path) -> None:
            load_generation(settings, generation, log=log)

    with _one_addition(settings):
        sources = settings.sources_dir
        manifest = check_new(settings, filename)
        doc = Document(
            file=filename,
            form=addable_form(form),
            title=title or Path(filename).stem,
            language="zh",
            notes="added with `zhiye add-source`",
        )
        new_manifest = manifest.model_copy(update={"documents": [*manifest.documents, doc]})
        manifest_text = json.dumps(new_manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        staging = Path(
            tempfile.mkdtemp(prefix=".add-source-", dir=settings.state_dir if settings.state_dir.is_dir() else None)
        )
        try:
            for d in manifest.documents:
                shutil.copy2(sources / d.file, staging / d.file)
            (staging / filename).write_bytes(content)
            (staging / "manifest.json").write_text(manifest_text, encoding="utf-8")
            from graph.build.pipeline import build

            try:
                previous = current_generation(settings.state_dir, verify=False)
            except GraphNotBuilt:
                previous = None
            result = build(
                settings.model_copy(update={"sources_dir": staging}), settings.external_csv(), log=log, encoder=encoder
            )
            if publish is not None:
                try:
                    publish(result.generation)
                except BaseException:
                    restore_current(settings.state_dir, previous)
                    raise
            # the generation is current: install the file, then the manifest, each by an atomic rename; if
            # either fails, neither stays and the previous generation is current again
            try:
                _atomic_write(sources / filename, content)
                try:
                    _atomic_write(sources / "manifest.json", manifest_text.encode("utf-8"))
                except BaseException:
                    (sources / filename).unlink(missing_ok=True)
                    raise
            except BaseException:
                restore_current(settings.state_dir, previous)
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return AddedSource(filename, form, doc.title, result.generation, parsed)


@contextmanager
def _one_addition(settings: Settings) -> Iterator[None]:
    """Hold the state directory's add-source lock (an flock, so it holds across processes: the server's
    admin job and `zhiye add-source` never build over each other); Conflict if another holds it."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(settings.state_dir / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise Conflict(
            "another document is being added (by this or another process); try again when it is done"
        ) from None
    try:
        for stale in settings.state_dir.glob(".add-source-*"):  # staging left by a process that died
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        lock.release()


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
