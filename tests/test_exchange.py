"""Files for Gephi, Cytoscape, VOSviewer and spreadsheets, each read back with a real reader.

GraphML and GEXF by NetworkX, CSV and the VOSviewer tab-separated files by the csv module,
the JSON files by json and a JSON Schema. Neither Cytoscape.js nor VOSviewer publishes a
JSON Schema, so the two here transcribe the documented shapes
(https://js.cytoscape.org/#notation/elements-json,
https://app.vosviewer.com/docs/file-types/json-file-type/). One build of
tests/data/formats (11 papers with years, citations, 5 cited works outside the corpus),
rules only, from the CLI.
"""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import DATA
from kg.cli import main
from kg.exporters.exchange import export_csv_nodes, plain
from kg.exporters.vosviewer import export_map
from kg.graph import concepts, edges
from kg.graph.from_rdf import read_graph
from kg.model import Mention

FORMATS = ["graphml", "gexf", "cytoscape", "csv", "vosviewer"]
MAP_HEADER = ["id", "label", "description", "url", "x", "y", "cluster", "weight<Occurrences>", "weight<Links>",
              "weight<Total link strength>", "score<Avg. pub. year>"]
AWKWARD = 'tab\there "quoted", semi; line\nbreak\r\n– 海马 é'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, nx.MultiDiGraph]:
    """The output directory of `kg build ... --format ...`, and the model it wrote (read back
    from graph.ttl, which holds everything these formats do)."""
    out = tmp_path_factory.mktemp("exchange")
    result = run("build", DATA / "formats", "-o", out, "--no-model", "--no-cache",
                 *(a for f in FORMATS for a in ("--format", f)))
    assert result.exit_code == 0, result.output
    return out, read_graph(out / "graph.ttl")


def edge_keys(graph: nx.MultiDiGraph) -> Counter:
    return Counter((u, v, d["kind"]) for u, v, d in graph.edges(data=True))


def test_build_writes_every_format_and_graph_ttl(built):
    out, _ = built
    assert {p.name for p in out.iterdir()} >= {
        "graph.ttl", "graph.graphml", "graph.gexf", "graph.cyjs", "nodes.csv", "edges.csv",
        "vosviewer_map.txt", "vosviewer_network.txt", "vosviewer.json"}


@pytest.mark.parametrize("name, read", [("graph.graphml", nx.read_graphml), ("graph.gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_with_nodes_edges_and_attributes(built, name, read):
    out, model = built
    back = read(out / name)
    assert set(back) == set(model) and edge_keys(back) == edge_keys(model)
    assert {"cites", "cooccurs", "mentions", "broader", "appliedTo"} <= {k for *_, k in edge_keys(back)}
    for node, data in model.nodes(data=True):
        got = back.nodes[node]
        assert got["kind"] == data["kind"]
        if data["kind"] == "paper" and not data.get("stub"):
            assert got["label"] == got["title"] == data["title"]
            assert got.get("year") == data["year"] and (data["year"] is None or isinstance(got["year"], int))
            assert got["authors"] == "; ".join(data["authors"])
        if data["kind"] == "concept":
            assert (got["label"], got["type"], got["papers"]) == (data["label"], data["type"], data["papers"])
    weights = {(u, v): d["weight"] for u, v, d in back.edges(data=True) if d["kind"] == "cooccurs"}
    assert weights == {(u, v): d["weight"] for u, v, d in edges(model, "cooccurs")}
    assert sum(1 for *_, d in back.edges(data=True) if d["kind"] == "mentions" and d["count"] >= 1) == \
        sum(1 for _ in edges(model, "mentions"))


def test_csv_tables_read_back(built):
    out, model = built
    with open(out / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = {row["id"]: row for row in csv.DictReader(f)}
    with open(out / "edges.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert set(nodes) == set(model)
    assert Counter((r["source"], r["target"], r["kind"]) for r in rows) == edge_keys(model)
    for node, data in model.nodes(data=True):
        assert nodes[node]["kind"] == data["kind"]
        if data.get("year") is not None:
            assert int(nodes[node]["year"]) == data["year"]
    weights = {(r["source"], r["target"]): int(r["weight"]) for r in rows if r["kind"] == "cooccurs"}
    assert weights == {(u, v): d["weight"] for u, v, d in edges(model, "cooccurs")}


def read_map(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as f:
        header, *rows = csv.reader(f, delimiter="\t")
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def mentioned_years(model: nx.MultiDiGraph) -> dict[str, list[int]]:
    years = defaultdict(list)
    for paper, concept, _ in edges(model, "mentions"):
        if model.nodes[paper]["year"] is not None:
            years[concept].append(model.nodes[paper]["year"])
    return years


def test_vosviewer_map_and_network_read_back(built):
    out, model = built
    header, items = read_map(out / "vosviewer_map.txt")
    assert header == MAP_HEADER
    mentioned = {iri: d for iri, d in concepts(model) if d["papers"] > 0}
    assert [row["url"] for row in items] == sorted(mentioned) and [row["id"] for row in items] == \
        [str(i) for i in range(1, len(mentioned) + 1)]
    years = mentioned_years(model)
    for row in items:
        concept = mentioned[row["url"]]
        assert (row["label"], row["description"]) == (concept["label"], concept["type"])
        assert int(row["weight<Occurrences>"]) == concept["papers"]
        assert 1 <= int(row["cluster"]) <= 1000 and -1 <= float(row["x"]) <= 1
        if years[row["url"]]:
            assert float(row["score<Avg. pub. year>"]) == pytest.approx(sum(years[row["url"]]) / len(years[row["url"]]), abs=0.005)
        else:
            assert row["score<Avg. pub. year>"] == ""
    ids = {row["url"]: int(row["id"]) for row in items}
    with open(out / "vosviewer_network.txt", newline="", encoding="utf-8") as f:
        links = {(int(a), int(b)): int(s) for a, b, s in csv.reader(f, delimiter="\t")}
    assert links == {(ids[u], ids[v]): d["weight"] for u, v, d in edges(model, "cooccurs")}
    strength = Counter()
    for (a, b), s in links.items():
        strength[a] += s
        strength[b] += s
    assert all(int(row["weight<Total link strength>"]) == strength[int(row["id"])] for row in items)


VOSVIEWER_SCHEMA = {  # the tables of https://app.vosviewer.com/docs/file-types/json-file-type/
    "type": "object", "required": ["network"],
    "properties": {"network": {
        "type": "object", "required": ["items", "links"],
        "properties": {
            "items": {"type": "array", "items": {
                "type": "object", "required": ["id", "label"], "additionalProperties": False,
                "properties": {
                    "id": {"type": ["string", "integer"]}, "label": {"type": "string"},
                    "description": {"type": "string"}, "url": {"type": "string"},
                    "x": {"type": "number"}, "y": {"type": "number"},
                    "cluster": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
                    "scores": {"type": "object", "additionalProperties": {"type": "number"}}}}},
            "links": {"type": "array", "items": {
                "type": "object", "required": ["source_id", "target_id"], "additionalProperties": False,
                "properties": {"source_id": {"type": ["string", "integer"]}, "target_id": {"type": ["string", "integer"]},
                               "strength": {"type": "number", "minimum": 0}}}}}}},
}


def test_vosviewer_json_has_the_documented_shape_and_the_map_files_numbers(built):
    out, _ = built
    data = json.loads((out / "vosviewer.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, VOSVIEWER_SCHEMA)
    _, rows = read_map(out / "vosviewer_map.txt")
    for item, row in zip(data["network"]["items"], rows, strict=True):
        assert (str(item["id"]), item["label"], str(item["cluster"])) == (row["id"], row["label"], row["cluster"])
        assert item["weights"]["Occurrences"] == int(row["weight<Occurrences>"])
        assert str(item["scores"].get("Avg. pub. year", "")) == row["score<Avg. pub. year>"]
    assert any(item["scores"] for item in data["network"]["items"])
    with open(out / "vosviewer_network.txt", newline="", encoding="utf-8") as f:
        links = [[int(a), int(b), int(s)] for a, b, s in csv.reader(f, delimiter="\t")]
    assert [[k["source_id"], k["target_id"], k["strength"]] for k in data["network"]["links"]] == links


ELEMENT = {"type": "object", "required": ["data"],
           "properties": {"data": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}
CYTOSCAPE_SCHEMA = {  # the elements JSON of https://js.cytoscape.org/#notation/elements-json
    "type": "object", "required": ["elements"],
    "properties": {"elements": {
        "type": "object", "required": ["nodes", "edges"],
        "properties": {"nodes": {"type": "array", "items": ELEMENT},
                       "edges": {"type": "array", "items": {"allOf": [ELEMENT, {"properties": {"data": {
                           "required": ["source", "target"],
                           "properties": {"source": {"type": "string"}, "target": {"type": "string"}}}}}]}}}}},
}


def test_cytoscape_json_has_the_documented_shape_and_the_whole_graph(built):
    out, model = built
    data = json.loads((out / "graph.cyjs").read_text(encoding="utf-8"))
    jsonschema.validate(data, CYTOSCAPE_SCHEMA)
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    found = [e["data"] for e in data["elements"]["edges"]]
    assert set(nodes) == set(model) and len(nodes) == len(data["elements"]["nodes"])
    assert len({e["id"] for e in found}) == len(found) and not {e["id"] for e in found} & set(nodes)
    assert Counter((e["source"], e["target"], e["kind"]) for e in found) == edge_keys(model)
    for node, d in model.nodes(data=True):
        if d["kind"] == "paper" and not d.get("stub"):
            assert nodes[node]["authors"] == d["authors"] and nodes[node].get("year") == d["year"]


def test_awkward_labels_keep_each_row_on_one_line(built, tmp_path):
    _, model = built
    graph = model.copy()
    concept = next(iri for iri, d in concepts(graph) if d["papers"] > 0)
    paper = next(n for n, d in graph.nodes(data=True) if d["kind"] == "paper" and not d.get("stub"))
    graph.nodes[concept]["label"] = graph.nodes[paper]["title"] = AWKWARD
    export_map(graph, tmp_path / "map.txt")
    export_csv_nodes(graph, tmp_path / "nodes.csv")
    _, rows = read_map(tmp_path / "map.txt")
    assert len(rows) == sum(1 for _, d in concepts(graph) if d["papers"] > 0)
    assert rows[[r["url"] for r in rows].index(concept)]["label"] == 'tab here "quoted", semi; line break  – 海马 é'
    with open(tmp_path / "nodes.csv", newline="", encoding="utf-8") as f:
        table = {row["id"]: row for row in csv.DictReader(f)}
    assert table[concept]["label"] == table[paper]["label"] == table[paper]["title"] == AWKWARD
    assert len(table) == graph.number_of_nodes()


def test_export_from_graph_ttl_writes_what_the_build_wrote(built, tmp_path):
    out, _ = built
    result = run("export", out / "graph.ttl", "--to", "vosviewer", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"wrote {tmp_path / n}" for n in
                                          ("vosviewer_map.txt", "vosviewer_network.txt", "vosviewer.json")]
    for name in ("vosviewer_map.txt", "vosviewer_network.txt", "vosviewer.json"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    result = run("export", out / "graph.ttl", "--to", "graphml", "-o", tmp_path / "g.graphml")
    assert result.exit_code == 0 and result.output == f"wrote {tmp_path / 'g.graphml'}\n"
    again, first = nx.read_graphml(tmp_path / "g.graphml"), nx.read_graphml(out / "graph.graphml")
    assert set(again) == set(first) and edge_keys(again) == edge_keys(first)


@pytest.mark.parametrize("args, message", [
    (["build", DATA / "page.txt", "--format", "grapml"],
     "Error: unknown format 'grapml': did you mean graphml? formats: turtle, nt, jsonld, trig, jsonl, html, report, "
     "graphml, gexf, cytoscape, csv-nodes, csv-edges, vosviewer-map, vosviewer-network, vosviewer-json, ttl, "
     "json-ld, cyjs, csv, vosviewer"),
    (["export", DATA / "page.txt", "--to", "turtle"],
     "Error: kg export writes graphml, gexf, cytoscape, csv-nodes, csv-edges, vosviewer-map, vosviewer-network, "
     "vosviewer-json, csv and vosviewer, not turtle (kg build writes it)"),
], ids=["build-unknown", "export-not-exchange"])
def test_a_bad_format_name_is_one_line_and_status_2(tmp_path, args, message):
    result = run(*args, *(["-o", tmp_path / "out"] if args[0] == "build" else []))
    assert (result.exit_code, result.output.strip()) == (2, message)
    assert not (tmp_path / "out").exists()


def test_plain_attributes_join_string_lists_and_drop_evidence():
    mention = Mention("fMRI", "abstract", 0, 4, "We use fMRI.", "vocab")
    assert plain({"kind": "mentions", "count": 1, "mentions": [mention], "proposed": False, "doi": None,
                  "authors": ["Ada Lovelace", "Alan Turing"], "evidence": [{"paper": "p"}], "broader": []}) == \
        {"kind": "mentions", "count": 1, "proposed": False, "authors": "Ada Lovelace; Alan Turing", "broader": ""}
    assert plain({"authors": ["A", "B"]}, join=False) == {"authors": ["A", "B"]}
