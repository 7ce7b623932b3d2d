"""Co-authorship: who wrote papers with whom, read from the papers' bylines in the model.

Why a graph of its own and not nodes in the model: authors are not extracted, they come
with the records, and every exporter of the model reads papers and concepts; the people
and their links are derived from the papers' `authors` whenever they are asked for, so a
model read back from graph.ttl gives the same ones.

Who is the same person: the person IRI of `linking.iris.person_iri`, the one the RDF's
dcterms:creator links use. A full name is the identity, with case, accents and
punctuation ignored ("Jörg Müller" = "Jorg Muller"); initials are never expanded, so
"J. Smith" and "John Smith" stay two people. The readers keep no author identifiers
(ORCID, OpenAlex or S2 author ids) today; where one is kept, it is the identity to use.

A paper with more than `MAX_AUTHORS` (25) authors links none of them, as VOSviewer's
co-authorship maps do by default: a consortium paper says little about who works with
whom, and its 3,000 authors would make 4.5 million links on their own (the stress shape
of bench/stress.py ran a build out of memory).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx

from ..linking.iris import person_iri
from .build import papers

MAX_AUTHORS = 25  # VOSviewer's default "maximum number of authors per document"


def people(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Person IRI -> the spellings of their name, the one to show first (the most used,
    then the one keeping accents), the others sorted."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for _, data in papers(graph, stubs=True):
        for name in data.get("authors") or []:
            if name.strip():
                spellings[person_iri(name)][name] += 1
    named = {}
    for person, names in sorted(spellings.items()):
        ranked = sorted(names, key=lambda n: (-names[n], n.isascii(), n))
        named[person] = [ranked[0], *sorted(ranked[1:])]
    return named


def coauthorship(graph: nx.MultiDiGraph, max_authors: int = MAX_AUTHORS) -> nx.Graph:
    """People (person IRIs; `name`, `papers` written) linked where they wrote papers
    together: `weight` the number of joint papers, `papers` their IRIs in order. Papers
    with more than `max_authors` authors count as written, not as links."""
    net = nx.Graph()
    for person, names in people(graph).items():
        net.add_node(person, name=names[0], papers=0)
    for paper, data in papers(graph):
        byline = sorted({person_iri(name) for name in data.get("authors") or [] if name.strip()})
        for person in byline:
            net.nodes[person]["papers"] += 1
        if len(byline) > max_authors:
            continue
        for a, b in combinations(byline, 2):
            if net.has_edge(a, b):
                net.edges[a, b]["papers"].append(paper)
            else:
                net.add_edge(a, b, papers=[paper])
    for _, _, data in net.edges(data=True):
        data["weight"] = len(data["papers"])
    return net
