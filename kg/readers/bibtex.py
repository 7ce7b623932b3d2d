"""Reader for BibTeX, as exported by Zotero, JabRef, Google Scholar and hand-kept `.bib` files.

bibtexparser (v2) splits the file and resolves `@string`s; its LaTeX decoding turns
`{\\"o}` into `ö` and drops protective braces (`{fMRI}`). Names are split on `and` before
decoding, so a braced corporate author (`{Barnes and Noble}`) stays one author.
Records are numbered by the line their `@` is on; a block the parser gave up on is reported.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares import LatexDecodingMiddleware, NormalizeFieldKeys, SeparateCoAuthors
from pylatexenc.latex2text import LatexNodes2Text  # bibtexparser's own decoder

from ..errors import InputError
from ..model import Paper
from .names import display_name
from .records import Source, arxiv_id, bare_doi, make_paper
from .text import read_text

DECODER = LatexNodes2Text(math_mode="verbatim")


def read_bibtex(source: Source) -> Iterator[Paper | InputError]:
    """One paper per entry, in file order; unparsable blocks become errors."""
    stack = [NormalizeFieldKeys(), SeparateCoAuthors(), LatexDecodingMiddleware(decoder=DECODER)]
    text = read_text(source.path)
    with _quiet():
        library = bibtexparser.parse_string(text, append_middleware=stack)
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.ParsingFailedBlock):
            yield source.error(f"malformed BibTeX entry ({_reason(block)})", line)
        elif isinstance(block, model.Entry):
            yield make_paper(entry_fields(block), source, line)


def entry_fields(entry: model.Entry) -> dict[str, object]:
    """An entry's fields under Paper's names."""
    get = lambda key: _value(entry, key)  # noqa: E731
    return {
        "title": get("title"), "abstract": get("abstract"), "year": get("year"),
        "venue": get("journal") or get("booktitle"), "doi": bare_doi(get("doi")),
        "arxiv": _arxiv(entry), "pmid": get("pmid"), "url": get("url"), "id": entry.key,
        "authors": [display_name(DECODER.latex_to_text(a)) for a in _names(entry)],
    }


def _value(entry: model.Entry, key: str) -> str | None:
    field = entry.fields_dict.get(key)
    return field.value if field is not None and isinstance(field.value, str) else None


def _names(entry: model.Entry) -> list[str]:
    field = entry.fields_dict.get("author")
    names = field.value if field is not None else []
    return [n for n in ([names] if isinstance(names, str) else names) if n.strip().lower() != "others"]


def _arxiv(entry: model.Entry) -> str | None:
    """`eprint` when `archivePrefix`/`eprinttype` says arXiv (or says nothing), else `arxiv`."""
    prefix = (_value(entry, "archiveprefix") or _value(entry, "eprinttype") or "arxiv").lower()
    eprint = _value(entry, "eprint") if prefix == "arxiv" else None
    return arxiv_id(eprint, _value(entry, "arxiv"), _value(entry, "arxivid"))


def _reason(block: model.ParsingFailedBlock) -> str:
    return (getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__).strip()


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep the parser from logging what `read_bibtex` reports itself, with a better line."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
