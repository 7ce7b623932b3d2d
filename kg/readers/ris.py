"""Reader for RIS, the tagged format of EndNote, Zotero, Mendeley and publishers' "export citation".

The file is cut into records here (`TY  -` to `ER  -`) so each can be numbered by the line
its `TY` is on and a bad one reported alone; rispy parses each record's tags.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rispy

from ..errors import InputError
from ..model import Paper
from .names import display_name
from .records import Source, bare_doi, make_paper
from .text import iter_lines

_PUBMED_DB = re.compile(r"pubmed|medline|nlm", re.I)


def read_ris(source: Source) -> Iterator[Paper | InputError]:
    """One paper per record, numbered by the line of its `TY` tag."""
    for line, text in _records(source.path):
        [record] = rispy.loads(text) or [{}]
        yield make_paper(record_fields(record), source, line)


def record_fields(rec: dict[str, Any]) -> dict[str, Any]:
    """A rispy record's fields under Paper's names."""
    first = lambda *keys: next((rec[k] for k in keys if rec.get(k)), None)  # noqa: E731
    urls = rec.get("urls") or []
    return {
        "title": first("title", "primary_title"), "abstract": first("abstract", "notes_abstract"),
        "authors": [display_name(a) for a in (rec.get("authors") or rec.get("first_authors") or [])],
        "year": first("year", "publication_year", "date"),
        "venue": first("alternate_title3", "secondary_title", "journal_name"),  # JF, T2, then JO (often abbreviated)
        "doi": bare_doi(rec.get("doi")), "url": urls[0] if urls else None, "pmid": _pmid(rec),
    }


def _pmid(rec: dict[str, Any]) -> str | None:
    """`AN` is the PubMed id when the record came from PubMed (`DB`/`DP` say so)."""
    number = str(rec.get("accession_number") or "").strip()
    database = f"{rec.get('name_of_database', '')} {rec.get('database_provider', '')}"
    return number if number.isdigit() and _PUBMED_DB.search(database) else None


def _records(path: Path) -> Iterator[tuple[int, str]]:
    """(line of `TY`, text) per record; lines outside records are ignored."""
    start, lines = 0, []
    for number, line in iter_lines(path):
        if line.startswith("TY  -"):
            start, lines = number, []
        if start:
            lines.append(line)
        if start and line.startswith("ER  -"):
            yield start, "\n".join(lines)
            start = 0
    if start:
        yield start, "\n".join(lines) + "\nER  - "
