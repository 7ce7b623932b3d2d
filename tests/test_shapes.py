"""SHACL: the example build conforms to ontology/shapes.ttl, and the shapes do catch faults."""
from __future__ import annotations

import json

import pytest
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


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_validate_reports_violations_with_exit_status_1(tmp_path, example_build, engine):
    g = Graph().parse(example_build.outputs["turtle"])
    paper = next(g.subjects(DCTERMS.title, None))
    g.remove((paper, DCTERMS.title, None))
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    result = CliRunner().invoke(main, ["validate", str(broken), "--engine", engine])
    assert result.exit_code == 1 and result.output.strip().endswith("Error: 1 SHACL violation(s)")
    assert result.output.startswith(f"{paper}  ")


def test_oxigraph_and_pyshacl_find_the_same_violations(example_build):
    """The shapes compiled to SPARQL (the default engine) against pySHACL, on the example graph
    broken once for every kind of constraint the shapes use."""
    from rdflib import BNode, RDF, XSD, Namespace
    from rdflib.collection import Collection
    from rdflib.namespace import SH
    from kg.query.shacl import compile_shapes
    from kg.resources import ontology_dir
    schema, rdf_ = Namespace("http://schema.org/"), RDF
    g = Graph().parse(example_build.outputs["turtle"])
    assert validate(g) == validate(g, engine="rdflib") == []
    papers = sorted(g.subjects(DCTERMS.title, None))
    concepts = sorted(g.subjects(SKOS.prefLabel, None))
    mentions = sorted(g.subjects(KG.denotes, None))
    statements = sorted(g.subjects(KG.confidence, None))
    g.remove((papers[0], DCTERMS.title, None))  # node-level sh:or
    g.add((concepts[0], SKOS.prefLabel, Literal("a second label")))  # maxCount
    g.set((mentions[0], KG.inPaper, URIRef("https://w3id.org/kg/paper/missing")))  # class
    g.set((mentions[1], KG.denotes, papers[1]))  # sh:or of classes
    g.set((mentions[2], KG.start, Literal(-3)))  # minInclusive
    g.set((mentions[3], KG.field, Literal("body")))  # sh:in
    g.set((mentions[4], KG.text, Literal("")))  # minLength
    g.remove((mentions[5], KG.rule, None))  # minCount
    g.set((statements[0], KG.confidence, Literal(1.5)))  # maxInclusive
    g.set((papers[2], KG.pmid, Literal("PMID 35100001")))  # pattern
    g.set((papers[3], DCTERMS.issued, Literal("2021")))  # datatype
    g.set((papers[4], URIRef("http://schema.org/url"), Literal("https://example.org")))  # nodeKind
    g.add((concepts[1], RDF.type, KG.Dataset))  # maxCount on rdf:type
    g.set((concepts[2], KG.conceptSource, Literal("elsewhere")))  # sh:in of literals
    cluster = URIRef("https://w3id.org/kg/cluster/empty")  # inversePath minCount, and counts
    g.add((cluster, RDF.type, KG.Cluster))
    g.add((cluster, KG.clusterNumber, Literal(0)))
    burst = URIRef("https://w3id.org/kg/burst/flat")  # minExclusive, missing values
    g.add((burst, RDF.type, KG.Burst))
    g.add((burst, KG.burstOf, concepts[3]))
    g.add((burst, KG.strength, Literal(0.0)))
    person = URIRef("https://w3id.org/kg/person/someone")  # identifier pattern
    g.add((person, RDF.type, schema.Person))
    g.add((person, schema.name, Literal("Some One")))
    g.add((person, schema.identifier, Literal("orcid:1234")))
    g.add((papers[5], DCTERMS.creator, URIRef("https://w3id.org/kg/person/nobody")))  # class, no Person
    fast, slow = validate(g), validate(g, engine="rdflib")
    assert len(fast) >= 20
    given = {str(m) for m in Graph().parse(ontology_dir() / "shapes.ttl").objects(None, SH.message)}
    shown = lambda found: sorted((v.focus, v.path, v.message if v.message in given else "") for v in found)  # noqa: E731
    assert shown(fast) == shown(slow)
    assert len(compile_shapes(Graph().parse(ontology_dir() / "shapes.ttl"))) > 100


def test_a_shape_outside_the_compiled_subset_is_checked_by_pyshacl(monkeypatch, tmp_path):
    from kg.query import validate as module
    from kg.resources import ontology_dir
    closed = """
<urn:x:OnlyTitles> a sh:NodeShape ; sh:targetClass kg:Paper ; sh:closed true ;
    sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path dcterms:title ] ."""
    write(tmp_path / "shapes.ttl", (ontology_dir() / "shapes.ttl").read_text() + closed)
    monkeypatch.setattr(module, "ontology_dir", lambda: tmp_path)
    g = Graph().parse(data="""@prefix kg: <https://w3id.org/kg/ontology#> .
        <urn:x:p> a kg:Paper ; <http://purl.org/dc/terms/title> "T" ; kg:sourceFile "a.bib" .""")
    found = validate(g)  # sh:closed is not compiled: pySHACL answers, and catches kg:sourceFile
    assert [(v.focus, v.path) for v in found] == [("urn:x:p", str(KG.sourceFile))]
