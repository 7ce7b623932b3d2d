"""Reader for BibTeX, as exported by Zotero, JabRef, Google Scholar and hand-kept `.bib` files.

bibtexparser (v2) splits the file and resolves `@string`s; its LaTeX decoding turns
`{\\"o}` into `ö` and drops protective braces (`{fMRI}`). Names are split on `and` before
decoding, so a braced corporate author (`{Barnes and Noble}`) stays one author.
Records are numbered by the line their `@` is on; a block the parser gave up on is reported.

A citation key used twice (LaTeX only warns; Zotero and Better BibTeX exports do it) is two
papers: the later entry is read under the first free key of `key-2`, `key-3`..., which
becomes its record id, and a warning names the file, its line and the key.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser import model
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, NormalizeFieldKeys, SeparateCoAuthors
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.parsestack import default_parse_stack
from pylatexenc.latex2text import LatexNodes2Text  # bibtexparser's own decoder

from ..errors import InputError, InputWarning
from ..model import Paper
from .names import display_name
from .records import Source, arxiv_id, bare_doi, make_paper
from .text import read_text

DECODER = LatexNodes2Text(math_mode="verbatim")
REUSED = "kg_reused_key"  # parser metadata of an entry read under a new key: (its key, line of the first)


def read_bibtex(source: Source) -> Iterator[Paper | InputError | InputWarning]:
    """One paper per entry, in file order; unparsable blocks become errors."""
    stack = [KeepReusedKeys(), *default_parse_stack(), NormalizeFieldKeys(), SeparateCoAuthors(),
             LatexDecodingMiddleware(decoder=DECODER)]
    text = read_text(source.path)
    with _quiet():
        library = bibtexparser.parse_string(text, parse_stack=stack)
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.ParsingFailedBlock):
            yield source.error(f"malformed BibTeX entry ({_reason(block)})", line)
        elif isinstance(block, model.Entry):
            if reused := block.get_parser_metadata(REUSED):
                yield source.warning(f"citation key {reused[0]!r} used again (first at line {reused[1] + 1}); "
                                     f"read as another paper, with record id {block.key!r}", line)
            yield make_paper(entry_fields(block), source, line)


class KeepReusedKeys(BlockMiddleware):
    """Gives back the entries bibtexparser set aside for reusing a key, each under the first
    free key of `key-2`, `key-3`..., noting the key it reused in its parser metadata."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)
        self.taken: set[str] = set()

    def transform(self, library: Library) -> Library:
        self.taken = set(library.entries_dict)
        return super().transform(library)

    def transform_failed_block(self, block: model.ParsingFailedBlock, library: Library) -> model.Block:
        entry = block.ignore_error_block
        if not isinstance(block, model.DuplicateBlockKeyBlock) or not isinstance(entry, model.Entry):
            return block
        entry.set_parser_metadata(REUSED, (entry.key, block.previous_block.start_line or 0))
        entry.key = next(f"{entry.key}-{n}" for n in itertools.count(2) if f"{entry.key}-{n}" not in self.taken)
        self.taken.add(entry.key)
        return entry


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
