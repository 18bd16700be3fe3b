"""Reading source documents strictly, with line-addressable text for parsers."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SourceFormatError
from graph.model import Source


@dataclass(frozen=True)
class SourceText:
    """A decoded document: its name (as recorded in provenance) and its lines."""

    name: str
    lines: list[str]

    def source(self, line: int) -> Source:
        return Source(file=self.name, line=line)

    def error(self, line: int | None, expected: str, found: str | None = None) -> SourceFormatError:
        return SourceFormatError(self.name, line, expected, found)


def decode_bytes(raw: bytes, name: str, expected: str = "UTF-8 text") -> str:
    """Strict UTF-8 without NUL bytes; an error names the file and the line where it failed."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceFormatError(name, line, expected, f"byte 0x{raw[exc.start]:02x}") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceFormatError(name, line, "text without NUL bytes", "NUL")
    return text


def decode_text(raw: bytes, name: str) -> SourceText:
    return SourceText(name=name, lines=decode_bytes(raw, name).splitlines())


def read_text(path: Path, name: str | None = None) -> SourceText:
    """Decode a UTF-8 document; a wrong encoding names the line where decoding failed."""
    return decode_text(path.read_bytes(), name or path.name)


class JoinedText:
    """Non-empty lines joined into one string, with offsets mapped back to line numbers.

    PDF-extracted documents break sentences at arbitrary points; parsing the joined text
    and mapping matches back keeps both robust patterns and exact provenance.
    """

    def __init__(self, doc: SourceText, start: int = 1, end: int | None = None, squash: bool = False):
        self.doc = doc
        parts, self._starts, self._lines = [], [], []
        offset = 0
        for number in range(start, (end or len(doc.lines)) + 1):
            piece = doc.lines[number - 1].strip()
            if squash:
                piece = _SPACES.sub("", piece)
            if not piece:
                continue
            self._starts.append(offset)
            self._lines.append(number)
            parts.append(piece)
            offset += len(piece)
        self.text = "".join(parts)

    def line_at(self, offset: int) -> int:
        return self._lines[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def source_at(self, offset: int) -> Source:
        return self.doc.source(self.line_at(offset))


_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Drop the whitespace PDF extraction puts inside Chinese text ("满 1 年" → "满1年")."""
    return _SPACES.sub("", text)
