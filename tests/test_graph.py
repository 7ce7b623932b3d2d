"""The graph model: paper and concept nodes, typed mention edges, co-occurrence weights."""
from __future__ import annotations

import pytest

from conftest import write
from kg.api import build_model
from kg.graph import edges

M = "https://w3id.org/kg/concept/method/"


@pytest.fixture()
def tiny_graph(tmp_path, tiny_vocab):
    write(tmp_path / "papers.jsonl", "\n".join([
        '{"title": "One", "abstract": "An LSTM and a recurrent neural network on MNIST."}',
        '{"title": "Two", "abstract": "An LSTM trained on MNIST with EEG. Another LSTM."}',
        '{"title": "Three", "abstract": "EEG only."}',
        '{"title": "two", "abstract": "An LSTM trained on MNIST with EEG. Another LSTM."}',
    ]) + "\n")
    graph, corpus = build_model([tmp_path / "papers.jsonl"], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    return graph, corpus.records


def _mnist(graph):
    return next(n for n, d in graph.nodes(data=True) if d.get("label") == "MNIST")


def test_papers_and_concepts_are_nodes(tiny_graph):
    graph, records = tiny_graph
    kinds = [d["kind"] for _, d in graph.nodes(data=True)]
    assert records == 4 and kinds.count("paper") == 3
    lstm = graph.nodes[M + "test-lstm"]
    assert (lstm["type"], lstm["label"], lstm["papers"]) == ("method", "long short-term memory", 2)


def test_mention_edges_are_typed_and_counted(tiny_graph):
    graph, _ = tiny_graph
    two = next(n for n, d in graph.nodes(data=True) if d.get("title") == "Two")
    edge = graph.edges[two, M + "test-lstm", "mentions"]
    assert edge["relation"] == "usesMethod" and edge["count"] == 2
    assert [(m.field, m.start, m.end, m.text) for m in edge["mentions"]] == [("abstract", 3, 7, "LSTM"), ("abstract", 43, 47, "LSTM")]
    assert graph.edges[two, _mnist(graph), "mentions"]["relation"] == "usesDataset"


def test_cooccurrence_weight_counts_papers(tiny_graph):
    graph, _ = tiny_graph
    weights = {frozenset((graph.nodes[u]["label"], graph.nodes[v]["label"])): d["weight"]
               for u, v, d in edges(graph, "cooccurs")}
    assert weights[frozenset(("MNIST", "long short-term memory"))] == 2
    assert weights[frozenset(("EEG", "MNIST"))] == 1
    assert frozenset(("EEG", "recurrent neural network")) not in weights


def test_hierarchy_edges_come_from_the_vocabulary(tiny_graph):
    graph, _ = tiny_graph
    assert graph.has_edge(M + "test-lstm", M + "test-recurrent-net", key="broader")
