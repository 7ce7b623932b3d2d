"""graph.html: the graph as an interactive pyvis page that opens offline.

pyvis builds the node and edge data; the page template is ours (templates/graph.html)
because pyvis's own loads Bootstrap and scripts from CDNs. vis-network is inlined, a
Content-Security-Policy forbids any request, and every text from the data is inserted as
text (JSON with HTML-escaped characters, `textContent` in the page), never as markup.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.network import Network

from ..graph import concepts, edges, papers
from . import atomic_write

COLOURS = {"paper": "#9aa5b1", "method": "#e8743b", "dataset": "#19a979", "modality": "#5899da",
           "brain_region": "#c23b80"}
LEGEND = [("paper", COLOURS["paper"]), ("method", COLOURS["method"]), ("dataset", COLOURS["dataset"]),
          ("modality", COLOURS["modality"]), ("brain region", COLOURS["brain_region"])]
MAX_NODES = 1500
MAX_SENTENCES = 5
OPTIONS = {
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 250},
                "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 80}},
    "edges": {"smooth": False, "color": {"opacity": 0.35}},
    "nodes": {"font": {"size": 12}},
    "interaction": {"hover": True, "tooltipDelay": 150},
}


def export_html(graph: nx.MultiDiGraph, dest: Path, max_nodes: int = MAX_NODES, heading: str = "Knowledge graph") -> None:
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading=heading)
    keep = keep_nodes(graph, max_nodes)
    for iri, data in papers(graph):
        if iri in keep:
            net.add_node(iri, **_paper_node(graph, iri, data))
    for iri, data in concepts(graph):
        if iri in keep:
            net.add_node(iri, **_concept_node(graph, iri, data))
    for u, v, data in edges(graph, "mentions"):
        if u in keep and v in keep:
            net.add_edge(u, v, width=1 + min(data["count"], 5) * 0.5)
    for u, v, data in edges(graph, "cooccurs"):
        if u in keep and v in keep and data["weight"] >= 3:
            net.add_edge(u, v, width=min(data["weight"], 10), dashes=True)
    net.set_options(json.dumps(OPTIONS))
    html = _render(net, heading)
    with atomic_write(dest) as f:
        f.write(html)


def keep_nodes(graph: nx.MultiDiGraph, max_nodes: int) -> set[str]:
    """The `max_nodes` most linked nodes (ties by IRI); concepts no paper mentions are left out."""
    ranked = sorted(
        (n for n, d in graph.nodes(data=True)
         if (d["kind"] == "paper" and not d.get("stub")) or (d["kind"] == "concept" and d["papers"] > 0)),
        key=lambda n: (-graph.degree(n), n),
    )
    return set(ranked[:max_nodes])


def _render(net: Network, heading: str) -> str:
    pyvis_templates = Path(resources.files("pyvis") / "templates")
    ours = Path(str(resources.files("kg.exporters") / "templates"))
    env = Environment(loader=ChoiceLoader([FileSystemLoader(ours), FileSystemLoader(pyvis_templates)]), autoescape=True)
    nodes, edges_, heading_, _, _, options = net.get_network_data()
    return env.get_template("graph.html").render(
        nodes=nodes, edges=edges_, heading=heading, options=options, legend=LEGEND)


def _size(graph: nx.MultiDiGraph, iri: str) -> float:
    return 8 + min(graph.degree(iri), 60) ** 0.8


def _paper_node(graph: nx.MultiDiGraph, iri: str, data: dict) -> dict:
    found = sorted(graph.nodes[c]["label"] for _, c, k in graph.out_edges(iri, keys=True) if k == "mentions")
    title = data["title"]
    return dict(label=title if len(title) <= 40 else title[:38] + "…", title=title, color=COLOURS["paper"],
                shape="dot", size=_size(graph, iri), kind="paper", full_label=title,
                sections=[["Sources", data["sources"]], ["Link", [data["url"]] if data.get("url") else []],
                          ["Concepts", found], ["Abstract", [data["abstract"]] if data["abstract"] else []]])


def _concept_node(graph: nx.MultiDiGraph, iri: str, data: dict) -> dict:
    mentioning = [(u, d) for u, _, k, d in graph.in_edges(iri, keys=True, data=True) if k == "mentions"]
    titles = sorted(graph.nodes[u]["title"] for u, _ in mentioning)
    sentences = sorted({m.sentence for _, d in mentioning for m in d["mentions"]})[:MAX_SENTENCES]
    return dict(label=data["label"], title=f"{data['label']} ({data['type']}, {data['papers']} papers)",
                color=COLOURS[data["type"]], shape="dot", size=_size(graph, iri), kind="concept",
                ctype=data["type"].replace("_", " "), full_label=data["label"],
                sections=[["Papers", titles], ["Evidence", sentences], ["Also called", data["alt_labels"]]])
