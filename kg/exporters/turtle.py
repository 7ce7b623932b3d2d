"""RDF export: the graph model as triples, in the terms of `ontology/kg.ttl`.

Papers use DCTerms, concepts SKOS, and each paper-concept link is backed by kg:Mention
resources (paper, field, offsets, sentence, rule) so every assertion can be traced to its
text. IRIs are stable and there are no blank nodes, so the same input serialises to the
same bytes.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..graph import concepts, edges, papers
from ..linking.iris import cooccurrence_iri, mention_iri, scheme_iri
from ..namespaces import KG
from . import atomic_write

SCHEMA = Namespace("http://schema.org/")
CLASSES = {"method": KG.Method, "dataset": KG.Dataset, "modality": KG.Modality, "brain_region": KG.BrainRegion}


def to_rdf(graph: nx.MultiDiGraph) -> Graph:
    """The whole graph model as an rdflib Graph."""
    g = Graph()
    for prefix, ns in (("kg", KG), ("skos", SKOS), ("dcterms", DCTERMS), ("schema", SCHEMA), ("prov", PROV)):
        g.bind(prefix, ns)
    for iri, data in papers(graph):
        _paper(g, URIRef(iri), data)
    for iri, data in concepts(graph):
        _concept(g, URIRef(iri), data)
    for paper, concept, data in edges(graph, "mentions"):
        _mentions(g, paper, concept, data)
    for a, b, data in edges(graph, "cooccurs"):
        _cooccurrence(g, a, b, data)
    return g


def export_turtle(graph: nx.MultiDiGraph, dest: Path) -> None:
    data = to_rdf(graph).serialize(format="turtle", encoding="utf-8")
    with atomic_write(dest, "wb") as f:
        f.write(data)


def _paper(g: Graph, node: URIRef, data: dict) -> None:
    g.add((node, RDF.type, KG.Paper))
    g.add((node, DCTERMS.title, Literal(data["title"])))
    if data["abstract"]:
        g.add((node, DCTERMS.abstract, Literal(data["abstract"])))
    for source in data["sources"]:
        g.add((node, KG.sourceFile, Literal(source)))
    for key, prop in (("doi", KG.doi), ("arxiv", KG.arxivId)):
        if data.get(key):
            g.add((node, prop, Literal(data[key])))
    if data.get("url"):
        g.add((node, SCHEMA.url, URIRef(data["url"])))
    if data.get("year"):
        g.add((node, DCTERMS.issued, Literal(str(data["year"]), datatype=XSD.gYear)))
    for name in data.get("authors", []):
        g.add((node, DCTERMS.creator, Literal(name)))


def _concept(g: Graph, node: URIRef, data: dict) -> None:
    g.add((node, RDF.type, CLASSES[data["type"]]))
    g.add((node, SKOS.inScheme, URIRef(scheme_iri(data["type"]))))
    g.add((node, SKOS.prefLabel, Literal(data["label"])))
    for alt in data["alt_labels"]:
        if alt != data["label"]:
            g.add((node, SKOS.altLabel, Literal(alt)))
    for parent in data["broader"]:
        g.add((node, SKOS.broader, URIRef(parent)))
    g.add((node, KG.conceptSource, Literal(data["source"])))
    g.add((node, KG.paperCount, Literal(data["papers"])))


def _mentions(g: Graph, paper: str, concept: str, data: dict) -> None:
    p, c = URIRef(paper), URIRef(concept)
    g.add((p, KG[data["relation"]], c))
    if data["proposed"]:
        g.add((p, KG.proposes, c))
    for m in data["mentions"]:
        node = URIRef(mention_iri(paper, m.field, m.start, m.end))
        g.add((node, RDF.type, KG.Mention))
        g.add((node, KG.inPaper, p))
        g.add((node, KG.denotes, c))
        g.add((node, KG.field, Literal(m.field)))
        g.add((node, KG.start, Literal(m.start)))
        g.add((node, KG.end, Literal(m.end)))
        g.add((node, KG.text, Literal(m.text)))
        g.add((node, KG.sentence, Literal(m.sentence)))
        g.add((node, KG.rule, Literal(m.rule)))


def _cooccurrence(g: Graph, a: str, b: str, data: dict) -> None:
    node = URIRef(cooccurrence_iri(a, b))
    g.add((URIRef(a), KG.cooccursWith, URIRef(b)))
    g.add((node, RDF.type, KG.Cooccurrence))
    g.add((node, KG.concept, URIRef(a)))
    g.add((node, KG.concept, URIRef(b)))
    g.add((node, KG.paperCount, Literal(data["weight"])))
    for paper in data["papers"]:
        g.add((node, KG.evidencePaper, URIRef(paper)))
