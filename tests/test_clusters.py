"""Concept clusters: planted communities found, stable from run to run, named by their
distinctive concepts, in RDF that conforms, in the report and the VOSviewer files."""
from __future__ import annotations

import random

import networkx as nx
import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.exporters.report import export_report
from kg.exporters.turtle import export_turtle, to_rdf
from kg.exporters.vosviewer import concept_network
from kg.graph import build_graph
from kg.graph.from_rdf import read_graph
from kg.linking.clusters import clusters, find_clusters
from kg.linking.iris import concept_iri, paper_iri
from kg.linking.links import link
from kg.model import Concept, ConceptMentions, Mention, Paper
from kg.namespaces import KG
from kg.query.validate import validate

TOPICS = {
    "vision": [("method", "convolutional network"), ("dataset", "ImageNet"), ("modality", "natural images"),
               ("method", "data augmentation"), ("dataset", "CIFAR-10")],
    "memory": [("brain_region", "hippocampus"), ("modality", "calcium imaging"), ("method", "place cell decoding"),
               ("brain_region", "entorhinal cortex"), ("dataset", "Allen Brain Observatory")],
}
HUB = ("method", "deep learning")  # in every paper: frequent, and distinctive of nothing


def planted_graph(per_topic: int = 12, seed: int = 0) -> nx.MultiDiGraph:
    """Papers of two topics: each mentions its topic's first three concepts, one of the other
    two, and the hub; one paper bridges the topics."""
    rng = random.Random(seed)
    records = []
    for topic, names in TOPICS.items():
        for i in range(per_topic):
            records.append((f"{topic} study {i}", [*names[:3], rng.choice(names[3:]), HUB]))
    records.append(("a bridge", [TOPICS["vision"][0], TOPICS["memory"][0]]))
    return _graph(records)


def _graph(records: list[tuple[str, list[tuple[str, str]]]]) -> nx.MultiDiGraph:
    built = []
    for title, names in records:
        abstract = "We study " + ", ".join(label for _, label in names) + "."
        paper = Paper(title=title, abstract=abstract, id=title, sources=["planted.jsonl"])
        found = [ConceptMentions(Concept(concept_iri(ctype, label), ctype, label),
                                 [_mention(abstract, label)]) for ctype, label in names]
        built.append((paper_iri(f"title:{title}"), paper, found))
    graph = build_graph(built)
    link(graph, [(iri, paper) for iri, paper, _ in built])
    return nx.freeze(graph)


def _mention(abstract: str, label: str) -> Mention:
    start = abstract.index(label)
    return Mention(label, "abstract", start, start + len(label), abstract, "vocab:test")


def _labels(graph, cluster):
    return {graph.nodes[c]["label"] for c in cluster.concepts}


@pytest.fixture(scope="module")
def planted():
    return planted_graph()


def test_planted_communities_are_found(planted):
    found = clusters(planted)
    topics = [_labels(planted, c) - {HUB[1]} for c in found]
    assert sorted(map(sorted, topics)) == sorted(sorted(label for _, label in names) for names in TOPICS.values())
    assert [c.number for c in found] == [1, 2]
    assert sorted(len(c.papers) for c in found) == [12, 13]  # the bridge joins one side


def test_clusters_are_identical_across_runs(planted):
    again = planted_graph()
    assert find_clusters(planted) == find_clusters(again) == clusters(planted)


def test_labels_are_the_distinctive_concepts_not_the_frequent_ones(planted):
    for cluster in clusters(planted):
        topic = next(names for names in TOPICS.values() if names[0][1] in _labels(planted, cluster))
        assert set(cluster.label.split("; ")) == {label for _, label in topic[:3]}
        hub = concept_iri(*HUB)
        if hub in cluster.concepts:  # the most frequent concept of all is not in the label
            assert planted.nodes[hub]["papers"] > max(planted.nodes[c]["papers"] for c in cluster.concepts[:3])
            assert cluster.concepts.index(hub) >= 3


def test_thematic_map_figures(planted):
    for cluster in clusters(planted):
        assert cluster.density > 0 and cluster.centrality > 0  # the hub and the bridge tie the two


def test_rdf_has_clusters_and_conforms(planted):
    rdf = to_rdf(planted)
    found = set(rdf.subjects(RDF.type, KG.Cluster))
    assert {URIRef(c.iri) for c in clusters(planted)} == found
    for cluster in clusters(planted):
        node = URIRef(cluster.iri)
        assert {URIRef(c) for c in cluster.concepts} == set(rdf.subjects(KG.inCluster, node))
        assert rdf.value(node, KG.clusterNumber) == Literal(cluster.number)
    assert validate(rdf) == []


def test_shapes_catch_a_concept_in_two_clusters(planted):
    rdf = to_rdf(planted)
    first, second = (URIRef(c.iri) for c in clusters(planted))
    concept = next(rdf.subjects(KG.inCluster, first))
    rdf.add((concept, KG.inCluster, second))
    assert any(v.path == str(KG.inCluster) for v in validate(rdf))


def test_report_has_cluster_cards_and_thematic_map(planted, tmp_path):
    export_report(planted, tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for cluster in clusters(planted):
        assert f'id="cluster-{cluster.number}"' in html
    assert 'aria-label="thematic map"' in html
    for quadrant in ("Motor themes", "Niche themes", "Emerging or declining themes", "Basic themes"):
        assert quadrant in html
    assert "We study convolutional network" in html  # an evidence sentence
    assert "http" not in html.split("<body>")[1]  # nothing to fetch: the page opens offline


def test_vosviewer_items_carry_the_same_clusters(planted):
    items, _ = concept_network(planted)
    number = {c: cluster.number for cluster in clusters(planted) for c in cluster.concepts}
    assert {item.iri: item.cluster for item in items} == number


def test_graph_read_back_from_turtle_has_the_same_clusters(planted, tmp_path):
    export_turtle(planted, tmp_path / "graph.ttl")
    again = read_graph(tmp_path / "graph.ttl")
    assert [(c.number, c.iri, c.label, c.concepts, c.papers) for c in clusters(again)] == \
        [(c.number, c.iri, c.label, c.concepts, c.papers) for c in clusters(planted)]
