"""SHACL: the example build conforms to ontology/shapes.ttl, and the shapes do catch faults."""
from __future__ import annotations

import json

from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from conftest import write
from kg.api import build
from kg.cli import main
from kg.namespaces import KG
from kg.query.validate import validate


def test_example_build_has_zero_violations(example_build):
    result = CliRunner().invoke(main, ["validate", str(example_build.outputs["turtle"])])
    assert result.exit_code == 0 and result.output.strip() == "conforms: 0 violations"


def test_graph_with_citations_and_stubs_conforms(tmp_path):
    write(tmp_path / "p.jsonl", json.dumps({"title": "A", "abstract": "An LSTM.", "references": ["10.1/x", "Other"]}) + "\n")
    out = build([tmp_path / "p.jsonl"], tmp_path / "out")
    assert validate(Graph().parse(out.outputs["turtle"])) == []


def test_shapes_catch_broken_graphs(example_build):
    g = Graph().parse(example_build.outputs["turtle"])
    paper = next(g.subjects(DCTERMS.title, None))
    concept = next(g.subjects(SKOS.prefLabel, None))
    mention = next(g.subjects(KG.denotes, None))
    g.remove((paper, DCTERMS.title, None))
    g.add((concept, SKOS.prefLabel, Literal("a second label")))
    g.set((mention, KG.inPaper, URIRef("https://w3id.org/kg/paper/missing")))
    messages = {(v.focus, v.message) for v in validate(g)}
    assert (str(paper), "a paper read from the input has one title and a source file; only stubs (cited works) may lack them") in messages
    assert (str(concept), "a concept has exactly one preferred label") in messages
    assert (str(mention), "evidence points at exactly one existing paper") in messages


def test_validate_reports_violations_with_exit_status_1(tmp_path, example_build):
    g = Graph().parse(example_build.outputs["turtle"])
    g.remove((next(g.subjects(DCTERMS.title, None)), DCTERMS.title, None))
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1 and result.output.strip().endswith("Error: 1 SHACL violation(s)")
