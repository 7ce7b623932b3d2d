"""report.html: a summary people would rather look at than read.

Bar charts of the most mentioned methods, datasets, modalities and brain regions, heat
maps of method x dataset and modality x brain region (papers mentioning both), and the
concept clusters: a card each and the thematic map (`themes.py`). Drawn as
inline SVG from a Jinja template: one self-contained file, no script at all, the same
Content-Security-Policy as the graph page, and every label escaped as text.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader

from ..graph import concepts, edges, papers
from . import atomic_write
from .themes import themes

TOP = 15
HEAT_ROWS, HEAT_COLS = 15, 10
PLURALS = {"method": "methods", "dataset": "datasets", "modality": "modalities", "brain_region": "brain regions"}
HEATMAPS = (("method", "dataset"), ("modality", "brain_region"), ("method", "brain_region"))


def export_report(graph: nx.MultiDiGraph, dest: Path) -> None:
    env = Environment(loader=FileSystemLoader(str(resources.files("kg.exporters") / "templates")), autoescape=True)
    html = env.get_template("report.html").render(
        papers=sum(1 for _ in papers(graph)),
        bars=[bar_chart(graph, t) for t in ("method", "dataset", "modality", "brain_region")],
        heatmaps=[heat_map(graph, a, b) for a, b in HEATMAPS],
        themes=themes(graph))
    with atomic_write(dest) as f:
        f.write(html)


def top_concepts(graph: nx.MultiDiGraph, ctype: str, n: int) -> list[tuple[str, str, int]]:
    """(IRI, label, papers) of the n concepts of a type most papers mention."""
    found = [(iri, d["label"], d["papers"]) for iri, d in concepts(graph) if d["type"] == ctype and d["papers"] > 0]
    return sorted(found, key=lambda c: (-c[2], c[1]))[:n]


def bar_chart(graph: nx.MultiDiGraph, ctype: str) -> dict:
    rows = top_concepts(graph, ctype, TOP)
    top = max((r[2] for r in rows), default=1)
    return {"title": PLURALS[ctype], "rows": [{"label": label, "value": count, "width": 300 * count / top}
                                                          for _, label, count in rows]}


def heat_map(graph: nx.MultiDiGraph, row_type: str, col_type: str) -> dict:
    rows = top_concepts(graph, row_type, HEAT_ROWS)
    cols = top_concepts(graph, col_type, HEAT_COLS)
    both = {}
    for a, b, data in edges(graph, "cooccurs"):
        both[(a, b)] = both[(b, a)] = data["weight"]
    cells = [[both.get((r[0], c[0]), 0) for c in cols] for r in rows]
    top = max((v for row in cells for v in row), default=0) or 1
    return {"title": f"{row_type.replace('_', ' ')} x {col_type.replace('_', ' ')}",
            "rows": [r[1] for r in rows], "cols": [c[1] for c in cols],
            "cells": [[{"value": v, "shade": round(v / top, 3)} for v in row] for row in cells]}
