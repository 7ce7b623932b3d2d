"""Co-authorship: who wrote papers with whom, read from the papers' bylines in the model.

Why a graph of its own and not nodes in the model: authors are not extracted, they come
with the records, and every exporter of the model reads papers and concepts; the people
and their links are derived from the papers' `authors` (and `author_ids`) whenever they are
asked for, so a model read back from graph.ttl gives the same ones.

Who is the same person (`people`):
- An identifier is the identity. Authors a record gives an ORCID, an OpenAlex author id or
  a Semantic Scholar author id are one person per identifier, whatever their name's
  spelling, and two identifiers one author carries (OpenAlex gives an ORCID beside its own
  id) are the same person. Two authors of one name with different identifiers are two
  people (homonyms).
- An author without an identifier is the person of the same full name, with case, accents
  and punctuation ignored ("Jörg Müller" = "Jorg Muller"), and initials never expanded, so
  "J. Smith" and "John Smith" stay two people. Where the corpus has one identified person of
  that name, the name is theirs; where it has two or more, it could be either, and the
  author stays a person of the name alone.
- The IRI is minted from the best identifier (ORCID, then OpenAlex, then S2) by
  `linking.iris.person_id_iri`, else from the name by `linking.iris.person_iri`.

A paper with more than `MAX_AUTHORS` (25) authors links none of them, as VOSviewer's
co-authorship maps do by default: a consortium paper says little about who works with
whom, and its 3,000 authors would make 4.5 million links on their own (the stress shape
of bench/stress.py ran a build out of memory).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from ..linking.iris import person_id_iri, person_iri
from .build import papers

MAX_AUTHORS = 25  # VOSviewer's default "maximum number of authors per document"
_RANK = {"orcid": 0, "openalex": 1, "s2": 2}  # which identifier names a person


@dataclass
class People:
    """The people of a model: `bylines` (paper IRI -> person IRIs in byline order, each
    once), `names` (person IRI -> spellings, the one to show first), `ids` (person IRI ->
    identifiers, sorted)."""

    bylines: dict[str, list[str]]
    names: dict[str, list[str]]
    ids: dict[str, list[str]]


def people(graph: nx.MultiDiGraph) -> People:
    """Who wrote each paper, as people (see the module's doc for who is one person).

    Two passes over the bylines, nothing kept per author occurrence but the byline's person
    IRIs (one string per distinct name), so 3,000-author papers stay in memory."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    key_of: dict[str, str] = {}  # name as written -> its person IRI by name

    def key(name: str) -> str:
        if (found := key_of.get(name)) is None:
            found = key_of[name] = person_iri(name)
        return found

    named: dict[str, set[str]] = defaultdict(set)  # name key -> identifiers of that name
    identified = [(data["authors"], data["author_ids"]) for _, data in papers(graph, stubs=True) if data.get("author_ids")]
    for names, ids in identified:  # identifiers one author carries together are one person
        for name, known in zip(names, ids):
            for other in known[1:]:
                a, b = find(known[0]), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            if known:
                find(known[0])
                if name.strip():
                    named[key(name)].add(known[0])
    members: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    iri_of = {root: person_id_iri(min(group, key=_id_rank)) for root, group in members.items()}
    unique = {k: iri_of[roots.pop()] for k, ids in named.items() if len(roots := {find(i) for i in ids}) == 1}
    bylines: dict[str, list[str]] = {}
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for paper, data in papers(graph, stubs=True):
        persons = []
        for i, name in enumerate(data.get("authors") or ()):
            if not name.strip():
                continue
            known = ids_of(data, i)
            person = iri_of[find(known[0])] if known else unique.get(key(name)) or key(name)
            persons.append(person)
            spellings[person][name] += 1
        bylines[paper] = list(dict.fromkeys(persons))
    names = {}
    for person, counts in sorted(spellings.items()):
        ranked = sorted(counts, key=lambda n: (-counts[n], n.isascii(), n))
        names[person] = [ranked[0], *sorted(ranked[1:])]
    ids = {iri_of[root]: sorted(group, key=_id_rank) for root, group in members.items()}
    return People(bylines, names, ids)


def ids_of(data: dict, position: int) -> list[str]:
    """The identifiers of the author at `position` of a paper node's byline."""
    known = data.get("author_ids") or ()
    return known[position] if position < len(known) else []


def _id_rank(identifier: str) -> tuple[int, str]:
    kind, _, value = identifier.partition(":")
    return _RANK.get(kind, len(_RANK)), value


def coauthorship(graph: nx.MultiDiGraph, max_authors: int = MAX_AUTHORS, found: People | None = None) -> nx.Graph:
    """People (person IRIs; `name`, `papers` written) linked where they wrote papers
    together: `weight` the number of joint papers, `papers` their IRIs in order. Papers
    with more than `max_authors` authors count as written, not as links. `found`: the
    model's `people`, when the caller has them already."""
    found = found or people(graph)
    net = nx.Graph()
    for person, names in found.names.items():
        net.add_node(person, name=names[0], papers=0)
    for paper, _ in papers(graph):
        byline = sorted(found.bylines.get(paper, ()))
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
