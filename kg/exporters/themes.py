"""The report's clusters: a card per cluster and the thematic map.

The cards say what a cluster is about (its most distinctive methods, datasets, modalities
and regions) and show it in the papers' own words (sentences naming several of its
concepts). The thematic map places each cluster by Callon centrality (x: ties to the other
clusters) and density (y: ties within), as bibliometrix does: by rank, so a few large values
do not squeeze the rest into a corner, with the axes crossing at the middle rank. The four
quadrants: motor themes (central and dense), niche themes (dense, peripheral), emerging or
declining themes (neither) and basic themes (central, not yet dense).
"""
from __future__ import annotations

import math

import networkx as nx

from ..graph import RELATIONS
from ..linking.clusters import Cluster, clusters

CARDS = 12  # cards for the largest clusters of at least MIN_SIZE concepts
MAP_MAX = 30  # clusters on the map
MIN_SIZE = 2
PER_TYPE = 5
SENTENCES = 3
SCANNED = 300  # papers of a cluster read for evidence sentences
WIDTH, HEIGHT, MARGIN = 640, 440, 40
QUADRANTS = {(True, True): "Motor themes", (False, True): "Niche themes",
             (False, False): "Emerging or declining themes", (True, False): "Basic themes"}


def themes(graph: nx.MultiDiGraph) -> dict:
    shown = [c for c in clusters(graph) if len(c.concepts) >= MIN_SIZE][:MAP_MAX]
    points = map_points(shown)
    quadrant = {p["number"]: p["quadrant"] for p in points}
    cards = [cluster_card(graph, c, quadrant[c.number]) for c in shown[:CARDS]]
    return {"cards": cards, "points": points, "width": WIDTH, "height": HEIGHT, "margin": MARGIN,
            "quadrants": quadrant_labels(), "hidden": len(clusters(graph)) - len(shown)}


def cluster_card(graph: nx.MultiDiGraph, cluster: Cluster, quadrant: str) -> dict:
    by_type: dict[str, list[str]] = {t: [] for t in RELATIONS}
    for concept in cluster.concepts:
        data = graph.nodes[concept]
        if len(by_type[data["type"]]) < PER_TYPE:
            by_type[data["type"]].append(data["label"])
    return {"number": cluster.number, "label": cluster.label, "concepts": len(cluster.concepts),
            "papers": len(cluster.papers), "quadrant": quadrant, "centrality": cluster.centrality,
            "density": cluster.density, "types": by_type, "sentences": evidence(graph, cluster)}


def evidence(graph: nx.MultiDiGraph, cluster: Cluster) -> list[str]:
    """A few sentences of the cluster's papers that name the most of its concepts."""
    members = set(cluster.concepts)
    named: dict[str, set[str]] = {}
    for paper in cluster.papers[:SCANNED]:
        for _, concept, key, data in graph.out_edges(paper, keys=True, data=True):
            if key == "mentions" and concept in members:
                for m in data["mentions"]:
                    named.setdefault(m.sentence.strip(), set()).add(concept)
    ranked = sorted(named, key=lambda s: (-len(named[s]), len(s), s))
    return ranked[:SENTENCES]


def map_points(shown: list[Cluster]) -> list[dict]:
    """Each cluster's place on the map (SVG coordinates), bubble radius and quadrant."""
    x_rank, y_rank = ranks([c.centrality for c in shown]), ranks([c.density for c in shown])
    middle = (len(shown) + 1) / 2
    top = max((len(c.papers) for c in shown), default=1) or 1
    span = max(len(shown) - 1, 1)
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    return [{"number": c.number, "label": c.label,
             "x": round(MARGIN + inner_w * ((x - 1) / span if len(shown) > 1 else 0.5), 1),
             "y": round(HEIGHT - MARGIN - inner_h * ((y - 1) / span if len(shown) > 1 else 0.5), 1),
             "r": round(5 + 15 * math.sqrt(len(c.papers) / top), 1),
             "quadrant": QUADRANTS[(x >= middle, y >= middle)]}
            for c, x, y in zip(shown, x_rank, y_rank)]


def ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in order[i:j + 1]:
            out[k] = (i + j) / 2 + 1
        i = j + 1
    return out


def quadrant_labels() -> list[dict]:
    """Where each quadrant's name is written: in its outer corner."""
    left, right, high, low = MARGIN + 6, WIDTH - MARGIN - 6, MARGIN + 14, HEIGHT - MARGIN - 8
    return [{"text": QUADRANTS[(True, True)], "x": right, "y": high, "anchor": "end"},
            {"text": QUADRANTS[(False, True)], "x": left, "y": high, "anchor": "start"},
            {"text": QUADRANTS[(False, False)], "x": left, "y": low, "anchor": "start"},
            {"text": QUADRANTS[(True, False)], "x": right, "y": low, "anchor": "end"}]
