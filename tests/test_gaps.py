"""`kg gaps` on a hand-made graph whose counts, expectations and p values are worked by hand.

Ten papers (P1..P10); methods A in P1-P5, B in P1-P3, C in P9-P10; regions X in P4-P8,
Y in P1-P3; P11 is a stub (a cited work) and does not count. Expected = n_a * n_b / 10;
p = hypergeometric P(observed or fewer) = sum over i <= observed of
C(n_a, i) C(10 - n_a, n_b - i) / C(10, n_b):

pair   observed  expected  p
B x X  0         1.5       C(3,0) C(7,5) / C(10,5) = 21/252
A x X  2         2.5       (1 + 25 + 100) / 252 = 1/2      (C(5,i)^2 / 252, i = 0..2)
A x Y  3         1.5       1 (every outcome)
C x X  0         1.0       below 1.5: not ranked by default (p = 56/252)
C x Y  0         0.6       below 1.5: not ranked by default (p = 56/120)
B x Y  3         0.9       below 1.5: not ranked by default
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.cli import main
from kg.namespaces import KG
from kg.query.gaps import find_gaps

MEMBERS = {("A", KG.Method, KG.usesMethod): range(1, 6), ("B", KG.Method, KG.usesMethod): range(1, 4),
           ("C", KG.Method, KG.usesMethod): range(9, 11),
           ("X", KG.BrainRegion, KG.studiesRegion): range(4, 9), ("Y", KG.BrainRegion, KG.studiesRegion): range(1, 4)}


def paper(i: int) -> URIRef:
    return URIRef(f"https://example.org/paper/P{i}")


@pytest.fixture()
def graph() -> Graph:
    g = Graph()
    for i in range(1, 12):
        g.add((paper(i), RDF.type, KG.Paper))
    g.add((paper(11), KG.stub, Literal(True)))
    for (label, ctype, relation), papers in MEMBERS.items():
        concept = URIRef(f"https://example.org/concept/{label}")
        g.add((concept, RDF.type, ctype))
        g.add((concept, SKOS.prefLabel, Literal(label)))
        for i in papers:
            g.add((paper(i), relation, concept))
    return g


def test_gaps_rank_only_pairs_expected_in_1_5_papers_or_more(graph):
    found = find_gaps(graph, "method", "brain_region", min_papers=2)
    assert [(g.row, g.col, g.observed, g.expected) for g in found] == [
        ("B", "X", 0, 1.5), ("A", "X", 2, 2.5), ("A", "Y", 3, 1.5)]
    assert [g.p for g in found] == pytest.approx([21 / 252, 1 / 2, 1])


def test_min_expected_zero_ranks_every_pair(graph):
    found = find_gaps(graph, "method", "brain_region", min_papers=2, min_expected=0)
    assert [(g.row, g.col, g.expected) for g in found] == [
        ("B", "X", 1.5), ("C", "X", 1.0), ("C", "Y", 0.6), ("A", "X", 2.5), ("A", "Y", 1.5), ("B", "Y", 0.9)]
    # C x X: C(2,0) C(8,5) / C(10,5) = 56/252; C x Y: C(2,0) C(8,3) / C(10,3) = 56/120
    assert [g.p for g in found[1:3]] == pytest.approx([56 / 252, 56 / 120])


def test_kg_gaps_prints_p_and_takes_min_expected(graph, tmp_path):
    path = tmp_path / "g.ttl"
    graph.serialize(path, format="turtle")
    result = CliRunner().invoke(main, ["gaps", str(path), "--min-papers", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0] == {"method": "B", "brain_region": "X", "method papers": "3",
                                            "brain_region papers": "5", "observed": "0", "expected": "1.50",
                                            "p": "0.083"}
    result = CliRunner().invoke(main, ["gaps", str(path), "--min-papers", "2", "--min-expected", "2",
                                       "--format", "json"])
    assert [(r["method"], r["brain_region"]) for r in json.loads(result.output)] == [("A", "X")]
