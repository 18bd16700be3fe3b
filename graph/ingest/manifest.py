"""The manifest of bundled source documents: what each file is and which parser reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from graph.errors import SourceFormatError

Form = Literal["notice_zh", "release_en", "occupation_info_zh", "title_measures", "catalog"]


class Document(BaseModel):
    file: str
    form: Form
    title: str
    publisher: str | None = None
    issued: str | None = None
    document_no: str | None = None
    url: str | None = None
    language: Literal["zh", "en"]
    notes: str | None = None
    years: dict[str, int] = {}


class Manifest(BaseModel):
    documents: list[Document]


def load_manifest(sources_dir: Path) -> Manifest:
    path = sources_dir / "manifest.json"
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise SourceFormatError(str(path), None, "a manifest.json listing the source documents") from None
    except (ValidationError, json.JSONDecodeError) as exc:
        raise SourceFormatError(path.name, None, "a valid manifest", str(exc).splitlines()[0]) from None
    for doc in manifest.documents:
        if not (sources_dir / doc.file).is_file():
            raise SourceFormatError(path.name, None, f"the listed file {doc.file} in {sources_dir}", "missing")
    return manifest
