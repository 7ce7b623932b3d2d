"""Paper similarity: the sparse, blocked implementation gives the pure-Python algorithm's links.

`reference_similarity` is the algorithm `kg.linking.similarity` had before it was vectorised
(per-pair dict cosine over candidates from shared concepts), kept here as the specification.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future

import networkx as nx
import numpy as np
import pytest

from conftest import CORPUS
from kg.api import build_model
from kg.linking import similarity
from kg.linking.similarity import (DIGITS, MIN_SHARED, TEXT_MIN, THRESHOLD, TOP, add_similarity, finish_similarity,
                                   hub_limit, pairs_process, start_similarity, text_gate)
from kg.linking.wording import pair_cosines, text_vectors


def reference_similarity(graph: nx.MultiDiGraph, threshold: float = THRESHOLD, top: int = TOP) -> dict:
    """The original algorithm; returns {(a, b): (weight, concepts)} instead of adding edges."""
    papers = [n for n, d in graph.nodes(data=True) if d["kind"] == "paper" and not d.get("stub")]
    n = len(papers) or 1
    vectors = {}
    for paper in papers:
        concepts = [c for _, c, k in graph.out_edges(paper, keys=True) if k == "mentions"]
        vectors[paper] = {c: math.log(n / graph.nodes[c]["papers"]) for c in concepts
                          if graph.nodes[c]["papers"] < hub_limit(n)}
    vectors = {p: v for p, v in vectors.items() if v}
    words = _text_vectors(graph, sorted(vectors))
    by_concept: dict[str, list[str]] = defaultdict(list)
    for paper, vec in vectors.items():
        for concept in vec:
            by_concept[concept].append(paper)
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for paper, vec in sorted(vectors.items()):
        candidates = {other for c in vec for other in by_concept[c] if other > paper}
        for other in sorted(candidates):
            if len(vec.keys() & vectors[other].keys()) < MIN_SHARED:
                continue
            if words[paper] is not None and words[other] is not None and round(_cosine(words[paper], words[other]), DIGITS) < TEXT_MIN:
                continue
            score = round(_cosine(vec, vectors[other]), DIGITS)
            if score >= threshold:
                best[paper].append((score, other))
                best[other].append((score, paper))
    kept = {tuple(sorted((p, o))) for p, pairs in best.items() for _, o in sorted(pairs, key=lambda x: (-x[0], x[1]))[:top]}
    return {(a, b): (round(_cosine(vectors[a], vectors[b]), 4), sorted(set(vectors[a]) & set(vectors[b])))
            for a, b in sorted(kept)}


def _text_vectors(graph: nx.MultiDiGraph, papers: list[str]) -> dict[str, dict[int, float] | None]:
    """Each paper's TF-IDF words as a dict (None without an abstract: the gate does not apply)."""
    gate = text_gate(graph, papers)
    rows = gate.vectors.tolil().rows
    data = gate.vectors.tolil().data
    return {p: dict(zip(rows[i], data[i])) if gate.abstract[i] else None for i, p in enumerate(papers)}


def _cosine(a: dict, b: dict) -> float:
    dot = sum(w * b[c] for c, w in a.items() if c in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def synthetic_graph(n_papers: int, n_concepts: int, seed: int = 0, per_paper: float = 12.0,
                    skew: float = 1.0, words: int = 0) -> nx.MultiDiGraph:
    """Papers mentioning Zipf-distributed concepts (a few in most papers, most in a handful),
    with abstracts of `words` Zipf-distributed words from 300 (none with 0).

    IRIs are random hex so that IRI order says nothing about popularity; a few stub papers,
    empty papers, non-mention edges and a concept in every paper keep the filters honest.
    """
    rng = np.random.default_rng(seed)
    abstracts = _abstracts(rng, n_papers, words)
    graph = nx.MultiDiGraph()
    concepts = [f"https://w3id.org/kg/concept/{rng.bytes(6).hex()}" for _ in range(n_concepts)]
    for iri in concepts:
        graph.add_node(iri, kind="concept", papers=0)
    popularity = 1.0 / np.arange(1, n_concepts + 1) ** skew
    sizes = np.clip(rng.poisson(per_paper - 1, n_papers) + 1, 1, None)
    draws = rng.choice(n_concepts, size=(n_papers, int(sizes.max()) * 2), p=popularity / popularity.sum())
    papers = [f"https://w3id.org/kg/paper/{rng.bytes(8).hex()}" for _ in range(n_papers)]
    for paper, size, row in zip(papers, sizes, draws):
        graph.add_node(paper, kind="paper", title=paper[-6:], abstract=next(abstracts))
        for c in dict.fromkeys(row.tolist()).keys():
            if size == 0:
                break
            graph.add_edge(paper, concepts[c], key="mentions", kind="mentions")
            graph.nodes[concepts[c]]["papers"] += 1
            size -= 1
    _add_noise(graph, papers, concepts, rng)
    return graph


def _abstracts(rng: np.random.Generator, n_papers: int, words: int) -> Iterator[str]:
    """`n_papers` abstracts of `words` words each ("" with 0 words)."""
    if not words:
        yield from [""] * n_papers
        return
    vocabulary = np.array([f"w{i:05d}" for i in range(300)])
    popularity = 1.0 / np.arange(1, 301)
    draws = rng.choice(300, size=(n_papers, words), p=popularity / popularity.sum())
    for row in draws:
        yield " ".join(vocabulary[row])


def _add_noise(graph: nx.MultiDiGraph, papers: list[str], concepts: list[str], rng: np.random.Generator) -> None:
    """Stubs (ignored even with mentions), a paper without concepts, a concept in every paper."""
    everywhere = "https://w3id.org/kg/concept/everywhere"
    graph.add_node(everywhere, kind="concept", papers=len(papers) + 1)  # n counts the empty paper too
    for paper in papers:
        graph.add_edge(paper, everywhere, key="mentions", kind="mentions")
    for i in range(5):
        stub = f"https://w3id.org/kg/paper/stub{i}"
        graph.add_node(stub, kind="paper", stub=True)
        for c in rng.choice(len(concepts), 6, replace=False):
            graph.add_edge(stub, concepts[c], key="mentions", kind="mentions")
        graph.add_edge(papers[i], stub, key="cites", kind="cites")
    graph.add_node("https://w3id.org/kg/paper/empty", kind="paper")


def similarity_edges(graph: nx.MultiDiGraph) -> dict:
    """{(a, b): (weight, concepts)} of the similarTo edges, in insertion order."""
    return {(a, b): (d["weight"], d["concepts"]) for a, b, k, d in graph.edges(keys=True, data=True) if k == "similarTo"}


def assert_same_links(expected: dict, graph: nx.MultiDiGraph) -> None:
    """Same pairs (a < b), same shared concepts, weights equal to the 4th decimal."""
    got = similarity_edges(graph)
    assert sorted(got) == sorted(expected)
    assert all(a < b for a, b in got)
    for pair, (weight, concepts) in expected.items():
        assert got[pair][1] == concepts
        assert abs(got[pair][0] - weight) <= 1.00001e-4


@pytest.fixture(scope="module")
def example_graph():
    graph, _ = build_model([CORPUS])
    return graph


def test_example_corpus_links_match_the_reference(example_graph):
    graph = example_graph.copy()
    graph.remove_edges_from([(a, b, k) for a, b, k in graph.edges(keys=True) if k == "similarTo"])
    expected = reference_similarity(graph)
    assert len(expected) > 40
    add_similarity(graph)
    assert_same_links(expected, graph)
    assert similarity_edges(graph) == similarity_edges(example_graph)


def test_pairs_found_in_a_second_process_are_the_same(example_graph, monkeypatch):
    """With a pairs process (jobs > 1) the pairs come from there, while the caller goes on."""
    monkeypatch.setattr(similarity, "BACKGROUND_MIN_PAPERS", 0)
    graph = example_graph.copy()
    graph.remove_edges_from([(a, b, k) for a, b, k in graph.edges(keys=True) if k == "similarTo"])
    with pairs_process(2) as pool:
        assert pool is not None
        started = start_similarity(graph, pool=pool)
        assert isinstance(started.pairs, Future)
        finish_similarity(graph, started)
    assert similarity_edges(graph) == similarity_edges(example_graph)
    with pairs_process(1) as pool:
        assert pool is None  # one job: one process


def test_skewed_synthetic_links_match_the_reference():
    graph = synthetic_graph(2000, 1500, seed=1, per_paper=6)
    expected = reference_similarity(graph)
    assert len(expected) > 300
    add_similarity(graph)
    assert_same_links(expected, graph)


@pytest.mark.parametrize(("threshold", "top"), [(0.0, 3), (0.6, 1), (0.2, 10)])
def test_other_thresholds_and_tops_match_the_reference(threshold, top):
    graph = synthetic_graph(600, 300, seed=3, per_paper=6)
    expected = reference_similarity(graph, threshold, top)
    add_similarity(graph, threshold, top)
    assert_same_links(expected, graph)


def test_graph_without_papers_gets_no_links():
    graph = nx.MultiDiGraph()
    graph.add_node("https://w3id.org/kg/concept/x", kind="concept", papers=0)
    add_similarity(graph)
    assert graph.number_of_edges() == 0


def recombined_graph(n_papers: int, n_sources: int, seed: int = 0) -> nx.MultiDiGraph:
    """Papers made of the concepts of two source abstracts, like `bench/scale.py`'s corpora.

    Hundreds of pairs per paper pass the threshold and many scores tie exactly (papers with
    the same two sources), so only the top-k and its tie-break decide what is kept.
    """
    rng = np.random.default_rng(seed)
    graph = nx.MultiDiGraph()
    concepts = [f"https://w3id.org/kg/concept/{i:04d}" for i in range(n_sources * 3)]
    for iri in concepts:
        graph.add_node(iri, kind="concept", papers=0)
    sources = [rng.choice(len(concepts), 4, replace=False) for _ in range(n_sources)]
    for i in range(n_papers):
        paper = f"https://w3id.org/kg/paper/{rng.bytes(8).hex()}"
        graph.add_node(paper, kind="paper", title=str(i))
        first, second = rng.choice(n_sources, 2, replace=False)
        for c in set(sources[first][:3].tolist()) | set(sources[second][1:].tolist()):
            graph.add_edge(paper, concepts[c], key="mentions", kind="mentions")
            graph.nodes[concepts[c]]["papers"] += 1
    return graph


@pytest.mark.parametrize("top", [1, 5])
def test_many_passing_pairs_keep_each_papers_top_across_blocks(monkeypatch, top):
    monkeypatch.setattr("kg.linking.similarity.BLOCK", 37)  # many blocks: partners found in earlier ones
    monkeypatch.setattr("kg.linking.similarity.HUB_SHARE", 1.0)  # every concept here is in 4% of the papers or more
    graph = recombined_graph(900, 25)
    expected = reference_similarity(graph, top=top)
    assert len(expected) >= 900 * top // 2
    add_similarity(graph, top=top)
    assert_same_links(expected, graph)


def test_synthetic_links_with_abstracts_match_the_reference():
    """The text gate drops pairs before they compete for a paper's top: still the reference's links."""
    graph = synthetic_graph(1500, 1000, seed=2, per_paper=6, words=30)
    expected = reference_similarity(graph)
    without_gate = reference_similarity(synthetic_graph(1500, 1000, seed=2, per_paper=6))
    assert 50 < len(expected) < len(without_gate) / 2
    add_similarity(graph)
    assert_same_links(expected, graph)


HUBS = ["hub-network", "hub-image", "hub-text"]


def hand_made_graph(a: tuple[list[str], str], b: tuple[list[str], str]) -> nx.MultiDiGraph:
    """Papers A and B (their concepts and abstract) among 38 others that all mention the hubs.

    Each other paper mentions the hubs and two concepts of its own, with an abstract of its own
    (P00's is ENERGY, P01's PRUNING).
    """
    papers = {"A": a, "B": b} | {f"P{i:02d}": ([f"own-{i}", f"own-{i}b"], f"filler{i} words{i}") for i in range(38)}
    papers["P00"] = (papers["P00"][0], ENERGY)  # so that these words count (a word in one paper only does not)
    papers["P01"] = (papers["P01"][0], PRUNING)
    graph = nx.MultiDiGraph()
    for name, (concepts, abstract) in papers.items():
        paper = f"https://w3id.org/kg/paper/{name}"
        graph.add_node(paper, kind="paper", title=f"paper {name}", abstract=abstract)
        for concept in concepts + (HUBS if name.startswith("P") else []):
            iri = f"https://w3id.org/kg/concept/{concept}"
            if iri not in graph:
                graph.add_node(iri, kind="concept", papers=0)
            graph.add_edge(paper, iri, key="mentions", kind="mentions")
            graph.nodes[iri]["papers"] += 1
    return graph


PRUNING = "we prune convolutional networks and find lottery tickets that train sparse subnetworks on imagenet"
TICKETS = "lottery tickets: sparse subnetworks of convolutional networks found by iterative pruning"
ENERGY = "energy scores detect out-of-distribution inputs of a classifier without retraining"


def pair_links(graph: nx.MultiDiGraph) -> dict:
    add_similarity(graph)
    return {(a[-1], b[-1]): d["concepts"] for a, b, k, d in graph.edges(keys=True, data=True) if k == "similarTo"}


def test_pair_sharing_only_hubs_is_not_linked():
    graph = hand_made_graph((HUBS + ["own-a"], PRUNING), (HUBS + ["own-b"], TICKETS))
    assert pair_links(graph) == {}


def test_pair_sharing_a_rare_method_and_dataset_is_linked_with_them_as_evidence():
    specific = ["lottery-ticket-pruning", "imagenet"]
    graph = hand_made_graph((HUBS + specific + ["own-a"], PRUNING), (HUBS + specific, TICKETS))
    assert pair_links(graph) == {("A", "B"): [f"https://w3id.org/kg/concept/{c}" for c in sorted(specific)]}


def test_pair_whose_abstracts_differ_is_not_linked():
    specific = ["lottery-ticket-pruning", "imagenet"]
    graph = hand_made_graph((HUBS + specific, PRUNING), (HUBS + specific, ENERGY))
    assert pair_links(graph) == {}


def test_pair_without_abstract_is_judged_by_concepts_alone():
    specific = ["lottery-ticket-pruning", "imagenet"]
    graph = hand_made_graph((HUBS + specific, PRUNING), (HUBS + specific, ""))
    assert list(pair_links(graph)) == [("A", "B")]


def test_pair_sharing_two_of_many_concepts_is_not_linked():
    """Two shared specific concepts among A's fourteen: concept cosine 0.31, under the threshold of 0.35."""
    specific = ["lottery-ticket-pruning", "imagenet"]
    many = HUBS + specific + [f"own-a{i}" for i in range(12)]
    assert pair_links(hand_made_graph((many, PRUNING), (HUBS + specific, TICKETS))) == {}
    graph = hand_made_graph((many, PRUNING), (HUBS + specific, TICKETS))
    add_similarity(graph, threshold=0.3)
    assert [round(d["weight"], 2) for _, _, k, d in graph.edges(keys=True, data=True) if k == "similarTo"] == [0.31]


def test_text_vectors_are_float32_unit_rows_with_float64_cosines():
    texts = [("t", PRUNING), ("u", TICKETS), ("v", ENERGY), ("w", ENERGY + " pruning")]
    vectors = text_vectors(texts + [(f"f{i}", f"filler{i}") for i in range(6)])  # common words are left out
    assert vectors.dtype == np.float32 and vectors.indices.dtype == np.int32
    assert np.allclose(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()[:4], 1.0, atol=1e-6)
    many = np.arange(40_000) % 4  # more pairs than one chunk
    cosines = pair_cosines(vectors, many, (many + 1) % 4)
    assert cosines.dtype == np.float64
    dense = vectors.toarray().astype(np.float64)
    assert np.allclose(cosines, (dense[many] * dense[(many + 1) % 4]).sum(axis=1), atol=1e-7)
