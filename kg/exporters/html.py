"""graph.html: the graph as an interactive pyvis page that opens offline.

pyvis builds the node and edge data; the page template is ours (templates/graph.html)
because pyvis's own loads Bootstrap and scripts from CDNs. vis-network is inlined, a
Content-Security-Policy forbids any request, and every text from the data is inserted as
text (JSON with HTML-escaped characters, `textContent` in the page), never as markup. A
paper's DOI, arXiv id, PMID and URL become plain links to their resolvers, which the page
never fetches; only http(s) URLs are made links.

The first view is a concept map: concepts only (papers are in each concept's details, and
behind the "paper" switch), sized by their papers, laid out by co-occurrence before the
page opens (conceptmap.layout; physics off, so it opens still), coloured by cluster, mean
year or type, with a year range that filters it. Labels are sized by importance and the
page hides those under 8 pixels on screen, so the most important are read at the first
view and more appear as one zooms.

Large graphs: only the `max_nodes` most linked nodes are drawn (ties broken by IRI), so the
page stays fast; `focus` draws the neighbourhood of one concept or paper instead, papers
shown; that node is drawn as a star, and the page opens with it selected, centred and its
details shown.
"""
from __future__ import annotations

import heapq
import json
import random
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
from ..linking.clusters import clusters as theme_clusters
from ..linking.iris import person_id_url
from .conceptmap import CLUSTER_COLOURS, OTHER, SEED, cluster_colour, layout, mean_year, year_colour

COLOURS = {"paper": "#9aa5b1", "method": "#e8743b", "dataset": "#19a979", "modality": "#5899da",
           "brain_region": "#c23b80"}
LEGEND = [(k, k.replace("_", " "), c) for k, c in COLOURS.items()]
MAX_SENTENCES = 5
MAX_LISTED = 50  # titles listed per concept in the details panel
DRAWN_LINKS = ("mentions", "cooccurs", "cites", "mentionsWorkOf")
_WEB = re.compile(r"^https?://", re.I)  # the only URLs shown as links: no javascript:, data:, ...
_SAFE = "/:;()._-"
RESOLVERS = (("doi", "DOI", "https://doi.org/{}"), ("arxiv", "arXiv", "https://arxiv.org/abs/{}"),
             ("pmid", "PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"))
OPTIONS = {  # positions come with the nodes (conceptmap.layout): no physics, the page opens still
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "edges": {"smooth": False, "color": {"color": "#b9c2cc", "opacity": 0.45, "inherit": False}},
    "nodes": {"borderWidth": 1, "font": {"strokeWidth": 4, "strokeColor": "#ffffff"},
              # a label under 8 pixels on screen is not drawn: more labels appear as one zooms
              "scaling": {"label": {"drawThreshold": 9, "maxVisible": 30}}},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
}
SHAPES = {"method": "dot", "dataset": "square", "modality": "triangle", "brain_region": "diamond", "paper": "dot"}
FOCUSED = {"shape": "star", "borderWidth": 3, "font": {"size": 40}}  # --focus's node


@dataclass(frozen=True)
class HtmlOptions:
    """What the page draws: how many nodes, whose neighbourhood, colour and size rules."""

    max_nodes: int = 1500
    focus: str | None = None  # a concept label or paper title
    depth: int = 2
    color: str = "cluster"  # the colour the page opens with: "cluster" ("community"), "year" or "type"
    size: str = "papers"  # concepts sized by "papers" mentioning them, "degree" or "pagerank"
    labels: int = 40  # how many concepts are labelled at the first view
    heading: str = "Knowledge graph"


def export_html(graph: nx.MultiDiGraph, dest: Path, options: HtmlOptions = HtmlOptions()) -> None:
    view = select_view(graph, options)
    center = find_node(_drawable(graph), options.focus) if options.focus else None
    linked = _cooccurrence(view)
    found = theme_clusters(graph)  # the report's, the RDF's and the VOSviewer files'
    number = {c: cl.number - 1 for cl in found for c in cl.concepts}
    cluster = {n: number[n] for n in linked if n in number}
    names = {cl.number - 1: cl.label.replace("; ", ", ") for cl in found}
    years = {n: _years(graph, n) for n in view}
    span = _span(years.values())
    positions = _positions(view, linked, papers_shown=center is not None)
    importance = _importance(view, options.size)
    fonts = _fonts(view, importance, options.labels)
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading=options.heading)
    tops = {kind: max((importance[n] for n in view if view.nodes[n]["kind"] == kind), default=1) or 1
            for kind in ("paper", "concept")}
    mode = "cluster" if options.color == "community" else options.color
    for node in sorted(view):
        data = dict(_node(graph, node))
        colours = {"type": data["color"], "cluster": cluster_colour(cluster.get(node)),
                   "year": year_colour(mean_year(years[node]), *span) if span else OTHER}
        if data["kind"] == "paper":
            colours["cluster"] = data["color"]
        net.add_node(node, **{**data, "color": colours[mode], "colors": colours,
                              "size": 6 + 34 * (importance[node] / tops[data["kind"]]) ** 0.5,
                              "font": {"size": fonts[node]}, "x": positions[node][0], "y": positions[node][1],
                              "hidden": data["kind"] == "paper" and center is None,
                              "years": sorted(years[node].items()), "cluster": cluster.get(node),
                              "community": cluster.get(node), **(FOCUSED if node == center else {})})
    drawn: set[frozenset[str]] = set()
    for key in DRAWN_LINKS:
        for u, v, data in edges(view, key):
            if (key != "cooccurs" or data["weight"] >= 3) and frozenset((u, v)) not in drawn:
                drawn.add(frozenset((u, v)))
                # Network.add_edge scans every node and edge per call (quadratic: 7 s for a
                # 1,500-node page); the first link between two nodes is drawn, as it would.
                net.edges.append(Edge(u, v, False, width=_width(key, data), dashes=key != "mentions",
                                      title=key).options)
    net.set_options(json.dumps(OPTIONS))
    legend = {"types": LEGEND, "clusters": _cluster_legend(view, cluster, names), "years": span, "colour": mode,
              "papers": center is not None}
    with atomic_write(dest) as f:
        f.write(_render(net, options.heading, center, legend))


def _cooccurrence(view: nx.MultiDiGraph) -> nx.Graph:
    """The concepts of the view, linked by the papers that mention both (weight), the same
    whether the model was built or read back from graph.ttl."""
    linked = nx.Graph()  # in IRI order: the seeded layout follows the order it is given
    linked.add_nodes_from(n for n, d in sorted(view.nodes(data=True)) if d["kind"] == "concept")
    linked.add_edges_from((a, b, {"weight": d["weight"]}) for a, b, d in edges(view, "cooccurs"))
    return linked


def _positions(view: nx.MultiDiGraph, linked: nx.Graph, papers_shown: bool) -> dict[str, tuple[int, int]]:
    """Where each node is drawn. The concept map lays out the concepts by co-occurrence and
    puts each (hidden) paper by its concepts; a focus page, papers shown, lays out all it draws."""
    if papers_shown:
        return layout(nx.Graph(view.to_undirected(as_view=True)))
    at = layout(linked)
    spread = random.Random(SEED)
    for node in sorted(n for n in view if n not in at):
        near = [at[c] for c in view.succ[node] if c in linked]
        x, y = (sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)) if near else (0, 0)
        at[node] = (round(x + spread.uniform(-40, 40)), round(y + spread.uniform(-40, 40)))
    return at


def _fonts(view: nx.MultiDiGraph, importance: dict[str, float], labels: int) -> dict[str, int]:
    """Label sizes in canvas units: the `labels` most important concepts from 40 down to 22,
    the other concepts from 18 down to 8, papers 8. The page hides a label drawn under 8
    pixels (drawThreshold), so the first view, which fits the layout's EXTENT, shows the
    first ones and zooming in shows the rest."""
    ranked = sorted((n for n in view if view.nodes[n]["kind"] == "concept"), key=lambda n: (-importance[n], n))
    fonts = dict.fromkeys(view, 8)
    rest = max(len(ranked) - labels, 1)
    for rank, node in enumerate(ranked):
        fonts[node] = round(40 - 18 * rank / labels) if rank < labels else round(18 - 10 * (rank - labels) / rest)
    return fonts


def _years(graph: nx.MultiDiGraph, node: str) -> dict[int, int]:
    """{year: papers} of a concept's papers, or of the paper itself; papers with no year left out."""
    if graph.nodes[node]["kind"] == "paper":
        year = graph.nodes[node].get("year")
        return {year: 1} if year else {}
    found: dict[int, int] = {}
    for paper, keys in graph.pred[node].items():
        if "mentions" in keys and (year := graph.nodes[paper].get("year")):
            found[year] = found.get(year, 0) + 1
    return found


def _span(years: Iterable[dict[int, int]]) -> tuple[int, int] | None:
    seen = [y for counts in years for y in counts]
    return (min(seen), max(seen)) if seen else None


def _cluster_legend(view: nx.MultiDiGraph, cluster: dict[str, int], names: dict[int, str]) -> list[dict]:
    """{number, colour, name} per coloured cluster, named as the build named it (its most
    distinctive concepts, `kg.linking.clusters`) or else by its three concepts with the most
    papers; the clusters past the palette are one grey "other" entry (number -1)."""
    members: dict[int, list[str]] = {}
    for node, number in cluster.items():
        members.setdefault(min(number, len(CLUSTER_COLOURS)), []).append(node)
    entries = []
    for number, nodes in sorted(members.items()):
        top = sorted(nodes, key=lambda n: (-view.nodes[n]["papers"], view.nodes[n]["label"]))[:3]
        name = names.get(number) or ", ".join(view.nodes[n]["label"] for n in top)
        other = number == len(CLUSTER_COLOURS)
        entries.append({"number": -1 if other else number, "colour": cluster_colour(None if other else number),
                        "name": f"other ({len(nodes)} concepts)" if other else name})
    return entries


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
    """What sizes a node and ranks its label: papers mentioning a concept (papers by their
    links), links, or PageRank."""
    if rule == "pagerank" and view.number_of_nodes():
        return nx.pagerank(nx.Graph(view.to_undirected(as_view=True)))
    if rule == "papers":
        return {n: float(d["papers"] if d["kind"] == "concept" else view.degree(n)) for n, d in view.nodes(data=True)}
    return {n: float(view.degree(n)) for n in view}


def _width(key: str, data: dict) -> float:
    if key == "mentions":
        return 1 + min(data["count"], 5) * 0.5
    if key == "cooccurs":
        return min(data["weight"], 10)
    return 2


def _render(net: Network, heading: str, focus: str | None, legend: dict) -> str:
    pyvis_templates = Path(str(resources.files("pyvis") / "templates"))
    ours = Path(str(resources.files("kg.exporters") / "templates"))
    env = Environment(loader=ChoiceLoader([FileSystemLoader(ours), FileSystemLoader(pyvis_templates)]), autoescape=True)
    nodes, edges_, _, _, _, options = net.get_network_data()
    return env.get_template("graph.html").render(nodes=nodes, edges=edges_, heading=heading, options=options,
                                                 legend=legend, focus=focus, other=OTHER)


def _node(graph: nx.MultiDiGraph, iri: str) -> dict:
    data = graph.nodes[iri]
    return _paper_node(graph, iri, data) if data["kind"] == "paper" else _concept_node(graph, iri, data)


def _paper_node(graph: nx.MultiDiGraph, iri: str, data: dict) -> dict:
    found = sorted(graph.nodes[c]["label"] for c, keys in graph.succ[iri].items() if "mentions" in keys)
    title = data["title"]
    return dict(label=title if len(title) <= 40 else title[:38] + "…", title=title, color=COLOURS["paper"],
                shape=SHAPES["paper"], kind="paper", group_type="paper", full_label=title,
                sections=[["Authors", [", ".join(_capped(data["authors"]))] if data.get("authors") else []],
                          ["Year", [str(data["year"])] if data.get("year") else []],
                          ["Venue", [data["venue"]] if data.get("venue") else []],
                          ["Links", _links(data)], ["Sources", data["sources"]],
                          ["Concepts", found], ["Abstract", [data["abstract"]] if data["abstract"] else []]])


def _links(data: dict) -> list[dict]:
    """{text, href} per identifier: resolver links the reader clicks (the page fetches none),
    the paper's and its authors' ORCIDs."""
    found = [{"text": f"{name} {data[key]}", "href": resolver.format(quote(str(data[key]), safe=_SAFE))}
             for key, name, resolver in RESOLVERS if data.get(key)]
    if data.get("url") and _WEB.match(data["url"]):
        found.append({"text": data["url"], "href": data["url"]})
    for name, ids in list(zip(data.get("authors") or (), data.get("author_ids") or ()))[:MAX_LISTED]:
        found.extend({"text": f"ORCID {name}", "href": person_id_url(i)} for i in ids if i.startswith("orcid:"))
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
                color=COLOURS[data["type"]], shape=SHAPES[data["type"]], kind="concept", group_type=data["type"],
                ctype=data["type"].replace("_", " "), full_label=data["label"],
                sections=[["Papers", titles], ["Evidence", sentences], ["Also called", data["alt_labels"]]])
