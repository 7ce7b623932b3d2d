"""graph.html: self-contained (nothing loaded from elsewhere) and data shown as text."""
from __future__ import annotations

import json
import re

from conftest import write
from kg.api import build


def test_page_loads_nothing_from_elsewhere(example_build):
    html = example_build.outputs["html"].read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=""", html, re.I)
    assert "new vis.Network" in html and "vis-network" in html  # the library is inlined


def test_page_holds_papers_and_concepts(example_build):
    html = example_build.outputs["html"].read_text(encoding="utf-8")
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    kinds = {n["kind"] for n in nodes}
    assert kinds == {"paper", "concept"}
    assert sum(n["kind"] == "paper" for n in nodes) >= 400


def test_markup_in_titles_is_escaped(tmp_path):
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    write(tmp_path / "p.jsonl", json.dumps({"title": f"Evil {payload}", "abstract": f"An LSTM. {payload}"}) + "\n")
    result = build([tmp_path / "p.jsonl"], tmp_path / "out")
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert payload not in html
    assert "<script>alert(2)" not in html and "<img src=x" not in html
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    assert any(n.get("full_label") == f"Evil {payload}" for n in nodes)


def test_max_nodes_keeps_the_most_linked(example_build):
    from kg.exporters.html import HtmlOptions, select_view
    graph = example_build.graph
    view = select_view(graph, HtmlOptions(max_nodes=50))
    drawable = select_view(graph, HtmlOptions(max_nodes=10**6))  # papers and mentioned concepts
    assert view.number_of_nodes() == 50 and drawable.number_of_nodes() > 500
    cutoff = min(drawable.degree(n) for n in view)
    assert all(drawable.degree(n) <= cutoff for n in drawable if n not in view)


def test_community_colouring_and_pagerank_sizes(example_build, tmp_path):
    from kg.exporters.html import HtmlOptions, export_html
    dest = tmp_path / "c.html"
    export_html(example_build.graph, dest, HtmlOptions(max_nodes=300, color="community", size="pagerank"))
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", dest.read_text(), re.S).group(1))
    assert len({n["community"] for n in nodes}) > 3
    assert len({round(n["size"], 3) for n in nodes}) > 10
