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


def _nodes(path):
    return json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", path.read_text(encoding="utf-8"), re.S).group(1))


def test_first_view_is_a_concept_map_laid_out_before_it_opens(example_build):
    html = example_build.outputs["html"].read_text(encoding="utf-8")
    nodes = _nodes(example_build.outputs["html"])
    assert all(n["hidden"] == (n["kind"] == "paper") for n in nodes)  # papers behind their switch
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert '"physics": {"enabled": false}' in html
    concepts = sorted((n for n in nodes if n["kind"] == "concept"), key=lambda n: -n["font"]["size"])
    assert concepts[0]["font"]["size"] == 40 and concepts[-1]["font"]["size"] == 8
    assert len({n["cluster"] for n in concepts}) > 5


def test_the_map_is_the_same_on_every_export(example_build, tmp_path):
    from kg.exporters.html import export_html
    export_html(example_build.graph, tmp_path / "a.html")
    export_html(example_build.graph, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_year_colours_and_range_come_from_the_papers(tmp_path):
    rows = [(2001, "An LSTM model of fMRI signals."), (2010, "A transformer reads fMRI scans.")]
    write(tmp_path / "p.jsonl", "\n".join(json.dumps({"title": f"P{y}", "abstract": t, "year": y}) for y, t in rows))
    result = build([tmp_path / "p.jsonl"], tmp_path / "out", model=False)
    by_label = {n["label"]: n for n in _nodes(result.outputs["html"]) if n["kind"] == "concept"}
    assert by_label["fMRI"]["years"] == [[2001, 1], [2010, 1]]
    assert by_label["long short-term memory"]["colors"]["year"] == "#3b4cc0"  # the ramp's oldest end
    assert by_label["transformer"]["colors"]["year"] == "#fdd835"  # and its newest
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert 'id="year-from" type="range" min="2001" max="2010"' in html


def test_the_map_read_back_from_graph_ttl_is_the_built_one(example_build, tmp_path):
    """Clusters and positions follow IRIs, not the order the model's nodes were added in."""
    from kg.api import html as html_from_ttl
    from kg.exporters.html import export_html
    export_html(example_build.graph, tmp_path / "built.html")
    html_from_ttl(example_build.outputs["turtle"], tmp_path / "read.html")
    built, read = ({n["id"]: (n["x"], n["y"], n["cluster"]) for n in _nodes(tmp_path / name) if n["kind"] == "concept"}
                   for name in ("built.html", "read.html"))
    assert built == read
