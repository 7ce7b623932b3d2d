"""Readers: one module per input format, each a generator of `Paper` records.

`read_paths` is the entry point: it expands directories, picks a reader per file (by
content where it tells, else by extension) and streams papers. Readers register here by
name, the way rdflib's plugin registry does, so the CLI and errors can list them.

A reader yields an `InputError` in place of a record it cannot use and goes on; it raises
only when the whole file is unreadable (not UTF-8, not XML, no header...). `read_paths`
decides what a yielded error means: raised (strict), or collected and skipped. A reader
may also yield an `InputWarning` next to a record it read (a reused BibTeX key): collected
for the build's summary, never fatal.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from warnings import warn

from ..errors import InputError, InputWarning, KgError
from ..model import Paper
from .arxiv import read_arxiv
from .bibtex import read_bibtex
from .csljson import read_csljson
from .csv import read_csv
from .jsonl import read_jsonl
from .openalex import read_openalex
from .page import read_page
from .pubmed import read_pubmed
from .records import Source
from .ris import read_ris
from .s2 import read_s2
from .text import sniff

Reader = Callable[[Source], Iterator[Paper | InputError | InputWarning]]

READERS: dict[str, Reader] = {
    "page": read_page,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "bibtex": read_bibtex,
    "ris": read_ris,
    "csljson": read_csljson,
    "arxiv": read_arxiv,
    "openalex": read_openalex,
    "s2": read_s2,
    "pubmed": read_pubmed,
}
EXTENSIONS: dict[str, str] = {
    ".txt": "page", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".bib": "bibtex",
    ".bibtex": "bibtex", ".ris": "ris", ".json": "csljson", ".xml": "pubmed", ".atom": "arxiv",
}


def reader_for(path: Path) -> str:
    """Name of the reader for `path`: by content where the first few KiB tell, else by extension."""
    return sniff(path) or EXTENSIONS.get(path.suffix.lower()) or "page"


def list_inputs(path: Path) -> list[Source]:
    """Files to read under `path`, each with the name its records keep as their source.

    A directory means every file in it (sorted, recursively) whose extension a reader
    claims; hidden files and others are left alone.
    """
    if not path.exists():
        raise InputError(path, "no such file or directory")
    if path.is_file():
        return [Source(path, path.name)]
    files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
    return [Source(p, p.relative_to(path).as_posix()) for p in files if p.suffix.lower() in EXTENSIONS]


def read_paths(paths: Iterable[str | Path], fmt: str | None = None, strict: bool = False,
               problems: list[InputError] | None = None,
               warnings: list[InputWarning] | None = None) -> Iterator[Paper]:
    """Stream papers from files and directories, in a stable order.

    A record a reader cannot use is raised with `strict`, else appended to `problems` and
    skipped. With no `problems` list to report to, it is raised too: nothing is dropped
    without anyone being told. Warnings go to `warnings`, or without it to Python's
    `warnings.warn`.
    """
    for root in paths:
        root = Path(root)
        inputs = list_inputs(root)
        if not inputs:
            raise InputError(root, f"no readable files (extensions: {', '.join(sorted(EXTENSIONS))})")
        for source in inputs:
            for item in READERS[_choose(source.path, fmt)](source):
                if isinstance(item, InputError):
                    _report(item, strict, problems)
                elif isinstance(item, InputWarning):
                    _note(item, warnings)
                else:
                    yield item


def _report(error: InputError, strict: bool, problems: list[InputError] | None) -> None:
    if strict or problems is None:
        raise error
    problems.append(error)


def _note(warning: InputWarning, warnings: list[InputWarning] | None) -> None:
    if warnings is None:
        warn(warning, stacklevel=3)
    else:
        warnings.append(warning)


def _choose(file: Path, fmt: str | None) -> str:
    if fmt is None:
        return reader_for(file)
    if fmt not in READERS:
        raise KgError(f"unknown input format {fmt!r} (choose from: {', '.join(READERS)})")
    return fmt


def _hidden(p: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(root).parts)
