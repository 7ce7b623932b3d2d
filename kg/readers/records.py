"""Turning a record, once mapped to `Paper` field names, into a `Paper` or the reason it can't be.

Every reader maps its native record (a BibTeX entry, an OpenAlex work, a CSV row...) to a
dict of `Paper` fields and hands it to `make_paper`, so the rules are the same for every
format: `title` is required, `abstract` may be empty, `year` must start with four digits,
the rest is optional metadata. An unusable record comes back as an `InputError` (file and
record number) for `read_paths` to raise or report; reading goes on either way.

A `Source` carries the two names a file has: the path the user gave (errors name it, so
`refs/a.bib:12` points at the file from where they typed the command) and the name its
records keep in `Paper.sources` (the file's name, or its path inside a directory given),
which the outputs show and which must not change with the directory a build runs from.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import zip_longest
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import InputError, InputWarning
from ..model import Paper
from .names import author_ids

TEXT_FIELDS = ("id", "doi", "arxiv", "pmid", "url", "venue")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|arxiv[:.]\s*|^)"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$", re.I)


class Source(NamedTuple):
    """A file to read: its path as the user gave it (for errors) and the name its records keep."""

    path: Path
    name: str

    def error(self, message: str, line: int | None = None) -> InputError:
        """An error about this file (at `line`, a line or record number, where known)."""
        return InputError(self.path, message, line)

    def warning(self, message: str, line: int | None = None) -> InputWarning:
        """A warning about this file: something read, but maybe not as meant."""
        return InputWarning(self.path, message, line)


class WrongShape(ValueError):
    """A field of a JSON record holding another type than its format gives it ('ids' a list)."""


def field(record: Mapping[str, Any], key: str, kind: type[dict] | type[list]) -> Any:
    """`record[key]` when it is a `kind` (dict or list), the empty one when missing or null;
    any other value is a `WrongShape`, which the JSON readers report as a bad record."""
    value = record.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise WrongShape(f"{key!r} is {json_kind(value)}, expected {'an object' if kind is dict else 'a list'}")
    return value


def objects(record: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """The objects in the list `record[key]`; other items (S2's nulls for unknown works) are left out."""
    return [item for item in field(record, key, list) if isinstance(item, dict)]


def json_kind(value: Any) -> str:
    """A JSON value's type as an error names it: 'null', 'a list', 'text'..."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def make_paper(fields: Mapping[str, Any], source: Source, number: int | None) -> Paper | InputError:
    """The Paper these fields describe, or the InputError that makes the record unusable."""
    title = clean(fields.get("title"))
    if not title:
        return source.error("record has no 'title'", number)
    year = clean(fields.get("year"))
    if year and not re.fullmatch(r"\d{4}(\D.*)?", year):
        return source.error(f"'year' is not a year: {year!r}", number)
    return Paper(
        title=title,
        abstract=clean(fields.get("abstract")),
        **{key: clean(fields.get(key)) or None for key in TEXT_FIELDS},
        year=int(year[:4]) if year else None,
        **_byline(fields.get("authors") or (), fields.get("author_ids") or ()),
        sources=[source.name],
        references=_strings(fields.get("references") or ()),
    )


def flat_fields(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A flat record's fields (a JSON Lines object, a CSV row), whose keys are already Paper's.
    An author may be an object: {"name", "orcid", "openalex", "s2"} (identifiers optional)."""
    refs = rec.get("references", rec.get("referenced_works"))
    authors = rec.get("authors")
    ids = [author_ids(a.get("orcid"), a.get("openalex"), a.get("s2")) if isinstance(a, dict) else []
           for a in authors if a] if isinstance(authors, list) else []
    return {**rec, "authors": _authors(authors), "author_ids": ids, "references": _references(refs)}


def clean(value: Any) -> str:
    """Text with runs of whitespace collapsed; '' for None.

    `str.split` splits where `\\s+` matches (both use Unicode's whitespace) at a fifth of the cost."""
    return " ".join(str(value).split()) if value is not None else ""


def bare_doi(value: Any) -> str | None:
    """A DOI without its 'https://doi.org/' or 'doi:' prefix."""
    text = clean(value)
    return _DOI.sub("", text) or None


def arxiv_id(*values: Any) -> str | None:
    """The arXiv id (no version) in the first value that holds one: 'arXiv:2104.07001v2',
    'http://arxiv.org/abs/2104.07001', '10.48550/arXiv.2104.07001' or a bare id."""
    for value in values:
        match = _ARXIV.search(clean(value))
        if match:
            return match.group(1)
    return None


def _byline(names: Iterable[Any], ids: Iterable[Any]) -> dict[str, list]:
    """`authors` and `author_ids` from a reader's names and the identifiers of each (a list
    per author, in step with the names); authors without a name are left out with their ids."""
    authors, identified = [], []
    for name, known in zip_longest(names, ids):
        if name := clean(name):
            authors.append(name)
            identified.append(list(known or ()))
    return {"authors": authors, "author_ids": identified if any(identified) else []}


def _strings(values: Iterable[Any]) -> list[str]:
    return [text for text in (clean(v) for v in values) if text]


def _authors(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [clean(a.get("name") if isinstance(a, dict) else a) for a in value if a]
    return [a.strip() for a in re.split(r"\s*;\s*|\s+and\s+", str(value)) if a.strip()]


def _references(value: Any) -> list[str]:
    """References as strings: a list (of strings or objects with doi/arxiv/title), or a
    string separated by ';' or '|' (CSV)."""
    if not value:
        return []
    if isinstance(value, str):
        return [r.strip() for r in re.split(r"\s*[;|]\s*", value) if r.strip()]
    if not isinstance(value, list):
        raise WrongShape(f"'references' is {json_kind(value)}, expected a list or text")
    return _strings(reference_of(r) if isinstance(r, dict) else r for r in value)


def reference_of(ref: Mapping[str, Any]) -> str:
    """The best handle of a cited work given as an object: DOI > arXiv id > id > title.

    Knows both flat keys (doi, arxiv, id) and Semantic Scholar's (externalIds, paperId).
    """
    ids = field(ref, "externalIds", dict)
    return clean(ref.get("doi") or ids.get("DOI") or ref.get("arxiv") or ids.get("ArXiv") or ref.get("id")
                 or ref.get("paperId") or ref.get("title"))
