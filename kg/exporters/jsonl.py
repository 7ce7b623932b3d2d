"""mentions.jsonl: one line per paper with the concepts found and their evidence.

This is the interface extraction is scored on (../shared/tools/score_mentions.py), so its
shape is a contract: {"id", "title", "concepts": [{"type", "label", "iri", "mentions":
[{"text", "field", "start", "end", ...}]}]}, offsets into that field of the paper.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..graph import papers
from . import write_lines


def paper_record(graph: nx.MultiDiGraph, iri: str, data: dict) -> dict:
    """The JSON object for one paper."""
    found = []
    targets = graph.succ[iri]  # target -> key -> data: only the mention links are read, not every link's data
    for concept in sorted(c for c, keys in targets.items() if "mentions" in keys):
        edge, node = targets[concept]["mentions"], graph.nodes[concept]
        found.append({
            "type": node["type"], "label": node["label"], "iri": concept,
            "proposed": edge["proposed"],
            "mentions": [{"text": m.text, "field": m.field, "start": m.start, "end": m.end,
                          "sentence": m.sentence, "rule": m.rule, "confidence": m.confidence}
                         for m in edge["mentions"]],
        })
    return {"id": iri, "title": data["title"], "sources": data["sources"], "concepts": found}


def export_mentions(graph: nx.MultiDiGraph, dest: Path) -> None:
    write_lines(dest, (json.dumps(paper_record(graph, iri, data), ensure_ascii=False) + "\n"
                       for iri, data in papers(graph)))
