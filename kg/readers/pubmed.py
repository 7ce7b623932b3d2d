"""Reader for PubMed XML: E-utilities `efetch` output (PubmedArticleSet) and older MEDLINE
citation files (MedlineCitationSet), streamed record by record.

Structured abstracts come as several labelled `AbstractText` sections; they are joined
with their label ("METHODS: ..."). PubMed ends every title with a period, which is dropped
so the title matches the same paper from other sources. Cited works are kept by their
DOI, arXiv id or PMID (as "PMID:123").
"""
from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree as ET

from ..errors import InputError
from ..model import Paper
from .names import author_ids, join_name
from .records import Source, arxiv_id, make_paper
from .xmlstream import iter_elements, text_of

ROOTS = {"PubmedArticleSet": "PubmedArticle", "MedlineCitationSet": "MedlineCitation"}


def read_pubmed(source: Source) -> Iterator[Paper | InputError]:
    """One paper per article, numbered by position in the file."""
    for number, elem in iter_elements(source.path, ROOTS):
        yield make_paper(article_fields(elem), source, number)


def article_fields(elem: ET.Element) -> dict[str, object]:
    """A PubmedArticle's (or MedlineCitation's) fields under Paper's names."""
    citation = elem if elem.tag == "MedlineCitation" else elem.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if article is None:
        return {}
    ids = _ids(elem.find("PubmedData/ArticleIdList"))
    pmid = citation.findtext("PMID")
    return {
        "title": _title(text_of(article.find("ArticleTitle"))), "abstract": _abstract(article),
        "authors": [_author(a) for a in article.findall("AuthorList/Author")],
        "author_ids": [author_ids(a.findtext("Identifier[@Source='ORCID']")) for a in article.findall("AuthorList/Author")],
        "venue": article.findtext("Journal/Title"), "year": _year(article.find("Journal/JournalIssue/PubDate")),
        "pmid": pmid, "doi": ids.get("doi") or article.findtext("ELocationID[@EIdType='doi']"),
        "arxiv": arxiv_id(ids.get("arxiv")), "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None,
        "references": [_reference(r) for r in elem.findall("PubmedData/ReferenceList/Reference/ArticleIdList")],
    }


def _title(title: str) -> str:
    title = title.strip()
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _abstract(article: ET.Element) -> str:
    sections = []
    for part in article.findall("Abstract/AbstractText"):
        label = part.get("Label")
        sections.append(f"{label}: {text_of(part)}" if label else text_of(part))
    return " ".join(sections)


def _author(author: ET.Element) -> str:
    collective = author.findtext("CollectiveName")
    return collective or join_name(author.findtext("ForeName") or author.findtext("Initials"),
                                   author.findtext("LastName"))


def _year(date: ET.Element | None) -> str | None:
    """PubDate's Year, or the first four characters of a MedlineDate ('2021 Jan-Feb')."""
    if date is None:
        return None
    return date.findtext("Year") or (date.findtext("MedlineDate") or "")[:4] or None


def _ids(id_list: ET.Element | None) -> dict[str, str]:
    if id_list is None:
        return {}
    return {i.get("IdType", ""): (i.text or "").strip() for i in id_list.findall("ArticleId") if i.text}


def _reference(id_list: ET.Element) -> str:
    ids = _ids(id_list)
    if ids.get("doi") or ids.get("arxiv"):
        return ids.get("doi") or ids["arxiv"]
    return f"PMID:{ids['pubmed']}" if ids.get("pubmed") else ""
