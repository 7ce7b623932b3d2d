"""Errors a user can act on.

Every error raised for bad input is a `KgError` whose message names the file (and line or
record) and what to do, so the CLI can print it as one line instead of a traceback.
"""
from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base class for errors caused by input or usage, not by a bug."""


class InputError(KgError):
    """A file or record that cannot be read; names where it is."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


class QueryError(KgError):
    """A SPARQL query that cannot be parsed or run."""
