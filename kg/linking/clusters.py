"""Clusters of concepts: communities of the co-occurrence graph, named by their most
distinctive concepts, placed on a thematic map.

- Communities: Leiden (leidenalg, modularity, seed 42, iterated until stable) over the
  concepts papers mention, links weighted by the papers mentioning both. Leiden rather than
  NetworkX's Louvain: the same modularity on the benchmark graphs in half the time, and its
  communities are connected, which Louvain does not promise (Traag et al. 2019).
- Names: each paper belongs to the cluster holding most of its concepts; a concept's
  weight in its cluster is c-TF-IDF (class-based TF-IDF, as BERTopic): the cluster's papers
  mentioning it times log(1 + A / all papers mentioning it), A the mean number of
  paper-concept pairs per cluster. A concept every paper mentions weighs little everywhere,
  so a cluster is named by what sets it apart, not by what it shares with the field. The
  label is its three best concepts.
- Map (Callon et al. 1991, as bibliometrix draws it): with the equivalence index
  e = c_ij^2 / (c_i c_j) of two concepts, centrality = 10 x the sum of e over the links from
  the cluster's concepts to other clusters, density = 100 x the sum of e over its internal
  links / its concepts.

Numbered from 1 by size (concepts), then label; every mentioned concept is in one cluster
(a concept that co-occurs with nothing is a cluster of its own). The same graph gives the
same clusters on every run, so the report, the RDF and the VOSviewer files share them.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from ..graph import concepts
from .iris import cluster_iri

SEED = 42
LABEL_SIZE = 3


@dataclass(frozen=True)
class Cluster:
    number: int
    iri: str
    label: str  # the labels of its LABEL_SIZE most distinctive concepts, "; "-joined
    concepts: tuple[str, ...]  # its concepts, most distinctive first
    scores: tuple[float, ...]  # their c-TF-IDF, in the same order
    papers: tuple[str, ...]  # papers most of whose concepts are in it, in IRI order
    centrality: float
    density: float


def clusters(graph: nx.MultiDiGraph) -> list[Cluster]:
    """The graph's clusters: those the build found, else found now (and kept on a final graph)."""
    found = graph.graph.get("clusters")
    if found is None:
        found = find_clusters(graph)
        if nx.is_frozen(graph) and not hasattr(graph, "_graph"):  # a view shares its graph's `graph` dict
            graph.graph["clusters"] = found
    return found


def add_clusters(graph: nx.MultiDiGraph) -> None:
    """Find the clusters and keep them on the graph (the build's linking stage)."""
    graph.graph["clusters"] = find_clusters(graph)


def find_clusters(graph: nx.MultiDiGraph) -> list[Cluster]:
    members = [iri for iri, d in concepts(graph) if d["papers"] > 0]
    index = {iri: i for i, iri in enumerate(members)}
    links, mentions = read_links(graph, index)
    groups = [[members[i] for i in group] for group in communities(len(members), links)]
    group_of = {iri: g for g, group in enumerate(groups) for iri in group}
    owned = assign_papers(graph, mentions, group_of)
    scores = distinctiveness(graph, mentions, group_of, owned)
    e_in, e_out = equivalence(graph, group_of, links, members)
    made = []
    for g, group in enumerate(groups):
        ranked = sorted(group, key=lambda c: (-scores[c], -graph.nodes[c]["papers"], graph.nodes[c]["label"], c))
        made.append((group, ranked, "; ".join(graph.nodes[c]["label"] for c in ranked[:LABEL_SIZE]), g))
    made.sort(key=lambda m: (-len(m[0]), m[2], m[1][0]))
    return [Cluster(number, cluster_iri(group), label, tuple(ranked), tuple(round(scores[c], 4) for c in ranked),
                    tuple(sorted(owned[g])), round(10 * e_out[g], 4), round(100 * e_in[g] / len(group), 4))
            for number, (group, ranked, label, g) in enumerate(made, 1)]


def read_links(graph: nx.MultiDiGraph, index: dict[str, int]) -> tuple[list[tuple[int, int, int]], list[tuple[str, str]]]:
    """The co-occurrences as sorted (index, index, papers), and the (paper, concept) mentions,
    in one pass: sorted, so a graph read back from graph.ttl gives the same communities."""
    links, mentions = [], []
    for u, v, key, weight in graph.edges(keys=True, data="weight"):
        if key == "mentions":
            mentions.append((u, v))
        elif key == "cooccurs" and u in index and v in index:
            links.append((*sorted((index[u], index[v])), weight))
    links.sort()
    return links, mentions


def communities(n: int, links: list[tuple[int, int, int]]) -> list[list[int]]:
    """Leiden communities of nodes 0..n-1 with weighted links, largest first (leidenalg's order)."""
    import igraph
    import leidenalg  # imported here: only clustering needs them

    network = igraph.Graph(n=n, edges=[(a, b) for a, b, _ in links])
    partition = leidenalg.find_partition(network, leidenalg.ModularityVertexPartition,
                                         weights=[w for _, _, w in links] or None, n_iterations=-1, seed=SEED)
    return [sorted(group) for group in partition]


def assign_papers(graph: nx.MultiDiGraph, mentions: list[tuple[str, str]],
                  group_of: dict[str, int]) -> dict[int, list[str]]:
    """Group -> the papers most of whose concepts are in it (ties: the larger group); stubs in none."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for paper, concept in mentions:
        if concept in group_of:
            counts[paper][group_of[concept]] += 1
    owned: dict[int, list[str]] = defaultdict(list)
    for paper, found in counts.items():
        if not graph.nodes[paper].get("stub"):
            owned[min(found.items(), key=lambda gc: (-gc[1], gc[0]))[0]].append(paper)
    return owned


def distinctiveness(graph: nx.MultiDiGraph, mentions: list[tuple[str, str]], group_of: dict[str, int],
                    owned: dict[int, list[str]]) -> dict[str, float]:
    """Concept -> its c-TF-IDF in its own cluster."""
    paper_group = {p: g for g, ps in owned.items() for p in ps}
    tf: Counter[str] = Counter()
    pairs = 0
    for paper, concept in mentions:
        if concept in group_of and paper in paper_group:
            pairs += 1
            tf[concept] += paper_group[paper] == group_of[concept]
    mean = pairs / max(len(set(group_of.values())), 1)
    return {c: tf[c] * math.log(1 + mean / max(graph.nodes[c]["papers"], 1)) for c in group_of}


def equivalence(graph: nx.MultiDiGraph, group_of: dict[str, int], links: list[tuple[int, int, int]],
                members: list[str]) -> tuple[Counter[int], Counter[int]]:
    """Per group, the summed equivalence index of its internal links and of its links out."""
    inside: Counter[int] = Counter()
    outside: Counter[int] = Counter()
    counts = [graph.nodes[c]["papers"] for c in members]
    groups = [group_of[c] for c in members]
    for a, b, w in links:
        e = w * w / (counts[a] * counts[b])
        if groups[a] == groups[b]:
            inside[groups[a]] += e
        else:
            outside[groups[a]] += e
            outside[groups[b]] += e
    return inside, outside
