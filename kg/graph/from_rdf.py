"""Reading an exported graph (graph.ttl) back into the graph model.

So that views (`kg html`, `kg report`) can be drawn from a built graph without building
again, and exported for other tools (`kg export`). Restores papers with their metadata
(authors in byline order, year, venue, identifiers), concepts and their hierarchy, mentions
with their evidence, co-occurrences with their strength, paper-paper links (similarity with
its weight), code repositories, typed concept-concept relations with their paper counts,
and the concepts' trends and bursts (computed again from the papers' years and mentions,
with the default settings). The evidence of links past mentions is not read back.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ..linking.trends import add_trends
from ..model import Mention
from ..namespaces import KG
from ..query.sparql import load_graph
from .build import RELATIONS

TYPES = {KG.Method: "method", KG.Dataset: "dataset", KG.Modality: "modality", KG.BrainRegion: "brain_region"}
CITO_CITES = URIRef("http://purl.org/spar/cito/cites")
SCHEMA = Namespace("http://schema.org/")  # rdflib's SDO is https://


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """The graph model of an exported RDF file."""
    rdf = load_graph(path)
    graph = nx.MultiDiGraph()
    _papers(rdf, graph)
    _concepts(rdf, graph)
    _mentions(rdf, graph)
    _cooccurrences(rdf, graph)
    _links(rdf, graph)
    add_trends(graph)  # from the papers' years and mentions, as the build does
    return graph


LINKS = {CITO_CITES: "cites", KG.mentionsWorkOf: "mentionsWorkOf", KG.similarTo: "similarTo",
         SCHEMA.codeRepository: "codeRepository", KG.evaluatedOn: "evaluatedOn", KG.appliedTo: "appliedTo",
         KG.recordedFrom: "recordedFrom"}


def _links(rdf: Graph, graph: nx.MultiDiGraph) -> None:
    """Links past mentions, with what their rdf:Statement says of them (weight, papers)."""
    for repo in rdf.subjects(RDF.type, SCHEMA.SoftwareSourceCode):
        graph.add_node(str(repo), kind="repository", label=str(repo).split("/", 3)[-1])
    for node, data in list(graph.nodes(data=True)):
        for parent in data.get("broader", ()) if data["kind"] == "concept" else ():
            if parent in graph:
                graph.add_edge(node, parent, key="broader", kind="broader")
    statements = {}
    for st in rdf.subjects(RDF.type, RDF.Statement):
        link = (rdf.value(st, RDF.subject), rdf.value(st, RDF.predicate), rdf.value(st, RDF.object))
        if link[1] in LINKS:
            statements[link] = st
    for pred, key in LINKS.items():
        for a, b in rdf.subject_objects(pred):
            if str(a) in graph and str(b) in graph:
                graph.add_edge(str(a), str(b), key=key, kind=key, **_about(rdf, statements.get((a, pred, b)), key))


def _about(rdf: Graph, statement: URIRef | None, key: str) -> dict:
    if statement is None:
        return {}
    if key == "similarTo" and (weight := rdf.value(statement, KG.weight)) is not None:
        return {"weight": float(weight)}
    if key in ("evaluatedOn", "appliedTo", "recordedFrom") and (count := rdf.value(statement, KG.paperCount)) is not None:
        confidence = rdf.value(statement, KG.confidence)
        return {"papers": int(count), **({"confidence": float(confidence)} if confidence is not None else {})}
    return {}


def _papers(rdf: Graph, graph: nx.MultiDiGraph) -> None:
    authors = _authors(rdf)
    for p in rdf.subjects(RDF.type, KG.Paper):
        value = lambda prop: rdf.value(p, prop)  # noqa: E731
        text = lambda prop: str(value(prop)) if value(prop) is not None else None  # noqa: E731
        names, ids = authors.get(str(p), ([], []))
        graph.add_node(str(p), kind="paper", title=str(value(DCTERMS.title) or value(DCTERMS.identifier) or ""),
                       abstract=str(value(DCTERMS.abstract) or ""), stub=bool(value(KG.stub)),
                       sources=sorted(str(s) for s in rdf.objects(p, KG.sourceFile)),
                       url=text(SCHEMA.url), doi=text(KG.doi), arxiv=text(KG.arxivId), pmid=text(KG.pmid),
                       venue=text(KG.venue), year=_year(value(DCTERMS.issued)),
                       authors=names, author_ids=ids)


def _authors(rdf: Graph) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Paper IRI -> (author names in byline order, their identifiers), from the
    kg:authorPosition statements and each person's schema:identifier."""
    found: dict[str, list[tuple[int, str, list[str]]]] = defaultdict(list)
    for st, position in rdf.subject_objects(KG.authorPosition):
        paper, person = rdf.value(st, RDF.subject), rdf.value(st, RDF.object)
        name = rdf.value(person, SCHEMA.name)
        if paper is not None and name is not None:
            ids = sorted(str(i) for i in rdf.objects(person, SCHEMA.identifier))
            found[str(paper)].append((int(position), str(name), ids))
    bylines = {}
    for paper, rows in found.items():
        rows.sort()
        ids = [row[2] for row in rows]
        bylines[paper] = ([row[1] for row in rows], ids if any(ids) else [])
    return bylines


def _year(value: Literal | None) -> int | None:
    """The year of a dcterms:issued xsd:gYear literal ("2021"; a time zone may follow)."""
    digits = str(value or "")[:4]
    return int(digits) if digits.isdigit() else None


def _concepts(rdf: Graph, graph: nx.MultiDiGraph) -> None:
    for cls, ctype in TYPES.items():
        for c in rdf.subjects(RDF.type, cls):
            graph.add_node(str(c), kind="concept", type=ctype, label=str(rdf.value(c, SKOS.prefLabel)),
                           alt_labels=sorted(str(a) for a in rdf.objects(c, SKOS.altLabel)),
                           broader=sorted(str(b) for b in rdf.objects(c, SKOS.broader)),
                           source=str(rdf.value(c, KG.conceptSource) or "vocabulary"),
                           papers=int(rdf.value(c, KG.paperCount) or 0))


def _mentions(rdf: Graph, graph: nx.MultiDiGraph) -> None:
    found: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in rdf.subjects(RDF.type, KG.Mention):
        v = lambda prop: rdf.value(m, prop)  # noqa: E731
        found[(str(v(KG.inPaper)), str(v(KG.denotes)))].append(Mention(
            text=str(v(KG.text)), field=str(v(KG.field)), start=int(v(KG.start)), end=int(v(KG.end)),
            sentence=str(v(KG.sentence)), rule=str(v(KG.rule)),
            confidence=float(v(KG.confidence)) if v(KG.confidence) is not None else None))
    for (paper, concept), mentions in sorted(found.items()):
        if paper in graph and concept in graph:
            mentions.sort(key=lambda m: (m.field != "title", m.start))
            proposed = (URIRef(paper), KG.proposes, URIRef(concept)) in rdf
            graph.add_edge(paper, concept, key="mentions", kind="mentions", count=len(mentions), mentions=mentions,
                           relation=RELATIONS[graph.nodes[concept]["type"]], proposed=proposed)


def _cooccurrences(rdf: Graph, graph: nx.MultiDiGraph) -> None:
    for co in rdf.subjects(RDF.type, KG.Cooccurrence):
        a, b = sorted(str(c) for c in rdf.objects(co, KG.concept))
        graph.add_edge(a, b, key="cooccurs", kind="cooccurs", weight=int(rdf.value(co, KG.paperCount)),
                       npmi=float(rdf.value(co, KG.npmi) or 0), lift=float(rdf.value(co, KG.lift) or 0),
                       papers=sorted(str(p) for p in rdf.objects(co, KG.evidencePaper)))
