"""Minting IRIs: the one place where paper and concept IRIs are made.

IRIs must be stable: the same input gives the same IRI on every run and machine, so they
are derived from identifiers (DOI, arXiv id) or from normalised text, never from counters
or the order papers were read in.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from ..namespaces import BASE, CONCEPT, PAPER, VOCAB

_ARXIV = re.compile(r"(?:arxiv:|arxiv\.org/abs/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)


def normalise_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title, for matching papers."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def slug(text: str) -> str:
    """Lowercase ASCII words joined by '-', for readable IRIs."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def normalise_doi(doi: str) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I).lower()


def normalise_arxiv(arxiv: str) -> str | None:
    match = _ARXIV.search(arxiv.strip())
    return match.group(1).lower() if match else None


def paper_iri(key: str) -> str:
    """IRI for a paper key; readable for arXiv ids, hashed for DOIs and titles."""
    kind, _, value = key.partition(":")
    if kind == "arxiv":
        return str(PAPER["arxiv-" + slug(value)])
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]
    return str(PAPER[f"{kind}-{digest}"])


def concept_iri(ctype: str, label: str) -> str:
    """IRI for a concept found in text (vocabulary concepts carry their own IRIs).

    Hyphens, case and a regular plural of the last word do not change it, so
    "Neural Memory Networks" and "neural memory network" are one concept.
    """
    return str(CONCEPT[f"{ctype}/{slug(_singular_last(label))}"])


def _singular_last(label: str) -> str:
    head, _, last = label.rpartition(" ")
    if len(last) > 3 and re.fullmatch(r"[A-Za-z]*[a-z]s", last) and not last.endswith(("ss", "us", "is")):
        last = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return f"{head} {last}" if head else last


def mention_iri(paper: str, field: str, start: int, end: int) -> str:
    """IRI of one mention: the paper's IRI plus where the text is."""
    return f"{paper}/mention/{field}/{start}-{end}"


def cooccurrence_iri(a: str, b: str) -> str:
    """IRI of the co-occurrence of two concepts, the same whichever order they come in."""
    first, second = sorted((a, b))
    digest = hashlib.sha1(f"{first} {second}".encode("utf-8")).hexdigest()[:16]
    return f"{BASE}cooccurrence/{digest}"


def scheme_iri(ctype: str) -> str:
    """IRI of the concept scheme of one concept type."""
    return str(VOCAB[ctype])


def statement_iri(subject: str, predicate: str, obj: str) -> str:
    """IRI of the reified statement that carries a link's evidence."""
    digest = hashlib.sha1(f"{subject} {predicate} {obj}".encode("utf-8")).hexdigest()[:16]
    return f"{BASE}statement/{digest}"


def evidence_iri(statement: str, paper: str, field: str, start: int, end: int) -> str:
    """IRI of one piece of textual evidence of a statement."""
    digest = hashlib.sha1(f"{paper} {field} {start} {end}".encode("utf-8")).hexdigest()[:12]
    return f"{statement}/evidence/{digest}"
