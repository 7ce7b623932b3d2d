"""Minting IRIs: the one place where paper and concept IRIs are made.

IRIs must be stable: the same input gives the same IRI on every run and machine, so they
are derived from identifiers (DOI, arXiv id) or from normalised text, never from counters
or the order papers were read in.
"""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable

from ..namespaces import BASE, CONCEPT, PAPER, VOCAB

_ARXIV = re.compile(r"(?:arxiv:|arxiv\.org/abs/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)
_PMID = re.compile(r"^(?:pmid:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)?"
                   r"0*(\d{1,9})/?$", re.I)
_HTML_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>", re.I)
_TEX_ACCENT = re.compile(r"\\(?:[\"'`^~=.]|[cvHukrdbt](?![a-zA-Z]))\s*\{?\s*\\?([a-zA-Z])\}?")
_TEX_LETTERS = {"ss": "ss", "o": "o", "O": "O", "ae": "ae", "AE": "AE", "oe": "oe", "OE": "OE", "aa": "a",
                "AA": "A", "l": "l", "L": "L", "i": "i", "j": "j"}
_TEX_LETTER = re.compile(r"\\(%s)(?![a-zA-Z])\s*" % "|".join(sorted(_TEX_LETTERS, key=len, reverse=True)))
_TEX_COMMAND = re.compile(r"\\([a-zA-Z]+)\*?\s*(\{)?")
_LETTERS = {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
            "đ": "d", "ı": "i", "µ": " mu ", "&": " and "}
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.I)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VERSION = re.compile(r"(?:\s+(?:v|version)\s?\d+)+$")


def normalise_title(title: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a title: the `title:` key and its IRI.

    Kept as it is so title-only IRIs do not change; merging matches `normalise_match_title`.
    """
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def normalise_match_title(title: str) -> str:
    """A title stripped of everything that differs between copies of one paper, for merging.

    Sources spell one title with LaTeX (`{B}ayesian`, `\\emph{x}`, `$\\alpha$`, `\\"o`, `--`),
    HTML (`<i>in vivo</i>`, `&amp;`), Greek letters, a version marker (`v2`, `(v2)`, `[v3]`,
    `- version 2`) or a full stop; none of that tells two papers apart. Not used for IRIs:
    title-only IRIs hash `normalise_title`, so they stay what they were.
    """
    text = _HTML_TAG.sub("", html.unescape(title)) if "<" in title or "&" in title else title
    if "\\" in text:
        text = _TEX_LETTER.sub(lambda m: _TEX_LETTERS[m.group(1)], _TEX_ACCENT.sub(r"\1", text))
        text = _TEX_COMMAND.sub(lambda m: "" if m.group(2) else m.group(1), text)
    text = text.translate(_SPELL_OUT)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _VERSION.sub("", _NON_WORD.sub(" ", text.lower()).strip())


def _spell_out() -> dict[int, str | None]:
    """Letters that NFKD does not take to ASCII, spelt out; Greek ones by name (`α` -> alpha),
    so they match their LaTeX spelling `$\\alpha$`. TeX braces, `$` and apostrophes go."""
    table: dict[int, str | None] = {ord(c): s for c, s in _LETTERS.items()}
    table.update((ord(c), None) for c in "{}$'`")
    for code in range(0x370, 0x400):
        name = unicodedata.name(chr(code), "")
        if "GREEK" in name and "LETTER" in name:
            table[code] = f" {name.split(' WITH ')[0].rsplit(' ', 1)[-1].lower()} "
    return table


_SPELL_OUT = _spell_out()


def slug(text: str) -> str:
    """Lowercase ASCII words joined by '-', for readable IRIs."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def normalise_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).lower()


def normalise_arxiv(arxiv: str) -> str | None:
    match = _ARXIV.search(arxiv.strip())
    return match.group(1).lower() if match else None


def normalise_arxiv_doi(doi: str) -> str | None:
    """The arXiv id inside an arXiv DOI (`10.48550/arXiv.2101.00001`), else None.

    arXiv mints DOIs for preprints; such a DOI names the preprint, not a journal version,
    so merging treats it as the arXiv id it spells.
    """
    match = _ARXIV_DOI.match(normalise_doi(doi))
    return normalise_arxiv(match.group(1)) if match else None


def normalise_pmid(pmid: str) -> str | None:
    """PubMed id as digits only: "PMID: 123", "pmid:123", "123" and a PubMed URL give "123"."""
    match = _PMID.match(pmid.strip())
    return match.group(1) if match else None


def paper_iri(key: str) -> str:
    """IRI for a paper key; readable for arXiv ids, hashed for DOIs and titles."""
    kind, _, value = key.partition(":")
    if kind == "arxiv":
        return str(PAPER["arxiv-" + slug(value)])
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]
    return str(PAPER[f"{kind}-{digest}"])


def person_iri(name: str) -> str:
    """IRI of an author, from the name as readers give it ("Given Family").

    Accents, case, apostrophes and other punctuation do not change it, so "Jörg Müller",
    "Jorg Muller" and "JÖRG MÜLLER" are one person. Initials are not expanded: "J. Smith"
    and "John Smith" stay two people, because nothing in a record says they are the same
    and merging two real people is worse than splitting one. Names that keep letters
    outside ASCII (CJK, Cyrillic, "ø") get a hash of the normalised name after the slug,
    so they stay apart from each other.
    """
    text = unicodedata.normalize("NFKD", name.replace("'", "").replace("\u2019", "").casefold())
    key = " ".join(re.findall(r"\w+", "".join(c for c in text if not unicodedata.combining(c))))
    if key.isascii():
        return f"{BASE}person/{slug(key)}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return f"{BASE}person/{slug(key)}-{digest}"


def person_id_iri(identifier: str) -> str:
    """IRI of an author known by an identifier ("orcid:0000-0002-1825-0097" ->
    .../person/orcid/0000-0002-1825-0097): one more path segment than an IRI a name mints,
    so the two never meet."""
    kind, _, value = identifier.partition(":")
    return f"{BASE}person/{kind}/{slug(value)}"


def person_id_url(identifier: str) -> str | None:
    """The identifier's page on the web: orcid.org, openalex.org or semanticscholar.org."""
    kind, _, value = identifier.partition(":")
    pages = {"orcid": "https://orcid.org/", "openalex": "https://openalex.org/",
             "s2": "https://www.semanticscholar.org/author/"}
    return pages[kind] + value if kind in pages else None


def concept_iri(ctype: str, label: str) -> str:
    """IRI for a concept found in text (vocabulary concepts carry their own IRIs).

    Hyphens, case and a regular plural of the last word do not change it, so
    "Neural Memory Networks" and "neural memory network" are one concept, and "PLMs" and
    "PLM" too (an acronym's plural).
    """
    return str(CONCEPT[f"{ctype}/{slug(_singular_last(label))}"])


def _singular_last(label: str) -> str:
    head, _, last = label.rpartition(" ")
    if re.fullmatch(r"[A-Z][A-Z0-9]*[A-Z]s", last):  # "PLMs", "LLMs"
        last = last[:-1]
    elif len(last) > 3 and re.fullmatch(r"[A-Za-z]*[a-z]s", last) and not last.endswith(("ss", "us", "is")):
        last = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return f"{head} {last}" if head else last


def mention_iri(paper: str, field: str, start: int, end: int) -> str:
    """IRI of one mention: the paper's IRI plus where the text is."""
    return f"{paper}/mention/{field}/{start}-{end}"


def cooccurrence_iri(a: str, b: str) -> str:
    """IRI of the co-occurrence of two concepts, the same whichever order they come in."""
    return _pair_iri("cooccurrence", a, b)


def coauthorship_iri(a: str, b: str) -> str:
    """IRI of the co-authorship of two people, the same whichever order they come in."""
    return _pair_iri("coauthorship", a, b)


def _pair_iri(kind: str, a: str, b: str) -> str:
    first, second = sorted((a, b))
    digest = hashlib.sha1(f"{first} {second}".encode("utf-8")).hexdigest()[:16]
    return f"{BASE}{kind}/{digest}"


def scheme_iri(ctype: str) -> str:
    """IRI of the concept scheme of one concept type."""
    return str(VOCAB[ctype])


def burst_iri(concept: str, start: int) -> str:
    """IRI of a concept's burst that starts in `start` (a concept has at most one burst a year)."""
    digest = hashlib.sha1(f"{concept} {start}".encode("utf-8")).hexdigest()[:16]
    return f"{BASE}burst/{digest}"


def statement_iri(subject: str, predicate: str, obj: str) -> str:
    """IRI of the reified statement that carries a link's evidence."""
    digest = hashlib.sha1(f"{subject} {predicate} {obj}".encode("utf-8")).hexdigest()[:16]
    return f"{BASE}statement/{digest}"


def evidence_iri(statement: str, paper: str, field: str, start: int, end: int) -> str:
    """IRI of one piece of textual evidence of a statement."""
    digest = hashlib.sha1(f"{paper} {field} {start} {end}".encode("utf-8")).hexdigest()[:12]
    return f"{statement}/evidence/{digest}"


def cluster_iri(members: Iterable[str]) -> str:
    """IRI of a cluster of concepts: the same members, the same IRI."""
    digest = hashlib.sha1(" ".join(sorted(members)).encode("utf-8")).hexdigest()[:16]
    return f"{BASE}cluster/{digest}"
