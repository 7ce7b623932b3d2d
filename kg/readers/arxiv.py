"""Reader for arXiv API responses: an Atom feed of `<entry>` elements (also what `kg fetch arxiv` saves).

Titles and summaries come wrapped at ~80 columns with runs of spaces; they are collapsed.
The id is the abs URL with a version (`.../abs/2104.07001v2`); the version is dropped so
every version of a preprint is one paper.
"""
from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree as ET

from ..errors import InputError
from ..model import Paper
from .records import Source, arxiv_id, make_paper
from .xmlstream import iter_elements

NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
      "opensearch": "http://a9.com/-/spec/opensearch/1.1/"}
ENTRY = f"{{{NS['atom']}}}entry"


def read_arxiv(source: Source) -> Iterator[Paper | InputError]:
    """One paper per entry, numbered by position in the feed."""
    roots = {f"{{{NS['atom']}}}feed": ENTRY}
    for number, entry in iter_elements(source.path, roots):
        yield make_paper(entry_fields(entry), source, number)


def entry_fields(entry: ET.Element) -> dict[str, object]:
    """An Atom entry's fields under Paper's names."""
    text = lambda path: entry.findtext(path, default="", namespaces=NS)  # noqa: E731
    abs_url = text("atom:id")
    return {
        "title": text("atom:title"), "abstract": text("atom:summary"), "year": text("atom:published")[:4],
        "authors": [a.findtext("atom:name", "", NS) for a in entry.findall("atom:author", NS)],
        "arxiv": arxiv_id(abs_url), "doi": text("arxiv:doi"), "venue": text("arxiv:journal_ref"),
        "url": _link(entry) or abs_url,
    }


def _link(entry: ET.Element) -> str | None:
    for link in entry.findall("atom:link", NS):
        if link.get("rel") == "alternate":
            return link.get("href")
    return None
