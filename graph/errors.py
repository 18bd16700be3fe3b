"""One root exception; specific subclasses raised where the problem is detected."""
from __future__ import annotations


class ZhiyeError(Exception):
    """Root of every error this project raises on purpose."""


class SourceFormatError(ZhiyeError):
    """A source document is malformed, truncated or wrongly encoded."""

    def __init__(self, file: str, line: int | None, expected: str, found: str | None = None):
        self.file, self.line, self.expected, self.found = file, line, expected, found
        where = f"{file}:{line}" if line else file
        msg = f"{where}: expected {expected}"
        if found is not None:
            msg += f", found {found!r}"
        super().__init__(msg)


class NotFound(ZhiyeError):
    """A name or code that matches nothing in the graph; carries close suggestions."""

    def __init__(self, kind: str, query: str, suggestions: list[str] | None = None):
        self.kind, self.query, self.suggestions = kind, query, suggestions or []
        msg = f"unknown {kind}: {query!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class InvalidInput(ZhiyeError):
    """User input that is empty, too long or otherwise unusable."""


class BackendUnavailable(ZhiyeError):
    """The graph store cannot be reached (e.g. Neo4j is down)."""


class GraphNotBuilt(ZhiyeError):
    """No built graph generation exists yet."""


class NotCalibrated(ZhiyeError):
    """A kind of match has no fitted calibration for the encoder in use (data/calibration/)."""

    def __init__(self, kind: str, encoder: str, command: str):
        self.kind, self.encoder, self.command = kind, encoder, command
        super().__init__(f"no {kind} calibration for the encoder {encoder}; fit it with {command}")
