"""Paper similarity by shared concepts (bibliographic coupling by concepts).

Papers that mention the same concepts are related even without citations. Each paper is
a vector of its concepts weighted by inverse document frequency (rare shared concepts
count more than "transformer"); pairs whose cosine similarity reaches the threshold are
linked, at most `top` per paper, with the shared concepts (two at least) as evidence.
"""
from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

THRESHOLD = 0.35
TOP = 5
MIN_SHARED = 2  # one shared concept is a coincidence, not a relation


def add_similarity(graph: nx.MultiDiGraph, threshold: float = THRESHOLD, top: int = TOP) -> None:
    vectors = _vectors(graph)
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
            score = _cosine(vec, vectors[other])
            if score >= threshold:
                best[paper].append((score, other))
                best[other].append((score, paper))
    kept = {tuple(sorted((p, o))) for p, pairs in best.items() for _, o in sorted(pairs, key=lambda x: (-x[0], x[1]))[:top]}
    for a, b in sorted(kept):
        shared = sorted(set(vectors[a]) & set(vectors[b]))
        graph.add_edge(a, b, key="similarTo", kind="similarTo", weight=round(_cosine(vectors[a], vectors[b]), 4),
                       concepts=shared)


def _vectors(graph: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    papers = [n for n, d in graph.nodes(data=True) if d["kind"] == "paper" and not d.get("stub")]
    n = len(papers) or 1
    vectors = {}
    for paper in papers:
        concepts = [c for _, c, k in graph.out_edges(paper, keys=True) if k == "mentions"]
        vectors[paper] = {c: math.log(n / graph.nodes[c]["papers"]) for c in concepts if graph.nodes[c]["papers"] < n}
    return {p: v for p, v in vectors.items() if v}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[c] for c, w in a.items() if c in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0
