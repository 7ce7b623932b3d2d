"""Records -> one NetworkX graph, the model every exporter reads.

Nodes are keyed by IRI; edges by (source, target, kind). Attribute schema:
- paper node: kind="paper", title, abstract, sources, doi, arxiv, pmid, url, year, venue,
  authors (display names, in the order of the byline), author_ids (each author's identifiers,
  in step with authors, or empty)
- concept node: kind="concept", type, label, alt_labels, broader, source
  ("vocabulary" | "paper"), papers (number of papers that mention it; 0 for ancestors
  kept only for the hierarchy); concepts dated papers mention also per_year (year ->
  papers), first_year, mean_year, trend (`Trend` or None) and bursts (`Burst` list), and
  graph.graph["timeline"] holds the corpus's years (kg.linking.trends)
- paper -> concept edge: kind="mentions", relation (usesMethod, ...), count, mentions
  (list of `Mention`, the evidence), proposed (the paper introduces the concept)
- concept -> concept edge: kind="cooccurs", weight (papers mentioning both), papers
  (their IRIs), npmi, lift, stored once with the smaller IRI as source; kind="broader" for
  the vocabulary hierarchy; kind="evaluatedOn" | "appliedTo" | "recordedFrom" with
  evidence (paper, field, start, end, sentence, rule) and papers.
- paper -> paper edge: kind="cites" (references, sources; the target may be a stub paper
  node, stub=True, known only from a reference), kind="mentionsWorkOf" (concepts,
  mentions), kind="similarTo" (weight, shared concepts; smaller IRI first).
- repository node: kind="repository", label; paper -> repository edge:
  kind="codeRepository" with evidence.

The linking stage (kg.linking.links) adds everything past paper-concept mentions.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import combinations
from operator import itemgetter

import networkx as nx

from ..model import Concept, ConceptMentions, Paper

RELATIONS: dict[str, str] = {
    "method": "usesMethod", "dataset": "usesDataset", "modality": "hasModality", "brain_region": "studiesRegion",
}


def build_graph(results: Iterable[tuple[str, Paper, list[ConceptMentions]]],
                known: dict[str, Concept] | None = None) -> nx.MultiDiGraph:
    """Build the graph from (paper IRI, paper, concept mentions) triples.

    `known` holds vocabulary concepts, used to add the ancestors of mentioned concepts.
    """
    graph = nx.MultiDiGraph()
    together: dict[tuple[str, str], list[str]] = {}  # concept pair -> papers mentioning both
    for iri, paper, found in results:
        add_paper(graph, iri, paper)
        for cm in found:
            add_mentions(graph, iri, cm)
        for pair in combinations(sorted({cm.concept.iri for cm in found}), 2):
            together.setdefault(pair, []).append(iri)
    graph.add_edges_from((a, b, "cooccurs", {"kind": "cooccurs", "weight": len(papers), "papers": papers})
                         for (a, b), papers in together.items())
    add_hierarchy(graph, known or {})
    return graph


def add_paper(graph: nx.MultiDiGraph, iri: str, paper: Paper) -> None:
    """A paper node with every piece of metadata its records carried (None where none did)."""
    graph.add_node(iri, kind="paper", title=paper.title, abstract=paper.abstract, sources=list(paper.sources),
                   doi=paper.doi, arxiv=paper.arxiv, pmid=paper.pmid, url=paper.url, year=paper.year,
                   venue=paper.venue, authors=list(paper.authors),
                   author_ids=[list(ids) for ids in paper.author_ids])


def add_mentions(graph: nx.MultiDiGraph, paper_iri: str, cm: ConceptMentions) -> None:
    concept = cm.concept
    _add_concept(graph, concept)
    graph.nodes[concept.iri]["papers"] += 1
    graph.add_edge(paper_iri, concept.iri, key="mentions", kind="mentions", relation=RELATIONS[concept.type],
                   count=len(cm.mentions), mentions=list(cm.mentions), proposed=cm.proposed)


def add_hierarchy(graph: nx.MultiDiGraph, known: dict[str, Concept]) -> None:
    """Add skos:broader edges, and ancestor concepts, for every concept in the graph."""
    todo = [n for n, d in graph.nodes(data=True) if d["kind"] == "concept"]
    while todo:
        node = todo.pop()
        for parent in graph.nodes[node]["broader"]:
            if parent not in known:
                continue
            if parent not in graph:
                _add_concept(graph, known[parent])
                todo.append(parent)
            graph.add_edge(node, parent, key="broader", kind="broader")


def _add_concept(graph: nx.MultiDiGraph, concept: Concept) -> None:
    if concept.iri in graph:
        return
    graph.add_node(concept.iri, kind="concept", type=concept.type, label=concept.label,
                   alt_labels=list(concept.alt_labels), broader=list(concept.broader),
                   source=concept.source, papers=0)


def papers(graph: nx.MultiDiGraph, stubs: bool = False) -> Iterator[tuple[str, dict]]:
    """Paper nodes in IRI order; `stubs` adds papers known only from references."""
    return iter(sorted((n, d) for n, d in graph.nodes(data=True) if d["kind"] == "paper" and (stubs or not d.get("stub"))))


def concepts(graph: nx.MultiDiGraph) -> Iterator[tuple[str, dict]]:
    """Concept nodes in IRI order."""
    return iter(sorted((n, d) for n, d in graph.nodes(data=True) if d["kind"] == "concept"))


def edges(graph: nx.MultiDiGraph, kind: str) -> Iterator[tuple[str, str, dict]]:
    """Edges of one kind in (source, target) order.

    Exporters ask for each kind in turn; once the model is final (frozen by the build), its
    edges are bucketed by kind in one pass and kept. Views and graphs still growing are
    scanned each time."""
    final = nx.is_frozen(graph) and not hasattr(graph, "_graph")  # a view has a _graph
    cached = graph.graph.get("_edges_by_kind") if final else None
    if cached is None:
        cached = {}
        for u, v, k, d in graph.edges(keys=True, data=True):
            cached.setdefault(k, []).append((u, v, d))
        for found in cached.values():
            found.sort(key=itemgetter(0, 1))
        if final:
            graph.graph["_edges_by_kind"] = cached
    return iter(cached.get(kind, []))
