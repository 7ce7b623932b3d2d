"""Co-authorship from the papers' bylines: who is one person, the weights, the RDF and the query.

The fixture is hand-made: six papers whose bylines spell the same people in the ways
records do (case, accents) and a "J. Smith" who must stay apart from "John Smith".
"""
from __future__ import annotations

import json

import networkx as nx
import pytest

from conftest import ROOT, write
from kg.api import build, validate
from kg.graph.coauthors import MAX_AUTHORS, coauthorship
from kg.graph.from_rdf import read_graph
from kg.linking.iris import person_iri
from kg.query import load_graph, run_query

BYLINES = [
    ("Analytical engines", ["Ada Lovelace", "Charles Babbage", "John Smith"]),
    ("Difference engines", ["Charles Babbage", "Ada Lovelace"]),
    ("Notes on initials", ["J. Smith", "Ada Lovelace"]),
    ("Compilers for all", ["JOHN SMITH", "Grace Hopper"]),
    ("Accents in names", ["Jörg Müller", "Ada Lovelace"]),
    ("Names without accents", ["Jorg Muller", "Grace Hopper", "Grace Hopper"]),
]


@pytest.fixture(scope="module")
def authored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("coauthors")
    lines = [json.dumps({"title": title, "abstract": "We train a transformer.", "authors": names})
             for title, names in BYLINES]
    write(tmp / "papers.jsonl", "\n".join(lines) + "\n")
    return build([tmp / "papers.jsonl"], tmp / "out", model=False)


def who(name: str) -> str:
    return person_iri(name)


def test_joint_papers_weight_the_link(authored):
    net = coauthorship(authored.graph)
    assert net.edges[who("Ada Lovelace"), who("Charles Babbage")]["weight"] == 2
    assert net.edges[who("Ada Lovelace"), who("John Smith")]["weight"] == 1
    assert net.nodes[who("Ada Lovelace")]["papers"] == 4


def test_the_same_full_name_is_one_person_whatever_its_case_or_accents(authored):
    net = coauthorship(authored.graph)
    assert net.has_edge(who("John Smith"), who("Grace Hopper"))  # "JOHN SMITH" is John Smith
    muller = who("Jörg Müller")
    assert set(net[muller]) == {who("Ada Lovelace"), who("Grace Hopper")}  # "Jorg Muller" too
    assert net.nodes[muller]["name"] == "Jörg Müller"


def test_initials_never_join_two_people(authored):
    net = coauthorship(authored.graph)
    assert who("J. Smith") != who("John Smith")
    assert set(net[who("J. Smith")]) == {who("Ada Lovelace")}
    assert not net.has_edge(who("J. Smith"), who("Charles Babbage"))


def test_a_name_listed_twice_links_nobody_to_themselves(authored):
    net = coauthorship(authored.graph)
    assert not any(a == b for a, b in net.edges())
    assert net.edges[who("Jorg Muller"), who("Grace Hopper")]["weight"] == 1


def test_rdf_states_coauthorships_that_pass_the_shapes(authored):
    rdf = load_graph(authored.outputs["turtle"])
    _, rows = run_query(rdf, """PREFIX kg: <https://w3id.org/kg/ontology#>
        SELECT ?a ?b ?n WHERE { ?a kg:coauthorWith ?b . ?c a kg:Coauthorship ; kg:person ?a, ?b ; kg:paperCount ?n }""")
    found = {frozenset((a, b)): int(n) for a, b, n in rows}
    assert found[frozenset((who("Ada Lovelace"), who("Charles Babbage")))] == 2
    assert len(found) == coauthorship(authored.graph).number_of_edges() == 7
    assert validate(authored.outputs["turtle"]) == []


def test_read_back_from_graph_ttl_the_same_coauthors(authored):
    built, read = coauthorship(authored.graph), coauthorship(read_graph(authored.outputs["turtle"]))
    assert {frozenset(e): d["weight"] for *e, d in built.edges(data=True)} \
        == {frozenset(e): d["weight"] for *e, d in read.edges(data=True)}


def test_coauthors_query_ranks_pairs_by_joint_papers(authored):
    query = (ROOT / "examples" / "queries" / "coauthors.rq").read_text()
    columns, rows = run_query(load_graph(authored.outputs["turtle"]), query)
    assert columns == ["author1", "author2", "papers", "first_title"]
    assert rows[0] == ["Ada Lovelace", "Charles Babbage", "2", "Analytical engines"]
    assert len(rows) == 7 and all(r[2] == "1" for r in rows[1:])
    assert ["Grace Hopper", "JOHN SMITH", "1", "Compilers for all"] in rows  # one spelling each: the first sorted


def test_a_paper_with_more_authors_than_the_cap_links_none_of_them():
    graph = nx.MultiDiGraph()
    graph.add_node("p1", kind="paper", stub=False, authors=[f"Ann Author{i}" for i in range(MAX_AUTHORS + 1)])
    graph.add_node("p2", kind="paper", stub=False, authors=["Ann Author1", "Bo Writer"])
    net = coauthorship(graph)
    assert net.number_of_nodes() == MAX_AUTHORS + 2 and net.nodes[person_iri("Ann Author1")]["papers"] == 2
    assert set(map(frozenset, net.edges)) == {frozenset((person_iri("Ann Author1"), person_iri("Bo Writer")))}
