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

    def __init__(
        self,
        kind: str,
        query: str,
        suggestions: list[str] | None = None,
        suggestions_en: list[str | None] | None = None,
    ):
        self.kind, self.query, self.suggestions = kind, query, suggestions or []
        # each suggestion's English name where the graph has one (None where not), for an English page
        self.suggestions_en = suggestions_en or []
        msg = f"unknown {kind}: {query!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(msg)


class InvalidInput(ZhiyeError):
    """User input that is empty, too long or otherwise unusable."""


class Conflict(ZhiyeError):
    """The change asked for collides with one under way (another document is being added)."""


class BackendUnavailable(ZhiyeError):
    """The graph store cannot answer now (Neo4j is down, busy or restarting): worth a retry."""


class QueryTimedOut(BackendUnavailable):
    """The store did not answer within the query timeout (`neo4j_timeout_s`)."""


class StoreQueryFailed(ZhiyeError):
    """The store answered a query with an error that a retry will not mend (a fault of this project)."""


class GraphNotBuilt(ZhiyeError):
    """No built graph generation exists yet."""


class NotCalibrated(ZhiyeError):
    """A kind of match has no fitted calibration for the encoder in use (data/calibration/)."""

    def __init__(self, kind: str, encoder: str, command: str):
        self.kind, self.encoder, self.command = kind, encoder, command
        super().__init__(f"no {kind} calibration for the encoder {encoder}; fit it with {command}")


class BuildError(ZhiyeError):
    """A build or a load produced an inconsistent graph (a fault of this project, not of a source):
    nothing is published, the previous generation stays served."""


class CalibrationMismatch(ZhiyeError):
    """A fitted calibration file does not fit the code that reads it (its features changed): refit it."""
