"""graph.ttl: parses back, holds the 505 example papers, round-trips, and is deterministic."""
from __future__ import annotations

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from kg.exporters.turtle import export_turtle, to_rdf
from kg.namespaces import KG


def test_example_graph_parses_with_505_papers(example_build):
    g = Graph().parse(example_build.outputs["turtle"], format="turtle")
    assert len(set(g.subjects(RDF.type, KG.Paper))) == 505


def test_turtle_round_trip_is_isomorphic(example_build):
    parsed = Graph().parse(example_build.outputs["turtle"], format="turtle")
    assert isomorphic(parsed, to_rdf(example_build.graph))


def test_turtle_is_byte_identical_across_runs(example_build, tmp_path):
    export_turtle(example_build.graph, tmp_path / "again.ttl")
    assert (tmp_path / "again.ttl").read_bytes() == example_build.outputs["turtle"].read_bytes()


def test_every_mention_points_at_a_paper_and_a_concept(example_build):
    g = Graph().parse(example_build.outputs["turtle"], format="turtle")
    papers = set(g.subjects(RDF.type, KG.Paper))
    mentions = list(g.subjects(RDF.type, KG.Mention))
    assert mentions
    for m in mentions[:500]:
        assert g.value(m, KG.inPaper) in papers
        assert g.value(g.value(m, KG.denotes), RDF.type) in {KG.Method, KG.Dataset, KG.Modality, KG.BrainRegion}
        assert g.value(m, KG.rule) is not None and g.value(m, KG.sentence) is not None


def test_emitted_terms_are_declared_in_the_ontology(example_build):
    from kg.resources import ontology_dir
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    declared = set(ontology.subjects())
    g = to_rdf(example_build.graph)
    used = {p for p in g.predicates() if str(p).startswith(str(KG))}
    used |= {o for o in g.objects(None, RDF.type) if str(o).startswith(str(KG))}
    assert used and used <= declared


def test_every_ontology_term_has_a_label_and_a_comment():
    from rdflib import OWL, RDFS
    from kg.resources import ontology_dir
    onto = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    terms = {s for k in kinds for s in onto.subjects(RDF.type, k)}
    assert len(terms) > 60
    missing = sorted(str(t) for t in terms if onto.value(t, RDFS.label) is None or onto.value(t, RDFS.comment) is None)
    assert missing == []
    assert onto.value(URIRef("https://w3id.org/kg/ontology"), OWL.versionIRI) is not None


def test_large_graphs_stream_line_per_triple_turtle(example_build, tmp_path, monkeypatch):
    """Past PRETTY_MAX_PAPERS the Turtle is the N-Triples lines under prefixes: same graph."""
    import kg.exporters.turtle as turtle
    monkeypatch.setattr(turtle, "PRETTY_MAX_PAPERS", 10)
    export_turtle(example_build.graph, tmp_path / "large.ttl")
    text = (tmp_path / "large.ttl").read_text(encoding="utf-8")
    assert text.startswith("@prefix kg: <https://w3id.org/kg/ontology#> .\n")
    assert isomorphic(Graph().parse(tmp_path / "large.ttl", format="turtle"), to_rdf(example_build.graph))


def test_write_lines_writes_every_line_in_order_and_nothing_on_failure(tmp_path):
    """The threaded writer: chunks join back in order; a failing producer leaves no file."""
    from kg.exporters import LINES_PER_WRITE, write_lines

    lines = [f"line {i} é\n" for i in range(3 * LINES_PER_WRITE + 7)]
    write_lines(tmp_path / "out.txt", iter(lines))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "".join(lines)

    def broken():
        yield from lines[:LINES_PER_WRITE + 1]
        raise ValueError("producer failed")

    with pytest.raises(ValueError, match="producer failed"):
        write_lines(tmp_path / "broken.txt", broken())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no partial or temporary file
