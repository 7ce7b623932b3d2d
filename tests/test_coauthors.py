"""Co-authorship from the papers' bylines: who is one person, the weights, the RDF and the query.

The fixtures are hand-made: six papers whose bylines spell the same people in the ways
records do (case, accents) and a "J. Smith" who must stay apart from "John Smith"; and six
whose authors carry identifiers (ORCID, OpenAlex, Semantic Scholar), which tell namesakes
apart and join spellings.
"""
from __future__ import annotations

import json

import networkx as nx
import pytest

from conftest import ROOT, write
from kg.api import build, validate
from kg.graph.coauthors import MAX_AUTHORS, coauthorship, people
from kg.graph.from_rdf import read_graph
from kg.linking.iris import person_id_iri, person_iri
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


# Identifiers: the records of a real corpus carry ORCIDs (CSL-JSON from Crossref, PubMed),
# OpenAlex author ids and Semantic Scholar author ids. Hand-made records below.
ORCID_A, ORCID_B = "0000-0002-1825-0097", "0000-0001-5109-3700"  # valid check digits
IDENTIFIED = [
    # Two different people called Wei Zhang, told apart by their ORCIDs.
    {"title": "Spiking networks on chips", "abstract": "We train a spiking neural network.",
     "authors": [{"name": "Wei Zhang", "orcid": f"https://orcid.org/{ORCID_A}"}, "Ada Lovelace"]},
    {"title": "Protein folding with transformers", "abstract": "We train a transformer.",
     "authors": [{"name": "Wei Zhang", "orcid": ORCID_B}, "Grace Hopper"]},
    # Wei Zhang without an identifier: either of them, so neither.
    {"title": "A survey without ids", "abstract": "We review transformers.", "authors": ["Wei Zhang", "Alan Turing"]},
    # One ORCID under two spellings is one person; an OpenAlex id beside it is the same person.
    {"title": "Calcium imaging of cortex", "abstract": "We record two-photon calcium imaging.",
     "authors": [{"name": "Maria Garcia-Lopez", "orcid": "0000-0002-1825-0098"},  # bad check digit: ignored
                 {"name": "Kwame Osei", "orcid": "https://orcid.org/0000-0002-9079-593X", "openalex": "A5012345678"}]},
    {"title": "Decoding fMRI responses", "abstract": "We decode fMRI.",
     "authors": [{"name": "K. A. Osei", "openalex": "https://openalex.org/A5012345678"}, "Ada Lovelace"]},
    # A name only, whose only identified namesake in the corpus is Kwame Osei: him.
    {"title": "Place cells and transformers", "abstract": "We compare place cells.",
     "authors": ["Kwame Osei", {"name": "Tomás Herrera", "s2": "1700000124"}]},
]


@pytest.fixture(scope="module")
def identified(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("identified")
    write(tmp / "papers.jsonl", "".join(json.dumps(r) + "\n" for r in IDENTIFIED))
    return build([tmp / "papers.jsonl"], tmp / "out", model=False)


def test_an_identifier_tells_two_people_of_one_name_apart(identified):
    net = coauthorship(identified.graph)
    zhang_a, zhang_b = person_id_iri(f"orcid:{ORCID_A}"), person_id_iri(f"orcid:{ORCID_B}")
    assert set(net[zhang_a]) == {who("Ada Lovelace")} and set(net[zhang_b]) == {who("Grace Hopper")}
    assert set(net[who("Wei Zhang")]) == {who("Alan Turing")}  # the unidentified one is neither


def test_one_identifier_is_one_person_under_every_spelling(identified):
    net = coauthorship(identified.graph)
    osei = person_id_iri("orcid:0000-0002-9079-593X")  # ORCID names the person; OpenAlex's id joins it
    assert set(net[osei]) == {who("Maria Garcia-Lopez"), who("Ada Lovelace"), person_id_iri("s2:1700000124")}
    assert net.nodes[osei]["papers"] == 3  # with the name-only "Kwame Osei", his only namesake
    found = people(identified.graph)
    assert found.names[osei] == ["Kwame Osei", "K. A. Osei"]  # the most used spelling first
    assert found.ids[osei] == ["orcid:0000-0002-9079-593X", "openalex:A5012345678"]


def test_an_identifier_that_fails_its_check_digit_is_not_used(identified):
    found = people(identified.graph)
    assert who("Maria Garcia-Lopez") in found.names
    assert not any("Maria Garcia-Lopez" in names for person, names in found.names.items() if person in found.ids)


def test_identifiers_in_rdf_pass_the_shapes_and_read_back(identified):
    rdf = load_graph(identified.outputs["turtle"])
    _, rows = run_query(rdf, """PREFIX schema: <http://schema.org/>
        SELECT ?name ?id ?page WHERE { ?p schema:name ?name ; schema:identifier ?id ; schema:sameAs ?page }""")
    assert ["Kwame Osei", "orcid:0000-0002-9079-593X", "https://orcid.org/0000-0002-9079-593X"] in rows
    assert ["Kwame Osei", "openalex:A5012345678", "https://openalex.org/A5012345678"] in rows
    assert ["Tomás Herrera", "s2:1700000124", "https://www.semanticscholar.org/author/1700000124"] in rows
    assert validate(identified.outputs["turtle"]) == []
    built, read = coauthorship(identified.graph), coauthorship(read_graph(identified.outputs["turtle"]))
    assert {frozenset(e): d["weight"] for *e, d in built.edges(data=True)} \
        == {frozenset(e): d["weight"] for *e, d in read.edges(data=True)}
    assert set(built.nodes) == set(read.nodes)


def test_the_explorer_links_an_authors_orcid(identified):
    from test_metadata import page_nodes
    nodes = page_nodes(identified.outputs["html"])
    (paper,) = (n for n in nodes if n.get("full_label") == "Calcium imaging of cortex")
    links = dict(paper["sections"])["Links"]
    assert {"text": "ORCID Kwame Osei", "href": "https://orcid.org/0000-0002-9079-593X"} in links
    assert not any("Garcia-Lopez" in link["text"] for link in links)  # her ORCID failed its check digit
