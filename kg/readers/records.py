"""Turning a flat record (a JSON object, a CSV row) into a `Paper`.

JSON Lines and CSV carry the same fields, so both readers share this mapping and its
errors: `title` is required, `abstract` may be empty, the rest is optional metadata.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..model import Paper

REQUIRED = ("title",)
OPTIONAL = ("abstract", "id", "doi", "arxiv", "pmid", "url", "year", "venue", "authors", "references")


def paper_from_record(rec: Mapping[str, Any], name: str, line: int) -> Paper:
    """Map a record to a Paper; raise InputError naming file and line when it is unusable."""
    title = _text(rec.get("title"))
    if not title:
        raise InputError(name, "record has no 'title'", line)
    return Paper(
        title=title,
        abstract=_text(rec.get("abstract")),
        id=_text(rec.get("id")) or None,
        doi=_text(rec.get("doi")) or None,
        arxiv=_text(rec.get("arxiv")) or None,
        pmid=_text(rec.get("pmid")) or None,
        url=_text(rec.get("url")) or None,
        year=_year(rec.get("year"), name, line),
        venue=_text(rec.get("venue")) or None,
        authors=_authors(rec.get("authors")),
        sources=[name],
        references=_references(rec.get("references", rec.get("referenced_works"))),
    )


def _text(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _year(value: Any, name: str, line: int) -> int | None:
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(\D.*)?", text)
    if not match:
        raise InputError(name, f"'year' is not a year: {text!r}", line)
    return int(match.group(1))


def _authors(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [_text(a.get("name") if isinstance(a, dict) else a) for a in value if a]
    return [a.strip() for a in re.split(r"\s*;\s*|\s+and\s+", str(value)) if a.strip()]


def _references(value: Any) -> list[str]:
    """References as strings: a list (of strings or objects with doi/arxiv/title), or a
    string separated by ';' or '|' (CSV)."""
    if not value:
        return []
    if isinstance(value, str):
        return [r.strip() for r in re.split(r"\s*[;|]\s*", value) if r.strip()]
    out = []
    for ref in value:
        if isinstance(ref, dict):
            ids = ref.get("externalIds") or {}
            ref = ref.get("doi") or ids.get("DOI") or ref.get("arxiv") or ids.get("ArXiv") or ref.get("id") \
                or ref.get("title") or ""
            ref = str(ref)
        if str(ref).strip():
            out.append(_text(ref))
    return out
