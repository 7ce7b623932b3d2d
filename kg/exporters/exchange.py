"""The whole graph for graph tools: GraphML and GEXF (Gephi), Cytoscape.js JSON (Cytoscape),
and CSV node and edge tables (spreadsheets, Gephi's spreadsheet import).

Each holds every node of the model (papers, concepts, repositories, works known only from a
reference) with its `kind`, and every link (mentions, co-occurrence, hierarchy, typed
relations, citations, similarity, code) as an edge with its `kind`, directed as in the model
(a co-occurrence or similarity runs from the smaller IRI). These formats hold plain values,
so every attribute is flattened the same way (`plain`):
- strings, numbers and booleans are kept; an unknown value (None) is left out;
- lists of strings (authors, sources, alternative labels, broader concepts, the papers of a
  co-occurrence, the concepts two similar papers share) are joined with "; " (Cytoscape.js
  JSON keeps them as lists);
- the evidence (the mentions of a paper-concept link, the sentences of a typed relation or a
  code link) is left out: it is in graph.ttl and mentions.jsonl, and its size stays as `count`
  or `papers` where the model has one;
- an attribute that is a whole number on some elements and a fraction on others is written
  as a fraction throughout (GraphML and GEXF give each attribute one type).
Papers get a `label` (their title) so that Gephi and Cytoscape show one.
"""
from __future__ import annotations

import csv
import json
from operator import itemgetter
from pathlib import Path

import networkx as nx

from . import atomic_write

SEPARATOR = "; "
EVIDENCE = frozenset({"mentions", "evidence"})  # lists of Mention / dict: left out


def plain(data: dict, join: bool = True) -> dict:
    """The attributes of one node or edge as plain values (see the module docstring)."""
    out = {}
    for key, value in data.items():
        if value is None or key in EVIDENCE or key.startswith("_"):
            continue
        if isinstance(value, (str, bool, int, float)):
            out[key] = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            out[key] = SEPARATOR.join(value) if join else list(value)
    return out


def flat_graph(graph: nx.MultiDiGraph, join: bool = True) -> nx.MultiDiGraph:
    """A copy of the model with plain attributes, nodes and edges in sorted order."""
    flat = nx.MultiDiGraph()
    for node, data in sorted(graph.nodes(data=True), key=itemgetter(0)):
        attrs = plain(data, join)
        if data["kind"] == "paper":
            attrs["label"] = data.get("title") or data.get("identifier") or node
        flat.add_node(node, **attrs)
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=itemgetter(0, 1, 2)):
        flat.add_edge(u, v, key=key, **plain(data, join))
    _one_number_type(flat.nodes.values())
    _one_number_type(d for _, _, d in flat.edges(data=True))
    return flat


def _one_number_type(elements) -> None:
    """Make an attribute that holds both ints and floats hold floats only."""
    elements = list(elements)
    kinds: dict[str, set[type]] = {}
    for data in elements:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    mixed = {key for key, seen in kinds.items() if seen == {int, float}}
    for data in elements:
        for key in mixed & data.keys():
            data[key] = float(data[key])


def export_graphml(graph: nx.MultiDiGraph, dest: Path) -> None:
    with atomic_write(dest, "wb") as f:
        nx.write_graphml(flat_graph(graph), f, infer_numeric_types=True)


def export_gexf(graph: nx.MultiDiGraph, dest: Path) -> None:
    with atomic_write(dest, "wb") as f:
        nx.write_gexf(flat_graph(graph), f)


def cytoscape_json(graph: nx.MultiDiGraph) -> dict:
    """Cytoscape.js elements JSON (https://js.cytoscape.org/#notation/elements-json), with
    `name` (the label) for nodes and `interaction` (the kind) for edges, as Cytoscape reads
    a .cyjs file."""
    flat = flat_graph(graph, join=False)
    nodes = [{"data": {"name": d.get("label", n), **d, "id": n}} for n, d in flat.nodes(data=True)]
    edges = [{"data": {"interaction": k, **d, "id": f"e{i}", "source": u, "target": v}}
             for i, (u, v, k, d) in enumerate(flat.edges(keys=True, data=True), 1)]
    return {"format_version": "1.0", "generated_by": "kg", "target_cytoscapejs_version": "~3.0",
            "data": {"name": "kg"}, "elements": {"nodes": nodes, "edges": edges}}


def export_cytoscape(graph: nx.MultiDiGraph, dest: Path) -> None:
    with atomic_write(dest) as f:
        json.dump(cytoscape_json(graph), f, ensure_ascii=False)


def export_csv_nodes(graph: nx.MultiDiGraph, dest: Path) -> None:
    """nodes.csv: one row per node, `id` (its IRI), `kind`, `label`, then every attribute."""
    _write_csv(dest, ["id", "kind", "label"], [{"id": n, **d} for n, d in flat_graph(graph).nodes(data=True)])


def export_csv_edges(graph: nx.MultiDiGraph, dest: Path) -> None:
    """edges.csv: one row per edge, `source`, `target`, `kind`, `weight`, then every attribute."""
    rows = [{"source": u, "target": v, **d} for u, v, d in flat_graph(graph).edges(data=True)]
    _write_csv(dest, ["source", "target", "kind", "weight"], rows)


def _write_csv(dest: Path, first: list[str], rows: list[dict]) -> None:
    """UTF-8, comma-separated, a header line; fields with commas, quotes or line breaks are
    quoted (RFC 4180); booleans as true/false; an empty field is an unknown value."""
    columns = first + sorted({key for row in rows for key in row} - set(first))
    with atomic_write(dest) as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows({k: str(v).lower() if isinstance(v, bool) else v for k, v in row.items()} for row in rows)
