"""Every RDF syntax: parses back isomorphic to the graph model's triples, byte-identical
across runs, and TriG carries the build metadata in the default graph."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from conftest import CORPUS
from kg.api import build
from kg.exporters.turtle import to_rdf
from kg.namespaces import KG

FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = [build([CORPUS], tmp_path_factory.mktemp(f"run{i}"), rdf_formats=["turtle", "nt", "jsonld", "trig"])
           for i in range(2)]
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_is_isomorphic(builds, fmt):
    parsed = Graph().parse(builds[0].outputs[fmt], format=FORMATS[fmt])
    assert isomorphic(parsed, to_rdf(builds[0].graph))


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig"])
def test_output_is_byte_identical_across_runs(builds, fmt):
    assert builds[0].outputs[fmt].read_bytes() == builds[1].outputs[fmt].read_bytes()


def test_trig_names_the_build_graph_and_describes_it(builds):
    ds = Dataset()
    ds.parse(builds[0].outputs["trig"], format="trig")
    [build_iri] = ds.default_graph.subjects(RDF.type, KG.Build)
    named = ds.graph(build_iri)
    assert isomorphic(Graph() + named, to_rdf(builds[0].graph))
    meta = ds.default_graph
    assert (build_iri, RDF.type, PROV.Activity) in meta
    assert meta.value(build_iri, PROV.endedAtTime).toPython() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    hashes = {str(meta.value(u, KG.sha256)) for u in meta.objects(build_iri, PROV.used)}
    assert len(hashes) == 5 and all(len(h) == 64 for h in hashes)
    counts = {str(meta.value(c, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): int(meta.value(c, RDF.value))
              for c in meta.objects(build_iri, KG.hasCount)}
    assert counts["papers"] == 505 and counts["records"] == 631
