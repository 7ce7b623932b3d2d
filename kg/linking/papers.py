"""Merging papers read from several sources into one record per paper.

A paper's identity is any of its keys (DOI, arXiv id, normalised title); records that
share a key are the same paper (union-find), so a record with a DOI and another with only
the title still merge. The merged record keeps the richest metadata and every source.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..model import Paper
from .iris import normalise_arxiv, normalise_doi, normalise_title, paper_iri


def paper_keys(paper: Paper) -> list[str]:
    """Every key that identifies this record, best first."""
    keys = []
    if paper.doi:
        keys.append("doi:" + normalise_doi(paper.doi))
    if paper.arxiv and normalise_arxiv(paper.arxiv):
        keys.append("arxiv:" + normalise_arxiv(paper.arxiv))
    title = normalise_title(paper.title)
    if title:
        keys.append("title:" + title)
    return keys


def merge_papers(papers: Iterable[Paper]) -> list[tuple[str, Paper]]:
    """(IRI, merged paper) per distinct paper, in order of first appearance."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    records: list[tuple[list[str], Paper]] = []
    for paper in papers:
        keys = paper_keys(paper)
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
        find(keys[0])
        records.append((keys, paper))
    groups: dict[str, list[tuple[list[str], Paper]]] = {}
    for keys, paper in records:
        groups.setdefault(find(keys[0]), []).append((keys, paper))
    return [_merge_group(group) for group in groups.values()]


def _merge_group(group: list[tuple[list[str], Paper]]) -> tuple[str, Paper]:
    keys = sorted({k for ks, _ in group for k in ks}, key=_key_rank)
    papers = [p for _, p in group]
    merged = Paper(
        title=max((p.title for p in papers), key=len),
        abstract=max((p.abstract for p in papers), key=len),
        id=_first(p.id for p in papers),
        doi=_first(p.doi for p in papers),
        arxiv=_first(p.arxiv for p in papers),
        pmid=_first(p.pmid for p in papers),
        url=_first(p.url for p in papers),
        year=_first(p.year for p in papers),
        venue=_first(p.venue for p in papers),
        authors=max((p.authors for p in papers), key=len),
        sources=sorted({s for p in papers for s in p.sources}),
        references=list(dict.fromkeys(r for p in papers for r in p.references)),
    )
    return paper_iri(keys[0]), merged


def _key_rank(key: str) -> tuple[int, str]:
    return ({"doi": 0, "arxiv": 1, "title": 2}[key.split(":", 1)[0]], key)


def _first(values):
    return next((v for v in values if v), None)
