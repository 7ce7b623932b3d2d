"""report.html: a summary people would rather look at than read.

Bar charts of the most mentioned methods, datasets, modalities and brain regions, heat maps
of method x dataset and modality x brain region (papers mentioning both), the concept
clusters (a card each and the thematic map, `themes.py`), the rising and declining
concepts as small line charts of their share of each year's papers, and the bursts
(kg.linking.trends) as a table with a strip of the years. Drawn as
inline SVG from a Jinja template: one self-contained file, no script at all, the same
Content-Security-Policy as the graph page, and every label escaped as text.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader

from ..graph import concepts, edges, papers
from ..linking.trends import Timeline, add_trends
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
        themes=themes(graph), timeline=timeline_view(graph))
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


CHARTS, BURSTS = 8, 30  # rising and declining concepts drawn each; bursts listed
CHART_W, CHART_H, STRIP_W = 220, 56, 240


def timeline_view(graph: nx.MultiDiGraph) -> dict | None:
    """Line charts of the most rising and declining concepts and the strongest bursts;
    None when no paper has a year."""
    timeline: Timeline = graph.graph.get("timeline") or add_trends(graph)
    if not timeline.years:
        return None
    moving = [(iri, t) for iri, t in timeline.concepts.items() if t.trend and t.trend.direction != "flat"]
    moving.sort(key=lambda c: (-abs(c[1].trend.z), graph.nodes[c[0]]["label"]))
    charts = {way: [line_chart(graph.nodes[iri], t, timeline) for iri, t in moving if t.trend.direction == way][:CHARTS]
              for way in ("rising", "declining")}
    bursts = [(b, iri) for iri, t in timeline.concepts.items() for b in t.bursts]
    bursts.sort(key=lambda x: (-x[0].strength, graph.nodes[x[1]]["label"]))
    first, span = timeline.years[0], len(timeline.years)
    rows = [{"label": graph.nodes[iri]["label"], "type": graph.nodes[iri]["type"].replace("_", " "), "burst": b,
             "x": STRIP_W * (b.start - first) / span, "width": STRIP_W * (b.end - b.start + 1) / span}
            for b, iri in bursts[:BURSTS]]
    o = timeline.options
    return {"window": timeline.window, "first": first, "last": timeline.years[-1], "options": o,
            "charts": charts, "bursts": rows, "strip": STRIP_W}


def line_chart(node: dict, time, timeline: Timeline) -> dict:
    """A concept's share (%) of each year's papers over the trend window, as SVG points."""
    years = timeline.window
    totals = timeline.totals[-len(years):]
    shares = [100 * time.per_year.get(y, 0) / n if n else 0.0 for y, n in zip(years, totals)]
    top = max(shares) or 1.0
    step = (CHART_W - 10) / max(len(years) - 1, 1)
    points = " ".join(f"{5 + i * step:.1f},{CHART_H - 4 - (CHART_H - 12) * v / top:.1f}" for i, v in enumerate(shares))
    return {"label": node["label"], "type": node["type"].replace("_", " "), "points": points, "top": round(top, 1),
            "slope": 100 * time.trend.slope, "q": time.trend.q, "papers": time.trend.papers}
