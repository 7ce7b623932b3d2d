#!/usr/bin/env python3
"""What concept clusters cost, and Leiden against Louvain on the same network.

    python bench/clusters.py [--sizes 10000 100000] [--concepts 2000]

A synthetic corpus with planted topics: each concept belongs to one of 40 topics; a paper
picks a topic and mentions about 8 concepts, three in four from its topic and the rest from
the whole vocabulary (Zipf-distributed popularity in both). Per size it prints the network's
size, the seconds and modularity of NetworkX's Louvain and of Leiden (leidenalg) on it, and
the seconds of the whole clustering stage (`find_clusters`: communities, paper assignment,
c-TF-IDF labels, centrality and density).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.linking.clusters import communities, find_clusters, read_links  # noqa: E402

TOPICS, PER_PAPER, OWN = 40, 8, 0.75


def topical_graph(n_papers: int, n_concepts: int, seed: int = 0) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    topic_of = rng.integers(0, TOPICS, n_concepts)
    by_topic = [np.flatnonzero(topic_of == t) for t in range(TOPICS)]
    popularity = 1 / np.arange(1, n_concepts + 1)
    graph = nx.MultiDiGraph()
    names = [f"https://w3id.org/kg/concept/method/c{i}" for i in range(n_concepts)]
    for i, iri in enumerate(names):
        graph.add_node(iri, kind="concept", type="method", label=f"c{i}", papers=0)
    together: Counter[tuple[int, int]] = Counter()
    for p in range(n_papers):
        own = by_topic[rng.integers(TOPICS)]
        k = max(1, rng.poisson(PER_PAPER))
        n_own = min(round(k * OWN), len(own))
        chosen = set(rng.choice(own, n_own, replace=False, p=popularity[own] / popularity[own].sum()).tolist())
        chosen |= set(rng.choice(n_concepts, k - n_own, p=popularity / popularity.sum()).tolist())
        paper = f"https://w3id.org/kg/paper/p{p}"
        graph.add_node(paper, kind="paper")
        for c in chosen:
            graph.add_edge(paper, names[c], key="mentions", kind="mentions")
            graph.nodes[names[c]]["papers"] += 1
        together.update(combinations(sorted(chosen), 2))
    graph.add_edges_from((names[a], names[b], "cooccurs", {"kind": "cooccurs", "weight": w})
                         for (a, b), w in together.items())
    return graph


def compare(graph: nx.MultiDiGraph) -> None:
    members = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "concept" and d["papers"])
    links, _ = read_links(graph, {iri: i for i, iri in enumerate(members)})
    network = nx.Graph()
    network.add_nodes_from(range(len(members)))
    network.add_weighted_edges_from(links)
    print(f"  network: {len(members):,} concepts, {len(links):,} co-occurrences")
    start = time.perf_counter()
    louvain = nx.community.louvain_communities(network, weight="weight", seed=42)
    seconds = time.perf_counter() - start
    print(f"  Louvain (NetworkX): {seconds:.2f} s, modularity {nx.community.modularity(network, louvain):.4f}, "
          f"{len(louvain)} communities")
    start = time.perf_counter()
    leiden = communities(len(members), links)
    seconds = time.perf_counter() - start
    print(f"  Leiden (leidenalg): {seconds:.2f} s, modularity {nx.community.modularity(network, leiden):.4f}, "
          f"{len(leiden)} communities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--concepts", type=int, default=2_000)
    args = parser.parse_args()
    for size in args.sizes:
        start = time.perf_counter()
        graph = nx.freeze(topical_graph(size, args.concepts))
        print(f"{size:,} papers (corpus made in {time.perf_counter() - start:.1f} s)")
        compare(graph)
        start = time.perf_counter()
        found = find_clusters(graph)
        print(f"  whole clustering stage: {time.perf_counter() - start:.2f} s, {len(found)} clusters; "
              f"largest: {found[0].label} ({len(found[0].concepts)} concepts)", flush=True)


if __name__ == "__main__":
    main()
