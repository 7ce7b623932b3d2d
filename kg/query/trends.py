"""The table `kg trends` prints: each concept's papers, first and mean year, trend and bursts.

The figures come from kg.linking.trends; this module only picks, orders and words them.
"""
from __future__ import annotations

import math

import networkx as nx

from ..errors import KgError
from ..linking.trends import ConceptTime, Timeline

COLUMNS = ["concept", "type", "papers", "first year", "mean year", "trend", "bursts"]
SORTS = ("papers", "trend", "burst", "first-year", "mean-year")


def timeline_rows(graph: nx.MultiDiGraph, timeline: Timeline, types: tuple[str, ...] = (), sort: str = "papers",
                  limit: int = 30) -> tuple[list[str], list[list[str]]]:
    """(columns, rows) of the dated concepts of `types` (all if empty), ordered by `sort`
    (see SORTS; trend: by the test statistic, most rising first, untested last), the first
    `limit` (0: all). papers: the dated papers that mention the concept."""
    if sort not in SORTS:
        raise KgError(f"cannot sort trends by {sort!r}: choose one of {', '.join(SORTS)}")
    found = [(graph.nodes[iri], t) for iri, t in timeline.concepts.items()
             if not types or graph.nodes[iri]["type"] in types]
    found.sort(key=lambda c: (_sort_key(c[1], sort), c[0]["label"]))
    rows = [_row(node, t) for node, t in found[:limit or None]]
    return COLUMNS, rows


def _sort_key(t: ConceptTime, sort: str) -> float:
    if sort == "trend":
        return -t.trend.z if t.trend else math.inf  # untested ones last
    if sort == "burst":
        return -max((b.strength for b in t.bursts), default=0.0)
    if sort == "first-year":
        return t.first_year
    if sort == "mean-year":
        return t.mean_year
    return -sum(t.per_year.values())


def _row(node: dict, t: ConceptTime) -> list[str]:
    return [node["label"], node["type"].replace("_", " "), str(sum(t.per_year.values())), str(t.first_year),
            f"{t.mean_year:.1f}", describe_trend(t),
            "; ".join(f"{b.start}-{b.end} ({b.strength:.2f})" for b in t.bursts)]


def describe_trend(t: ConceptTime) -> str:
    """"rising +1.38 pp/yr (q 0.037)": direction, slope of the share in percentage points a
    year, adjusted p; "-" when the concept has too few papers in the window to be tested."""
    if t.trend is None:
        return "-"
    return f"{t.trend.direction} {100 * t.trend.slope:+.2f} pp/yr (q {t.trend.q:.3f})"
