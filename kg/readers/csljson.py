"""Reader for CSL-JSON, the array of items Zotero, Mendeley and citeproc tools export.

Names come as {family, given} or {literal}; the date as `issued.date-parts` (ints or
strings, as Zotero writes them) or a `raw`/`literal` string. Preprints carry their arXiv id
in `URL`, `number` or an arXiv DOI (10.48550/arXiv.*).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..model import Paper
from .jsondocs import read_records
from .names import author_ids, join_name
from .records import Source, arxiv_id, bare_doi, field, objects


def read_csljson(source: Source) -> Iterator[Paper | InputError]:
    """One paper per item, numbered by position in the array."""
    return read_records(source, item_fields)


def item_fields(item: dict[str, Any]) -> dict[str, Any]:
    """A CSL item's fields under Paper's names."""
    return {
        "title": item.get("title"), "abstract": item.get("abstract"), "year": _year(item.get("issued")),
        "venue": item.get("container-title"), "doi": bare_doi(item.get("DOI")), "url": item.get("URL"),
        "pmid": item.get("PMID"), "arxiv": arxiv_id(item.get("URL"), item.get("number"), item.get("DOI")),
        "authors": [_name(a) for a in objects(item, "author")],
        "author_ids": [author_ids(a.get("ORCID") or a.get("orcid")) for a in objects(item, "author")],
    }


def _name(author: dict[str, Any]) -> str:
    return author.get("literal") or join_name(author.get("given"), author.get("family"))


def _year(issued: Any) -> Any:
    """The year of a CSL date: date-parts' first part, else the raw or literal text."""
    if not isinstance(issued, dict):
        return issued
    parts = field(issued, "date-parts", list)
    if parts and isinstance(parts[0], list) and parts[0]:
        return parts[0][0]
    return issued.get("raw") or issued.get("literal")
