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
from ..linking.iris import cooccurrence_iri, evidence_iri, mention_iri, scheme_iri, statement_iri
from ..namespaces import KG
from . import atomic_write

SCHEMA = Namespace("http://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
CLASSES = {"method": KG.Method, "dataset": KG.Dataset, "modality": KG.Modality, "brain_region": KG.BrainRegion}


def to_rdf(graph: nx.MultiDiGraph) -> Graph:
    """The whole graph model as an rdflib Graph."""
    g = Graph()
    for prefix, ns in (("kg", KG), ("skos", SKOS), ("dcterms", DCTERMS), ("schema", SCHEMA), ("prov", PROV),
                       ("cito", CITO)):
        g.bind(prefix, ns, override=True, replace=True)
    for iri, data in papers(graph, stubs=True):
        _paper(g, URIRef(iri), data)
    for iri, data in concepts(graph):
        _concept(g, URIRef(iri), data)
    for paper, concept, data in edges(graph, "mentions"):
        _mentions(g, paper, concept, data)
    for a, b, data in edges(graph, "cooccurs"):
        _cooccurrence(g, a, b, data)
    _links(g, graph)
    return g


def export_turtle(graph: nx.MultiDiGraph, dest: Path) -> None:
    data = to_rdf(graph).serialize(format="turtle", encoding="utf-8")
    with atomic_write(dest, "wb") as f:
        f.write(data)


def _paper(g: Graph, node: URIRef, data: dict) -> None:
    g.add((node, RDF.type, KG.Paper))
    if data.get("stub"):
        g.add((node, KG.stub, Literal(True)))
    if data.get("identifier"):
        g.add((node, DCTERMS.identifier, Literal(data["identifier"])))
    if data["title"]:
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
    g.add((node, KG.npmi, Literal(data["npmi"])))
    g.add((node, KG.lift, Literal(data["lift"])))
    for paper in data["papers"]:
        g.add((node, KG.evidencePaper, URIRef(paper)))


def _links(g: Graph, graph: nx.MultiDiGraph) -> None:
    """Paper-paper, paper-repository and typed concept-concept links, each with a
    reified statement (rdf:Statement) whose kg:evidence says where it comes from."""
    for a, b, data in edges(graph, "cites"):
        st = _statement(g, a, CITO.cites, b)
        for ref in data["references"]:
            g.add((st, KG.referenceText, Literal(ref)))
        for source in data["sources"]:
            g.add((st, KG.sourceFile, Literal(source)))
    for a, b, data in edges(graph, "mentionsWorkOf"):
        st = _statement(g, a, KG.mentionsWorkOf, b)
        for concept in data["concepts"]:
            g.add((st, KG.viaConcept, URIRef(concept)))
        for m in data["mentions"]:
            g.add((st, KG.evidence, URIRef(mention_iri(a, m.field, m.start, m.end))))
    for a, repo, data in edges(graph, "codeRepository"):
        g.add((URIRef(repo), RDF.type, SCHEMA.SoftwareSourceCode))
        _evidence(g, _statement(g, a, SCHEMA.codeRepository, repo), data["evidence"])
    for a, b, data in edges(graph, "similarTo"):
        st = _statement(g, a, KG.similarTo, b)
        g.add((st, KG.weight, Literal(data["weight"])))
        for concept in data["concepts"]:
            g.add((st, KG.viaConcept, URIRef(concept)))
    for name in ("evaluatedOn", "appliedTo", "recordedFrom"):
        for a, b, data in edges(graph, name):
            st = _statement(g, a, KG[name], b)
            g.add((st, KG.paperCount, Literal(data["papers"])))
            _evidence(g, st, data["evidence"])


def _statement(g: Graph, subject: str, predicate: URIRef, obj: str) -> URIRef:
    s, o = URIRef(subject), URIRef(obj)
    g.add((s, predicate, o))
    st = URIRef(statement_iri(subject, str(predicate), obj))
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, predicate))
    g.add((st, RDF.object, o))
    return st


def _evidence(g: Graph, statement: URIRef, evidence: list[dict]) -> None:
    for e in evidence:
        node = URIRef(evidence_iri(str(statement), e["paper"], e["field"], e["start"], e["end"]))
        g.add((statement, KG.evidence, node))
        g.add((node, RDF.type, KG.Evidence))
        g.add((node, KG.inPaper, URIRef(e["paper"])))
        g.add((node, KG.field, Literal(e["field"])))
        g.add((node, KG.start, Literal(e["start"])))
        g.add((node, KG.end, Literal(e["end"])))
        g.add((node, KG.sentence, Literal(e["sentence"])))
        g.add((node, KG.rule, Literal(e["rule"])))
