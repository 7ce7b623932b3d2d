"""VOSviewer files: the concept co-occurrence network, the map VOSviewer users expect.

Items are the concepts papers mention (ancestors kept only for the hierarchy are not);
links are their co-occurrences, strength = the papers mentioning both. Each item has:
- `weight<Occurrences>`: the papers mentioning it (VOSviewer's binary counting, once per
  paper); `weight<Links>`: the concepts it co-occurs with; `weight<Total link strength>`:
  the sum of the strengths of its links;
- `score<Avg. pub. year>`: the mean publication year of its papers that have a year (two
  decimals); empty (in JSON: absent) for a concept none of whose papers has one, and the
  column only where some paper has a year;
- `cluster`: the concept's cluster (`kg.linking.clusters`: Leiden, named in the report and
  the RDF by the same numbers), numbered from 1 by size (VOSviewer takes 1 to 1000: clusters
  past the 999th share 1000);
- `x`, `y`: a seeded force-directed layout (NetworkX spring layout, weighted) for networks of
  up to LAYOUT_MAX items; past that the columns are left out and VOSviewer lays the map out
  itself (a spring layout of 2,000 items took 16 s);
- `description`: the concept type; `url`: the concept IRI.

Three files, item ids 1..n in IRI order in each: the map file and the network file
(tab-separated; https://app.vosviewer.com/docs/file-types/map-and-network-file-type/) and the
JSON file (`network.items`, `network.links`; .../file-types/json-file-type/). In the map
file a tab or line break in a label becomes a space (a row is one line), and a label with a
comma, semicolon or double quote is enclosed in double quotes, quotes doubled, as the format
asks.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..graph import concepts, edges
from ..linking.clusters import clusters as find_clusters
from . import atomic_write, write_lines

LAYOUT_MAX = 500
SEED = 42
MAX_CLUSTER = 1000
YEAR = "Avg. pub. year"
WEIGHTS = ("Occurrences", "Links", "Total link strength")


@dataclass
class Item:
    """One concept as a VOSviewer item."""

    id: int
    iri: str
    label: str
    type: str
    weights: dict[str, int]
    cluster: int
    year: float | None = None
    x: float | None = None
    y: float | None = None


def concept_network(graph: nx.MultiDiGraph) -> tuple[list[Item], list[tuple[int, int, int]]]:
    """The items, and the links as (id, id, strength) with the smaller id first; kept on a
    final (frozen) graph, so the three files share one layout and one clustering."""
    final = nx.is_frozen(graph) and not hasattr(graph, "_graph")  # a view shares its graph's `graph` dict
    if final and "_vosviewer" in graph.graph:
        return graph.graph["_vosviewer"]
    found = [(iri, d) for iri, d in concepts(graph) if d["papers"] > 0]
    ids = {iri: i for i, (iri, _) in enumerate(found, 1)}
    links = sorted(tuple(sorted((ids[a], ids[b]))) + (d["weight"],)
                   for a, b, d in edges(graph, "cooccurs") if a in ids and b in ids)
    network = nx.Graph()
    network.add_nodes_from(ids.values())
    network.add_weighted_edges_from(links)
    clusters, years, places = _clusters(graph), mean_years(graph), _layout(network)
    items = []
    for iri, data in found:
        i = ids[iri]
        weights = {"Occurrences": data["papers"], "Links": network.degree(i),
                   "Total link strength": network.degree(i, weight="weight")}
        x, y = places.get(i, (None, None))
        items.append(Item(i, iri, data["label"], data["type"], weights, clusters[iri], years.get(iri), x, y))
    if final:
        graph.graph["_vosviewer"] = (items, links)
    return items, links


def mean_years(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Concept IRI -> the mean year of the papers mentioning it that have a year."""
    years: dict[str, list[int]] = defaultdict(list)
    for paper, concept, _ in edges(graph, "mentions"):
        if (year := graph.nodes[paper].get("year")) is not None:
            years[concept].append(year)
    return {c: round(sum(ys) / len(ys), 2) for c, ys in years.items()}


def _clusters(graph: nx.MultiDiGraph) -> dict[str, int]:
    return {iri: min(c.number, MAX_CLUSTER) for c in find_clusters(graph) for iri in c.concepts}


def _layout(network: nx.Graph) -> dict[int, tuple[float, float]]:
    if not 0 < len(network) <= LAYOUT_MAX:
        return {}
    places = nx.spring_layout(network, weight="weight", seed=SEED)
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in places.items()}


def export_map(graph: nx.MultiDiGraph, dest: Path) -> None:
    items, _ = concept_network(graph)
    placed = any(item.x is not None for item in items)
    dated = any(item.year is not None for item in items)
    header = ["id", "label", "description", "url", *(["x", "y"] if placed else []), "cluster",
              *(f"weight<{w}>" for w in WEIGHTS), *([f"score<{YEAR}>"] if dated else [])]

    def row(item: Item) -> list:
        return [item.id, item.label, item.type, item.iri, *([item.x, item.y] if placed else []), item.cluster,
                *(item.weights[w] for w in WEIGHTS), *([item.year] if dated else [])]

    write_lines(dest, ("\t".join(map(_field, cells)) + "\n" for cells in [header, *map(row, items)]))


def export_network(graph: nx.MultiDiGraph, dest: Path) -> None:
    _, links = concept_network(graph)
    write_lines(dest, (f"{a}\t{b}\t{strength}\n" for a, b, strength in links))


_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _field(value: object) -> str:
    """One map-file cell: numbers as they are, None empty, text on one line, quoted where the
    format asks."""
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    if any(c in text for c in ',;"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def vosviewer_json(graph: nx.MultiDiGraph) -> dict:
    items, links = concept_network(graph)
    return {"network": {
        "items": [{"id": item.id, "label": item.label, "description": item.type, "url": item.iri,
                   **({"x": item.x, "y": item.y} if item.x is not None else {}), "cluster": item.cluster,
                   "weights": item.weights, "scores": {YEAR: item.year} if item.year is not None else {}}
                  for item in items],
        "links": [{"source_id": a, "target_id": b, "strength": strength} for a, b, strength in links]}}


def export_json(graph: nx.MultiDiGraph, dest: Path) -> None:
    with atomic_write(dest) as f:
        json.dump(vosviewer_json(graph), f, ensure_ascii=False, indent=1)
