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
from .jsondocs import iter_json_items
from .records import Source, arxiv_id, bare_doi, make_paper

_WORK = re.compile(r"^https?://openalex\.org/", re.I)


def read_openalex(source: Source) -> Iterator[Paper | InputError]:
    """One paper per work, numbered by line (JSON Lines) or position (a response's results)."""
    for item in iter_json_items(source.path):
        yield item if isinstance(item, InputError) else make_paper(work_fields(item[1]), source, item[0])


def work_fields(work: dict[str, Any]) -> dict[str, Any]:
    """An OpenAlex work's fields under Paper's names."""
    ids = work.get("ids") or {}
    location = work.get("primary_location") or {}
    doi = bare_doi(work.get("doi") or ids.get("doi"))
    return {
        "id": short_id(work.get("id")), "title": work.get("title") or work.get("display_name"),
        "abstract": rebuild_abstract(work.get("abstract_inverted_index")), "year": work.get("publication_year"),
        "doi": doi, "pmid": _last_part(ids.get("pmid")),
        "arxiv": arxiv_id(doi, location.get("landing_page_url")),
        "venue": (location.get("source") or {}).get("display_name"),
        "url": location.get("landing_page_url") or work.get("id"),
        "authors": [(a.get("author") or {}).get("display_name") for a in work.get("authorships") or []],
        "references": [short_id(w) for w in work.get("referenced_works") or []],
    }


def rebuild_abstract(index: Mapping[str, list[int]] | None) -> str:
    """The abstract text from OpenAlex's inverted index {word: [positions]}."""
    if not index:
        return ""
    positions = {pos: word for word, places in index.items() for pos in places}
    return " ".join(positions[pos] for pos in sorted(positions))


def short_id(value: Any) -> str | None:
    """'https://openalex.org/W123' -> 'W123'."""
    return _WORK.sub("", str(value)) if value else None


def _last_part(url: Any) -> str | None:
    """'https://pubmed.ncbi.nlm.nih.gov/35100001' -> '35100001'."""
    return str(url).rstrip("/").rsplit("/", 1)[-1] if url else None
