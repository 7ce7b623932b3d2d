"""Readers: one module per input format, each a generator of `Paper` records.

`read_paths` is the entry point: it expands directories, picks a reader per file (by
extension, then by a look at the content) and streams papers. Readers register here by
name, the way rdflib's plugin registry does, so the CLI and errors can list them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError, KgError
from ..model import Paper
from . import csv as csv_reader
from . import jsonl as jsonl_reader
from . import page as page_reader
from .text import sniff

Reader = Callable[[Path, str], Iterator[Paper]]

READERS: dict[str, Reader] = {
    "page": page_reader.read_page,
    "jsonl": jsonl_reader.read_jsonl,
    "csv": csv_reader.read_csv,
}
EXTENSIONS: dict[str, str] = {
    ".txt": "page", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
}


def reader_for(path: Path) -> str:
    """Name of the reader for `path`: by extension, else by content."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    return by_ext or sniff(path)


def list_inputs(path: Path) -> list[tuple[Path, str]]:
    """Files to read under `path` with the name each is recorded under.

    A directory means every file in it (sorted, recursively) whose extension a reader
    claims; hidden files and others are left alone.
    """
    if not path.exists():
        raise InputError(path, "no such file or directory")
    if path.is_file():
        return [(path, path.name)]
    files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
    return [(p, p.relative_to(path).as_posix()) for p in files if p.suffix.lower() in EXTENSIONS]


def read_paths(paths: Iterable[str | Path], fmt: str | None = None) -> Iterator[Paper]:
    """Stream papers from files and directories, in a stable order."""
    for root in paths:
        root = Path(root)
        inputs = list_inputs(root)
        if not inputs:
            raise InputError(root, f"no readable files (extensions: {', '.join(sorted(EXTENSIONS))})")
        for file, name in inputs:
            yield from READERS[_choose(file, fmt)](file, name)


def _choose(file: Path, fmt: str | None) -> str:
    if fmt is None:
        return reader_for(file)
    if fmt not in READERS:
        raise KgError(f"unknown input format {fmt!r} (choose from: {', '.join(READERS)})")
    return fmt


def _hidden(p: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(root).parts)
