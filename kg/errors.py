"""Errors a user can act on.

Every error raised for bad input is a `KgError` whose message names the file (and line or
record) and what to do, so the CLI can print it as one line instead of a traceback.
"""
from __future__ import annotations

from pathlib import Path


# Every character str.splitlines breaks at, as Python writes it escaped.
_LINE_BREAKS = str.maketrans({c: repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


class KgError(Exception):
    """Base class for errors caused by input or usage, not by a bug."""


class FormatError(KgError):
    """An output format name that is no format, or not one the command writes (the CLI's
    exit status 2, a malformed command line)."""


class InputError(KgError):
    """A file or record that cannot be read; names where it is, on one line (line breaks
    that came with the input, a vertical tab in a CSV header say, are escaped)."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        super().__init__(located(path, message, line))
        self.path = str(path)
        self.line = line


class InputWarning(UserWarning):
    """Something in an input that was read, but not as its author may have meant (a BibTeX
    citation key used twice); names where it is, like `InputError`."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        super().__init__(located(path, message, line))
        self.path = str(path)
        self.line = line


class QueryError(KgError):
    """A SPARQL query that cannot be parsed or run."""


def located(path: str | Path, message: str, line: int | None = None) -> str:
    """'path:line: message' (or 'path: message'), on one line."""
    where = f"{path}:{line}" if line is not None else str(path)
    return f"{where}: {message}".translate(_LINE_BREAKS)
