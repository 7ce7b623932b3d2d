"""Reader for Semantic Scholar Graph API papers: `{"data": [...]}` (search, bulk search), a list
(the batch endpoint, with `null` for ids it did not find), one paper, or JSON Lines (datasets).

References, when requested with `fields=references.externalIds,references.title`, are kept
by the best handle each has: DOI, then arXiv id, then S2 paperId, then title.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..model import Paper
from .jsondocs import read_records
from .names import author_ids
from .records import Source, arxiv_id, bare_doi, field, objects, reference_of


def read_s2(source: Source) -> Iterator[Paper | InputError]:
    """One paper per item, numbered by line (JSON Lines) or position (a response's list)."""
    return read_records(source, paper_fields)


def paper_fields(paper: dict[str, Any]) -> dict[str, Any]:
    """A Semantic Scholar paper's fields under Paper's names."""
    ids = field(paper, "externalIds", dict)
    return {
        "id": paper.get("paperId"), "title": paper.get("title"), "abstract": paper.get("abstract"),
        "year": paper.get("year"), "venue": paper.get("venue"), "url": paper.get("url"),
        "doi": bare_doi(ids.get("DOI")), "arxiv": arxiv_id(ids.get("ArXiv")), "pmid": ids.get("PubMed"),
        "authors": [a.get("name") for a in objects(paper, "authors")],
        "author_ids": [author_ids(s2=a.get("authorId")) for a in objects(paper, "authors")],
        "references": [reference_of(r) for r in objects(paper, "references")],
    }
