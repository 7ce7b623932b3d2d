"""Explicit citations: references carried by input records become `cites` edges.

A reference is a DOI, an arXiv id, a PubMed id ("PMID:123" or a PubMed URL), an OpenAlex
work id, a Semantic Scholar paper id or a title. It resolves to a paper of the corpus by the
same keys papers merge on; otherwise it becomes a stub paper node holding what the reference
says, so the citation is kept.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import networkx as nx

from ..model import Paper
from .iris import normalise_arxiv, normalise_doi, normalise_pmid, normalise_title, paper_iri
from .papers import paper_keys

_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.I)
_ARXIV = re.compile(r"^(?:arxiv:|https?://arxiv\.org/abs/)?(\d{4}\.\d{4,5})(v\d+)?$", re.I)
_PMID = re.compile(r"^(?:pmid:\s*|https?://(?:www\.)?pubmed\.ncbi\.nlm\.nih\.gov/)(\d+)/?$", re.I)
_OPENALEX = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.I)
_S2 = re.compile(r"^[0-9a-f]{40}$")


def reference_key(ref: str) -> tuple[str, str]:
    """(key, kind) of a reference string; kind is doi, arxiv, pmid, openalex, s2 or title."""
    ref = ref.strip()
    if m := _DOI.match(ref):
        return "doi:" + normalise_doi(m.group(1)), "doi"
    if (m := _ARXIV.match(ref)) and normalise_arxiv(m.group(1)):
        return "arxiv:" + normalise_arxiv(m.group(1)), "arxiv"
    if (m := _PMID.match(ref)) and normalise_pmid(m.group(1)):
        return "pmid:" + normalise_pmid(m.group(1)), "pmid"
    if m := _OPENALEX.match(ref):
        return "openalex:" + m.group(1).upper(), "openalex"
    if _S2.match(ref):
        return "s2:" + ref, "s2"
    return "title:" + normalise_title(ref), "title"


def link_citations(graph: nx.MultiDiGraph, papers: Iterable[tuple[str, Paper]]) -> None:
    """Add a `cites` edge per reference, to a corpus paper or to a stub paper node."""
    papers = list(papers)
    index = {key: iri for iri, paper in papers for key in [*paper_keys(paper), *_source_id_keys(paper)]}
    for iri, paper in papers:
        for ref in paper.references:
            key, kind = reference_key(ref)
            if key == "title:":
                continue
            target = index.get(key) or _stub(graph, key, kind, ref)
            if target == iri:
                continue
            if graph.has_edge(iri, target, key="cites"):
                graph.edges[iri, target, "cites"]["references"].append(ref)
            else:
                graph.add_edge(iri, target, key="cites", kind="cites", references=[ref], sources=list(paper.sources))


def _source_id_keys(paper: Paper) -> list[str]:
    """Keys of the paper's OpenAlex and Semantic Scholar ids, which references use too."""
    keys = (reference_key(i) for i in (paper.id, *paper.other_ids) if i)
    return [key for key, kind in keys if kind in ("openalex", "s2")]


def _stub(graph: nx.MultiDiGraph, key: str, kind: str, ref: str) -> str:
    """A paper known only from a reference: its identifier, or its title."""
    iri = paper_iri(key)
    if iri not in graph:
        graph.add_node(iri, kind="paper", stub=True, title=ref if kind == "title" else "", abstract="",
                       sources=[], doi=key[4:] if kind == "doi" else None,
                       arxiv=key[6:] if kind == "arxiv" else None, pmid=key[5:] if kind == "pmid" else None,
                       url=None, year=None, venue=None, authors=[], identifier=ref if kind != "title" else None)
    return iri
