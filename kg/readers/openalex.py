"""Reader for OpenAlex works: an API response (`{"meta", "results"}`), one work, or JSON Lines
of works (what `kg fetch openalex` saves, and the shape of the snapshot).

OpenAlex does not ship abstracts as text but as an inverted index (word -> positions); it is
turned back into text here. Ids are kept short (`W2741809807`); cited works become references
by the same W ids, which the linker resolves.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import InputError
from ..model import Paper
from .jsondocs import read_records
from .names import author_ids
from .records import Source, WrongShape, arxiv_id, bare_doi, field, objects

_WORK = re.compile(r"^https?://openalex\.org/", re.I)


def read_openalex(source: Source) -> Iterator[Paper | InputError]:
    """One paper per work, numbered by line (JSON Lines) or position (a response's results)."""
    return read_records(source, work_fields)


def work_fields(work: dict[str, Any]) -> dict[str, Any]:
    """An OpenAlex work's fields under Paper's names."""
    ids = field(work, "ids", dict)
    location = field(work, "primary_location", dict)
    doi = bare_doi(work.get("doi") or ids.get("doi"))
    authors = [field(a, "author", dict) for a in objects(work, "authorships")]
    return {
        "id": short_id(work.get("id")), "title": work.get("title") or work.get("display_name"),
        "abstract": rebuild_abstract(field(work, "abstract_inverted_index", dict)), "year": work.get("publication_year"),
        "doi": doi, "pmid": _last_part(ids.get("pmid")),
        "arxiv": arxiv_id(doi, location.get("landing_page_url")),
        "venue": field(location, "source", dict).get("display_name"),
        "url": location.get("landing_page_url") or work.get("id"),
        "authors": [author.get("display_name") for author in authors],
        "author_ids": [author_ids(author.get("orcid"), author.get("id")) for author in authors],
        "references": [short_id(w) for w in field(work, "referenced_works", list)],
    }


def rebuild_abstract(index: Mapping[str, list[int]] | None) -> str:
    """The abstract text from OpenAlex's inverted index {word: [positions]}."""
    if not index:
        return ""
    if not all(isinstance(places, list) and all(type(p) is int for p in places) for places in index.values()):
        raise WrongShape("'abstract_inverted_index' is not {word: [positions]}")
    positions = {pos: word for word, places in index.items() for pos in places}
    return " ".join(positions[pos] for pos in sorted(positions))


def short_id(value: Any) -> str | None:
    """'https://openalex.org/W123' -> 'W123'."""
    return _WORK.sub("", str(value)) if value else None


def _last_part(url: Any) -> str | None:
    """'https://pubmed.ncbi.nlm.nih.gov/35100001' -> '35100001'."""
    return str(url).rstrip("/").rsplit("/", 1)[-1] if url else None
