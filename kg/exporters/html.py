"""graph.html: the graph as an interactive pyvis page that opens offline.

pyvis builds the node and edge data; the page template is ours (templates/graph.html)
because pyvis's own loads Bootstrap and scripts from CDNs. vis-network is inlined, a
Content-Security-Policy forbids any request, and every text from the data is inserted as
text (JSON with HTML-escaped characters, `textContent` in the page), never as markup. A
paper's DOI, arXiv id, PMID and URL become plain links to their resolvers, which the page
never fetches; only http(s) URLs are made links.

Large graphs: the layout is computed once (physics stops after stabilisation) and only
the `max_nodes` most linked nodes are drawn (ties broken by IRI), so the page stays fast;
`focus` draws the neighbourhood of one concept or paper instead; that node is drawn as a
star with its label, and the page opens with it selected, centred and its details shown.
"""
from __future__ import annotations

import heapq
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.edge import Edge
from pyvis.network import Network

from ..errors import KgError
from ..graph import edges
from ..model import Mention
from . import atomic_write

COLOURS = {"paper": "#9aa5b1", "method": "#e8743b", "dataset": "#19a979", "modality": "#5899da",
           "brain_region": "#c23b80"}
LEGEND = [(k, k.replace("_", " "), c) for k, c in COLOURS.items()]
COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                     "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"]
MAX_SENTENCES = 5
MAX_LISTED = 50  # titles listed per concept in the details panel
DRAWN_LINKS = ("mentions", "cooccurs", "cites", "mentionsWorkOf")
_WEB = re.compile(r"^https?://", re.I)  # the only URLs shown as links: no javascript:, data:, ...
_SAFE = "/:;()._-"
RESOLVERS = (("doi", "DOI", "https://doi.org/{}"), ("arxiv", "arXiv", "https://arxiv.org/abs/{}"),
             ("pmid", "PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"))
OPTIONS = {
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 150},
                "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 80}},
    "edges": {"smooth": False, "color": {"opacity": 0.35}},
    "nodes": {"font": {"size": 12}},
    "interaction": {"hover": True, "tooltipDelay": 150},
}
KAMADA_KAWAI_MAX = 100  # vis-network's improved layout runs Kamada-Kawai on this many nodes at most
FOCUSED = {"shape": "star", "borderWidth": 3, "font": {"size": 18, "strokeWidth": 3}}  # --focus's node


@dataclass(frozen=True)
class HtmlOptions:
    """What the page draws: how many nodes, whose neighbourhood, colour and size rules."""

    max_nodes: int = 1500
    focus: str | None = None  # a concept label or paper title
    depth: int = 2
    color: str = "type"  # "type" | "community" (Louvain)
    size: str = "degree"  # "degree" | "pagerank"
    labels: int = 80  # how many of the most important nodes show their label
    heading: str = "Knowledge graph"


def export_html(graph: nx.MultiDiGraph, dest: Path, options: HtmlOptions = HtmlOptions()) -> None:
    view = select_view(graph, options)
    center = find_node(_drawable(graph), options.focus) if options.focus else None
    importance = _importance(view, options.size)
    communities = _communities(view) if options.color == "community" else {}
    labelled = set(sorted(view, key=lambda n: (-importance[n], n))[: options.labels]) | {center}
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading=options.heading)
    top = max(importance.values(), default=1) or 1
    for node in sorted(view):
        data = dict(_node(graph, node))
        colour = COMMUNITY_COLOURS[communities[node] % len(COMMUNITY_COLOURS)] if communities else data["color"]
        net.add_node(node, **{**data, "color": colour, "size": 8 + 30 * (importance[node] / top) ** 0.5,
                              "label": data["label"] if node in labelled else " ", "community": communities.get(node),
                              **(FOCUSED if node == center else {})})
    drawn: set[frozenset[str]] = set()
    for key in DRAWN_LINKS:
        for u, v, data in edges(view, key):
            if (key != "cooccurs" or data["weight"] >= 3) and frozenset((u, v)) not in drawn:
                drawn.add(frozenset((u, v)))
                # Network.add_edge scans every node and edge per call (quadratic: 7 s for a
                # 1,500-node page); the first link between two nodes is drawn, as it would.
                net.edges.append(Edge(u, v, False, width=_width(key, data), dashes=key != "mentions",
                                      title=key).options)
    # vis-network's improved layout (Kamada-Kawai) handles 100 nodes; past that it clusters
    # the graph down first, and on a graph of many small components the clustering stalls
    # and it logs "could not be positioned by this version of the improved layout
    # algorithm". The physics run lays large pages out anyway, from seeded positions.
    layout = {"improvedLayout": view.number_of_nodes() <= KAMADA_KAWAI_MAX, "randomSeed": 7}
    net.set_options(json.dumps({**OPTIONS, "layout": layout}))
    with atomic_write(dest) as f:
        f.write(_render(net, options.heading, center))


def _rank(graph: nx.MultiDiGraph, nodes: set[str]) -> list[str]:
    """Nodes by degree within `nodes` (most links first, ties by IRI), counted in one pass
    over the edges: asking a subgraph view for each node's degree filtered every edge again."""
    degree = dict.fromkeys(nodes, 0)
    for u, targets in graph.succ.items():
        if u in nodes:
            for v, keys in targets.items():
                if v in nodes:  # parallel links of other kinds count one each
                    degree[u] += len(keys)
                    degree[v] += len(keys)
    return sorted(nodes, key=lambda n: (-degree[n], n))


def select_view(graph: nx.MultiDiGraph, options: HtmlOptions) -> nx.MultiDiGraph:
    """The subgraph to draw: a focus neighbourhood or the whole graph, capped at max_nodes."""
    base = _drawable(graph)
    if options.focus:
        center = find_node(base, options.focus)
        near = nx.ego_graph(base.to_undirected(as_view=True), center, radius=options.depth)
        base = graph.subgraph(near.nodes)
    ranked = _rank(graph, set(base))
    keep = set(ranked[: options.max_nodes])
    if options.focus:
        keep.add(center)
    return _drawn(graph, keep)


def _drawable(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Papers read from the input and concepts some paper mentions (no stubs, no orphans)."""
    return graph.subgraph(n for n, d in graph.nodes(data=True)
                          if (d["kind"] == "paper" and not d.get("stub"))
                          or (d["kind"] == "concept" and d.get("papers", 0) > 0))


def _drawn(graph: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    """The kept nodes and the edges among them, as a small graph of their own.

    Why not `graph.subgraph(keep)`: the page reads its edges once per link kind and each
    node's degree, and every such read of a subgraph view filters the whole adjacency of
    the hub concepts again (1.8M checks per pass at 100k papers, 12 s of the export); one
    pass here copies what is drawn (attribute dicts shared, not copied)."""
    kept = [n for n in graph if n in keep]  # the model's order, so the page is the same each run
    small = nx.MultiDiGraph()
    small.add_nodes_from((n, graph.nodes[n]) for n in kept)
    small.add_edges_from((u, v, k, d) for u in kept for v, by_key in graph.succ[u].items() if v in keep
                         for k, d in by_key.items())
    return small


def find_node(graph: nx.MultiDiGraph, text: str) -> str:
    """The node whose label or title is `text` (case-insensitive), else the best partial match."""
    wanted = text.strip().lower()
    names = {n: (d.get("label") or d.get("title") or "").lower() for n, d in graph.nodes(data=True)}
    exact = sorted(n for n, name in names.items() if name == wanted)
    if exact:
        return exact[0]
    partial = sorted((n for n, name in names.items() if wanted in name), key=lambda n: (len(names[n]), n))
    if not partial:
        raise KgError(f"no concept or paper matches {text!r}")
    return partial[0]


def _importance(view: nx.MultiDiGraph, rule: str) -> dict[str, float]:
    if rule == "pagerank" and view.number_of_nodes():
        return nx.pagerank(nx.Graph(view.to_undirected(as_view=True)))
    return {n: float(view.degree(n)) for n in view}


def _communities(view: nx.MultiDiGraph) -> dict[str, int]:
    """Louvain communities (fixed seed, so the same graph gets the same colours)."""
    simple = nx.Graph(view.to_undirected(as_view=True))
    groups = nx.community.louvain_communities(simple, seed=42) if simple.number_of_edges() else [set(simple)]
    ordered = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {n: i for i, group in enumerate(ordered) for n in group}


def _width(key: str, data: dict) -> float:
    if key == "mentions":
        return 1 + min(data["count"], 5) * 0.5
    if key == "cooccurs":
        return min(data["weight"], 10)
    return 2


def _render(net: Network, heading: str, focus: str | None) -> str:
    pyvis_templates = Path(str(resources.files("pyvis") / "templates"))
    ours = Path(str(resources.files("kg.exporters") / "templates"))
    env = Environment(loader=ChoiceLoader([FileSystemLoader(ours), FileSystemLoader(pyvis_templates)]), autoescape=True)
    nodes, edges_, _, _, _, options = net.get_network_data()
    return env.get_template("graph.html").render(nodes=nodes, edges=edges_, heading=heading, options=options,
                                                 legend=LEGEND, focus=focus)


def _node(graph: nx.MultiDiGraph, iri: str) -> dict:
    data = graph.nodes[iri]
    return _paper_node(graph, iri, data) if data["kind"] == "paper" else _concept_node(graph, iri, data)


def _paper_node(graph: nx.MultiDiGraph, iri: str, data: dict) -> dict:
    found = sorted(graph.nodes[c]["label"] for c, keys in graph.succ[iri].items() if "mentions" in keys)
    title = data["title"]
    return dict(label=title if len(title) <= 40 else title[:38] + "…", title=title, color=COLOURS["paper"],
                shape="dot", kind="paper", group_type="paper", full_label=title,
                sections=[["Authors", [", ".join(_capped(data["authors"]))] if data.get("authors") else []],
                          ["Year", [str(data["year"])] if data.get("year") else []],
                          ["Venue", [data["venue"]] if data.get("venue") else []],
                          ["Links", _links(data)], ["Sources", data["sources"]],
                          ["Concepts", found], ["Abstract", [data["abstract"]] if data["abstract"] else []]])


def _links(data: dict) -> list[dict]:
    """{text, href} per identifier: resolver links the reader clicks (the page fetches none)."""
    found = [{"text": f"{name} {data[key]}", "href": resolver.format(quote(str(data[key]), safe=_SAFE))}
             for key, name, resolver in RESOLVERS if data.get(key)]
    if data.get("url") and _WEB.match(data["url"]):
        found.append({"text": data["url"], "href": data["url"]})
    return found


def _capped(items: list[str], first: list[str] | None = None) -> list[str]:
    """The first MAX_LISTED items (or `first`, already picked), and how many more."""
    first = items[:MAX_LISTED] if first is None else first
    return first if len(items) <= MAX_LISTED else first + [f"… and {len(items) - MAX_LISTED} more"]


def _evidence(mentions: Iterable[Mention]) -> list[str]:
    """Evidence lines: each sentence once, with what found it there and how far that kind
    of evidence is trusted ("... [vocab:methods.ttl+model, confidence 0.87]")."""
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.sentence not in best or (m.confidence or 0) > (best[m.sentence].confidence or 0):
            best[m.sentence] = m
    lines = []
    for sentence in sorted(best)[:MAX_SENTENCES]:
        m = best[sentence]
        said = f"{m.rule}, confidence {m.confidence:.2f}" if m.confidence is not None else m.rule
        lines.append(f"{sentence} [{said}]")
    return lines


def _concept_node(graph: nx.MultiDiGraph, iri: str, data: dict) -> dict:
    mentioning = [(u, keys["mentions"]) for u, keys in graph.pred[iri].items() if "mentions" in keys]
    titles = [graph.nodes[u]["title"] for u, _ in mentioning]
    titles = _capped(titles, heapq.nsmallest(MAX_LISTED, titles))  # not a full sort: 10^4 titles or more
    sentences = _evidence(m for _, d in mentioning[:MAX_LISTED] for m in d["mentions"])
    return dict(label=data["label"], title=f"{data['label']} ({data['type'].replace('_', ' ')}, {data['papers']} papers)",
                color=COLOURS[data["type"]], shape="dot", kind="concept", group_type=data["type"],
                ctype=data["type"].replace("_", " "), full_label=data["label"],
                sections=[["Papers", titles], ["Evidence", sentences], ["Also called", data["alt_labels"]]])
