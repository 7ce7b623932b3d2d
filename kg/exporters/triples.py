"""The graph model as RDF triples, streamed as N-Triples lines in the terms of `ontology/kg.ttl`.

Papers use DCTerms (their authors are schema:Person resources, see `_authors`), concepts
SKOS, and each paper-concept link is backed by kg:Mention resources (paper, field, offsets,
sentence, rule) so every assertion can be traced to its text. IRIs are stable and there
are no blank nodes, so the same input gives the same lines in the same order.

Why lines and not rdflib terms: a 100k-paper graph is about 17 million triples; building
rdflib `Literal`s and a `Graph` for them took longer than the whole extraction, and held
gigabytes. The lines stream to `graph.nt`, and through Oxigraph's parser and serializer
(Rust, streaming) to Turtle and TriG; rdflib reads them back when a small graph is wanted
in memory (`to_rdf`).
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from urllib.parse import quote

import networkx as nx

from ..graph import concepts, edges, papers
from ..graph.coauthors import People, coauthorship, people
from ..linking.clusters import LABEL_SIZE, clusters
from ..linking.iris import (burst_iri, coauthorship_iri, cooccurrence_iri, evidence_iri, mention_iri, normalise_doi,
                            normalise_pmid, person_id_url, scheme_iri, statement_iri)
from ..namespaces import KG

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
CITO = "http://purl.org/spar/cito/"
PROV = "http://www.w3.org/ns/prov#"
PREFIXES = {"kg": str(KG), "skos": SKOS, "dcterms": DCTERMS, "schema": SCHEMA, "prov": PROV, "cito": CITO,
            "rdf": RDF, "xsd": XSD}
CLASSES = {"method": "Method", "dataset": "Dataset", "modality": "Modality", "brain_region": "BrainRegion"}

_A = f"<{RDF}type>"
_URL_SAFE = "/:?#[]@!$&'()*+,;=%-._~"


def iri(value: str) -> str:
    """An IRI term for an IRI minted in `linking.iris`."""
    return f"<{value}>"


def url(value: str) -> str:
    """An IRI term for a URL read from input: characters an IRI may not hold are %-encoded."""
    return f"<{quote(value, safe=_URL_SAFE)}>"


def kg(name: str) -> str:
    return f"<{KG}{name}>"


def text(value: str) -> str:
    """A plain (xsd:string) literal.

    Four `str.replace` (backslash first) run in C; `str.translate` with a dict calls back
    per character, and abstracts make this the export's hottest function."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def number(value: int | float | bool) -> str:
    """A typed literal the way rdflib writes Python numbers and booleans."""
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD}integer>'
    lexical = "NaN" if math.isnan(value) else "INF" if value == math.inf else "-INF" if value == -math.inf else repr(value)
    return f'"{lexical}"^^<{XSD}double>'


def year(value: int) -> str:
    return f'"{value:04d}"^^<{XSD}gYear>'


_MENTION, _IN_PAPER, _DENOTES = kg("Mention"), kg("inPaper"), kg("denotes")
_CONFIDENCE = kg("confidence")
_FIELD, _START, _END, _TEXT, _SENTENCE, _RULE = (kg(n) for n in ("field", "start", "end", "text", "sentence", "rule"))


def triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def ntriples(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Every triple of the graph model, one N-Triples line each."""
    found = people(graph)
    for node, data in papers(graph, stubs=True):
        yield from _paper(iri(node), data, found.bylines.get(node, []))
    yield from _people(graph, found)
    for node, data in concepts(graph):
        yield from _concept(iri(node), data)
    for paper, concept, data in edges(graph, "mentions"):
        yield from _mentions(paper, concept, data)
    for a, b, data in edges(graph, "cooccurs"):
        yield from _cooccurrence(a, b, data)
    yield from _clusters(graph)
    yield from _links(graph)


def _paper(node: str, data: dict, byline: list[str]) -> Iterator[str]:
    yield triple(node, _A, kg("Paper"))
    if data.get("stub"):
        yield triple(node, kg("stub"), number(True))
    if data.get("identifier"):
        yield triple(node, f"<{DCTERMS}identifier>", text(data["identifier"]))
    if data["title"]:
        yield triple(node, f"<{DCTERMS}title>", text(data["title"]))
    if data["abstract"]:
        yield triple(node, f"<{DCTERMS}abstract>", text(data["abstract"]))
    for source in data["sources"]:
        yield triple(node, kg("sourceFile"), text(source))
    for prop, value in _metadata(data):
        yield triple(node, kg(prop), text(value))
    if data.get("url"):
        yield triple(node, f"<{SCHEMA}url>", url(data["url"]))
    if data.get("year"):
        yield triple(node, f"<{DCTERMS}issued>", year(data["year"]))
    yield from _authors(node[1:-1], byline)


def _metadata(data: dict) -> Iterator[tuple[str, str]]:
    """(kg property, value) for DOI, arXiv id, PMID and venue, in the forms the ontology
    promises: a DOI lower-cased without resolver, a PMID digits only (else left out)."""
    if data.get("doi"):
        yield "doi", normalise_doi(data["doi"])
    if data.get("arxiv"):
        yield "arxivId", data["arxiv"]
    if data.get("pmid") and (pmid := normalise_pmid(str(data["pmid"]))):
        yield "pmid", pmid
    if data.get("venue"):
        yield "venue", data["venue"]


def _authors(paper: str, people: list[str]) -> Iterator[str]:
    """`paper dcterms:creator person` per author, the byline order on the link's reification.

    Why this shape: the plain dcterms:creator link answers "who wrote it" and "what did they
    write" in one hop, and the order rides on the link's rdf:Statement (kg:authorPosition,
    from 1) the way every other qualified link here carries its details; an rdf:List would
    need blank nodes and path tricks to ask "who is first author", and a "A; B; C" literal
    breaks on names holding "; ". A person listed twice keeps the first place (`people`
    are the byline's person IRIs, each once, from graph.coauthors.people).
    """
    for person in people:  # the links first, so Turtle groups them under the paper
        yield triple(iri(paper), f"<{DCTERMS}creator>", iri(person))
    for position, person in enumerate(people, start=1):
        st = yield from _reification(paper, f"{DCTERMS}creator", person)
        yield triple(st, kg("authorPosition"), number(position))


def _people(graph: nx.MultiDiGraph, found: People) -> Iterator[str]:
    """Each author once, as a schema:Person with one schema:name; other spellings of one
    person ("Jorg Muller" beside "Jörg Müller", or two names under one ORCID) become
    schema:alternateName, and their identifiers schema:identifier ("orcid:...") with
    schema:sameAs their page (orcid.org, openalex.org, semanticscholar.org). Then who
    wrote with whom: `a kg:coauthorWith b` (smaller IRI first) and a kg:Coauthorship with
    the number of joint papers and the papers (graph.coauthors says who is one person)."""
    for person, names in found.names.items():
        yield triple(iri(person), _A, f"<{SCHEMA}Person>")
        yield triple(iri(person), f"<{SCHEMA}name>", text(names[0]))
        for other in names[1:]:
            yield triple(iri(person), f"<{SCHEMA}alternateName>", text(other))
        for identifier in found.ids.get(person, ()):
            yield triple(iri(person), f"<{SCHEMA}identifier>", text(identifier))
            if page := person_id_url(identifier):
                yield triple(iri(person), f"<{SCHEMA}sameAs>", url(page))
    links = coauthorship(graph, found=found)
    for a, b in sorted(tuple(sorted(pair)) for pair in links.edges()):
        node, joint = iri(coauthorship_iri(a, b)), links.edges[a, b]["papers"]
        yield triple(iri(a), kg("coauthorWith"), iri(b))
        yield triple(node, _A, kg("Coauthorship"))
        yield triple(node, kg("person"), iri(a))
        yield triple(node, kg("person"), iri(b))
        yield triple(node, kg("paperCount"), number(len(joint)))
        for paper in joint:
            yield triple(node, kg("jointPaper"), iri(paper))


def _concept(node: str, data: dict) -> Iterator[str]:
    yield triple(node, _A, kg(CLASSES[data["type"]]))
    yield triple(node, f"<{SKOS}inScheme>", iri(scheme_iri(data["type"])))
    yield triple(node, f"<{SKOS}prefLabel>", text(data["label"]))
    for alt in data["alt_labels"]:
        if alt != data["label"]:
            yield triple(node, f"<{SKOS}altLabel>", text(alt))
    for parent in data["broader"]:
        yield triple(node, f"<{SKOS}broader>", iri(parent))
    yield triple(node, kg("conceptSource"), text(data["source"]))
    yield triple(node, kg("paperCount"), number(data["papers"]))
    if data.get("first_year"):
        yield from _time(node, data)


def _time(node: str, data: dict) -> Iterator[str]:
    """A dated concept's first and mean year, its trend and its bursts (kg.linking.trends)."""
    yield triple(node, kg("firstYear"), year(data["first_year"]))
    yield triple(node, kg("meanYear"), number(round(data["mean_year"], 2)))
    if (trend := data.get("trend")) is not None:
        yield triple(node, kg("trend"), text(trend.direction))
        yield triple(node, kg("trendSlope"), number(round(trend.slope, 6)))
        yield triple(node, kg("trendP"), number(round(trend.p, 6)))
    for burst in data.get("bursts", ()):
        b = iri(burst_iri(node[1:-1], burst.start))
        yield triple(b, _A, kg("Burst"))
        yield triple(b, kg("burstOf"), node)
        yield triple(b, kg("startYear"), year(burst.start))
        yield triple(b, kg("endYear"), year(burst.end))
        yield triple(b, kg("strength"), number(float(burst.strength)))
        yield triple(b, kg("paperCount"), number(burst.papers))


def _mentions(paper: str, concept: str, data: dict) -> Iterator[str]:
    p, c = iri(paper), iri(concept)
    yield triple(p, kg(data["relation"]), c)
    if data["proposed"]:
        yield triple(p, kg("proposes"), c)
    for m in data["mentions"]:
        node = iri(mention_iri(paper, m.field, m.start, m.end))
        # One string per mention: the most numerous resource, so the hottest loop of the export.
        yield (f"{node} {_A} {_MENTION} .\n{node} {_IN_PAPER} {p} .\n{node} {_DENOTES} {c} .\n"
               + _where(node, m.field, m.start, m.end, m.text, m.sentence, m.rule)
               + (f"{node} {_CONFIDENCE} {number(m.confidence)} .\n" if m.confidence is not None else ""))


def _where(node: str, field: str, start: int, end: int, quote: str | None, sentence: str, rule: str) -> str:
    """Where a mention or a piece of evidence is: field, offsets, text, sentence, rule."""
    said = f"{node} {_TEXT} {text(quote)} .\n" if quote is not None else ""
    return (f"{node} {_FIELD} {text(field)} .\n{node} {_START} {number(start)} .\n{node} {_END} {number(end)} .\n"
            f"{said}{node} {_SENTENCE} {text(sentence)} .\n{node} {_RULE} {text(rule)} .\n")


def _cooccurrence(a: str, b: str, data: dict) -> Iterator[str]:
    node = iri(cooccurrence_iri(a, b))
    yield triple(iri(a), kg("cooccursWith"), iri(b))
    yield triple(node, _A, kg("Cooccurrence"))
    yield triple(node, kg("concept"), iri(a))
    yield triple(node, kg("concept"), iri(b))
    yield triple(node, kg("paperCount"), number(data["weight"]))
    yield triple(node, kg("npmi"), number(data["npmi"]))
    yield triple(node, kg("lift"), number(data["lift"]))
    for paper in data["papers"]:
        yield triple(node, kg("evidencePaper"), iri(paper))


def _clusters(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Each cluster with its label, size and place on the thematic map; each concept's cluster."""
    for cluster in clusters(graph):
        node = iri(cluster.iri)
        yield triple(node, _A, kg("Cluster"))
        yield triple(node, f"<{RDFS}label>", text(cluster.label))
        yield triple(node, kg("clusterNumber"), number(cluster.number))
        yield triple(node, kg("conceptCount"), number(len(cluster.concepts)))
        yield triple(node, kg("paperCount"), number(len(cluster.papers)))
        yield triple(node, kg("centrality"), number(float(cluster.centrality)))
        yield triple(node, kg("density"), number(float(cluster.density)))
        for concept in cluster.concepts[:LABEL_SIZE]:
            yield triple(node, kg("labelConcept"), iri(concept))
        for concept in cluster.concepts:
            yield triple(iri(concept), kg("inCluster"), node)


def _links(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Paper-paper, paper-repository and typed concept-concept links, each with a
    reified statement (rdf:Statement) whose kg:evidence says where it comes from."""
    for a, b, data in edges(graph, "cites"):
        st = yield from _statement(a, f"{CITO}cites", b)
        for ref in data["references"]:
            yield triple(st, kg("referenceText"), text(ref))
        for source in data["sources"]:
            yield triple(st, kg("sourceFile"), text(source))
    for a, b, data in edges(graph, "mentionsWorkOf"):
        st = yield from _statement(a, f"{KG}mentionsWorkOf", b)
        for concept in data["concepts"]:
            yield triple(st, kg("viaConcept"), iri(concept))
        for m in data["mentions"]:
            yield triple(st, kg("evidence"), iri(mention_iri(a, m.field, m.start, m.end)))
    for a, repo, data in edges(graph, "codeRepository"):
        yield triple(iri(repo), _A, f"<{SCHEMA}SoftwareSourceCode>")
        st = yield from _statement(a, f"{SCHEMA}codeRepository", repo)
        yield from _evidence(st, data["evidence"])
    for a, b, data in edges(graph, "similarTo"):
        st = yield from _statement(a, f"{KG}similarTo", b)
        yield triple(st, kg("weight"), number(data["weight"]))
        for concept in data["concepts"]:
            yield triple(st, kg("viaConcept"), iri(concept))
    for name in ("evaluatedOn", "appliedTo", "recordedFrom"):
        for a, b, data in edges(graph, name):
            st = yield from _statement(a, f"{KG}{name}", b)
            yield triple(st, kg("paperCount"), number(data["papers"]))
            if data.get("confidence") is not None:  # the highest of its evidence's
                yield triple(st, _CONFIDENCE, number(data["confidence"]))
            yield from _evidence(st, data["evidence"])


def _statement(subject: str, predicate: str, obj: str):
    """The link and its reification; returns (via `yield from`) the statement node."""
    yield triple(iri(subject), iri(predicate), iri(obj))
    return (yield from _reification(subject, predicate, obj))


def _reification(subject: str, predicate: str, obj: str):
    """The rdf:Statement of a link; returns (via `yield from`) the statement node."""
    s, p, o = iri(subject), iri(predicate), iri(obj)
    st = iri(statement_iri(subject, predicate, obj))
    yield triple(st, _A, f"<{RDF}Statement>")
    yield triple(st, f"<{RDF}subject>", s)
    yield triple(st, f"<{RDF}predicate>", p)
    yield triple(st, f"<{RDF}object>", o)
    return st


def _evidence(statement: str, evidence: list[dict]) -> Iterator[str]:
    for e in evidence:
        node = iri(evidence_iri(statement[1:-1], e["paper"], e["field"], e["start"], e["end"]))
        yield triple(statement, kg("evidence"), node)
        yield triple(node, _A, kg("Evidence"))
        yield triple(node, kg("inPaper"), iri(e["paper"]))
        yield _where(node, e["field"], e["start"], e["end"], None, e["sentence"], e["rule"])
        if e.get("confidence") is not None:
            yield triple(node, _CONFIDENCE, number(e["confidence"]))
