"""Decoding text files with errors that say where and why, and guessing a file's format.

Shared by the text-based readers so a binary or non-UTF-8 file gets the same clear
message (file and line) whichever reader meets it. `sniff` looks at the first few KiB
because extensions are only a hint: a `.json` may be CSL-JSON, OpenAlex or Semantic
Scholar, an `.xml` PubMed or an arXiv feed, a `.txt` a BibTeX or RIS export.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

_SNIFF_BYTES = 8192
_PUBMED = re.compile(r"<(PubmedArticleSet|MedlineCitationSet|PubmedArticle|MedlineCitation)[\s>]")
_ATOM = re.compile(r"<(\w+:)?feed[\s>]")
_S2 = re.compile(r'"paperId"\s*:')
_OPENALEX = re.compile(r'"(abstract_inverted_index|authorships)"\s*:|"https://openalex\.org/W\d+"')
_CSL = re.compile(r'"(issued|container-title|author)"\s*:')
_BIBTEX = re.compile(r"^\s*@\s*[a-zA-Z]+\s*[{(]", re.M)
_RIS = re.compile(r"^TY  - ", re.M)


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, line without newline), failing clearly on bad bytes."""
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if b"\x00" in raw:
                raise InputError(path, "binary file (NUL byte); expected UTF-8 text", number)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise InputError(path, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})", number) from None
            if number == 1:
                line = line.lstrip("\ufeff")
            yield number, line.rstrip("\r\n")


def read_text(path: Path) -> str:
    """The whole file as text, for formats whose parsers need it all at once."""
    return "\n".join(line for _, line in iter_lines(path)) + "\n"


def sniff(path: Path) -> str | None:
    """The reader the content points to, or None when the first few KiB do not tell."""
    with open(path, "rb") as f:
        head = f.read(_SNIFF_BYTES).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return _sniff_xml(head)
    if head.startswith(("{", "[")):
        return _sniff_json(head)
    if _BIBTEX.search(head):
        return "bibtex"
    if _RIS.search(head):
        return "ris"
    first = head.split("\n", 1)[0].lower()
    if "," in first and "title" in first and "abstract" in first:
        return "csv"
    return None


def _sniff_xml(head: str) -> str | None:
    if _PUBMED.search(head):
        return "pubmed"
    return "arxiv" if _ATOM.search(head) else None


def _sniff_json(head: str) -> str | None:
    if _S2.search(head):
        return "s2"
    if _OPENALEX.search(head):
        return "openalex"
    if head.startswith("{"):
        return "jsonl"
    return "csljson" if _CSL.search(head) else None
