"""The concept map's geometry and colours, computed before graph.html opens.

Why in Python: a page that lays itself out moves for seconds and lands somewhere new each
time; positions computed here make it open still, the same on every build of the same
graph. The layout is Fruchterman-Reingold with a pull to the centre (so the small islands
of the co-occurrence graph stay near the continent, as ForceAtlas2's gravity keeps them),
dense and vectorised with NumPy: NetworkX's spring layout switches to a per-node Python
loop past 500 nodes (7 s for the example corpus's 690 concepts; this takes under one).

Colours: by cluster (the build's clusters, `kg.linking.clusters`, as in the report, the RDF
and the VOSviewer files), by mean publication year (a blue-to-yellow ramp), or by type.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
ITERATIONS = 80
REPULSION = 1.0
GRAVITY = 0.3  # linear in the distance (ForceAtlas2's strong gravity): islands stay near
EXTENT = 1000.0  # the layout's radius in canvas units: the page's first view fits it
CLUSTER_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
                   "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"]
OTHER = "#b0b0b0"  # clusters past the palette, and concepts with no year
YEAR_RAMP = ["#3b4cc0", "#2c7fb8", "#41b6c4", "#7fcdbb", "#c7e9b4", "#fdd835"]  # oldest -> newest


def layout(graph: nx.Graph, seed: int = SEED, iterations: int = ITERATIONS) -> dict[str, tuple[int, int]]:
    """Seeded force-directed positions within EXTENT of the origin; `weight` pulls harder
    (by its logarithm, so one pair seen in 40 papers does not swallow the map)."""
    nodes = sorted(graph)
    n = len(nodes)
    if n < 2:
        return {v: (0, 0) for v in nodes}
    index = {v: i for i, v in enumerate(nodes)}
    pull = np.zeros((n, n), dtype=np.float32)
    for u, v, data in graph.edges(data=True):
        if u != v:
            pull[index[u], index[v]] = pull[index[v], index[u]] = 1 + math.log(data.get("weight", 1))
    mass = 1 + (pull > 0).sum(axis=1).astype(np.float32)
    pos = (np.random.default_rng(seed).random((n, 2), dtype=np.float32) - 0.5) * 10 * math.sqrt(n)
    step = math.sqrt(n)
    for i in range(iterations):
        pos += _moves(pos, pull, mass, step * (1 - i / iterations) + 0.05)
    pos -= pos.mean(axis=0)
    radius = float(np.percentile(np.linalg.norm(pos, axis=1), 98)) or 1.0
    pos *= EXTENT / radius
    return {v: (round(float(pos[i, 0])), round(float(pos[i, 1]))) for v, i in index.items()}  # vis-network reports whole units


def _moves(pos: np.ndarray, pull: np.ndarray, mass: np.ndarray, limit: float) -> np.ndarray:
    """One ForceAtlas2 step: every pair pushes apart by REPULSION * mass * mass / d (mass:
    links + 1, so hubs keep room around them), linked pairs pull by d * weight, and every
    node is pulled to the centre by GRAVITY * mass; no node moves further than `limit`.
    (x and y as two n x n arrays: a third axis of size 2 makes NumPy's temporaries twice
    as slow.)"""
    dx = pos[:, 0, None] - pos[None, :, 0]
    dy = pos[:, 1, None] - pos[None, :, 1]
    square = np.maximum(dx * dx + dy * dy, 1e-2)
    coefficient = REPULSION * np.outer(mass, mass) / square - pull
    push = np.stack([(dx * coefficient).sum(axis=1), (dy * coefficient).sum(axis=1)], axis=1)
    push -= (GRAVITY * mass)[:, None] * pos
    length = np.maximum(np.linalg.norm(push, axis=1), 1e-6)
    return push * (np.minimum(length, limit) / length)[:, None]


def cluster_colour(number: int | None) -> str:
    return CLUSTER_COLOURS[number] if number is not None and number < len(CLUSTER_COLOURS) else OTHER


def year_colour(year: float | None, first: int, last: int) -> str:
    """A colour on the ramp for a (mean) year between the map's first and last years."""
    if year is None:
        return OTHER
    share = 0.5 if last == first else (year - first) / (last - first)
    at = min(max(share, 0.0), 1.0) * (len(YEAR_RAMP) - 1)
    low = int(at)
    high = min(low + 1, len(YEAR_RAMP) - 1)
    a, b = _rgb(YEAR_RAMP[low]), _rgb(YEAR_RAMP[high])
    return "#" + "".join(f"{round(x + (y - x) * (at - low)):02x}" for x, y in zip(a, b))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def mean_year(years: dict[int, int]) -> float | None:
    """The mean of a {year: papers} count, None when it is empty."""
    total = sum(years.values())
    return sum(y * c for y, c in years.items()) / total if total else None
