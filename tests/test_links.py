"""Links past mentions: citations, work mentions, code, associations, relations, gaps."""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from rdflib import RDF, URIRef

from conftest import write
from kg.api import build, build_model
from kg.cli import main
from kg.exporters.turtle import CITO, to_rdf
from kg.linking.relations import lift, npmi
from kg.namespaces import KG


def papers_file(tmp_path, records):
    return write(tmp_path / "papers.jsonl", "".join(json.dumps(r) + "\n" for r in records))


def by_title(graph):
    return {d["title"]: n for n, d in graph.nodes(data=True) if d["kind"] == "paper" and d["title"]}


@pytest.fixture()
def cited(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [
        {"title": "Paper A", "abstract": "An LSTM.", "doi": "10.1000/a",
         "references": ["https://doi.org/10.1000/B", "arXiv:2101.00001", "10.9999/unknown", "An Unknown Title", "Paper A"]},
        {"title": "Paper B", "abstract": "EEG.", "doi": "10.1000/b", "references": "Paper A; 10.1000/b"},
        {"title": "Paper C", "abstract": "MNIST.", "arxiv": "2101.00001v3"},
    ])
    graph, _ = build_model([path], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    return graph


def test_references_give_exactly_the_expected_citations(cited):
    g = to_rdf(cited)
    titles = {s: str(o) for s, o in g.subject_objects(URIRef("http://purl.org/dc/terms/title"))}
    idents = {s: str(o) for s, o in g.subject_objects(URIRef("http://purl.org/dc/terms/identifier"))}
    cites = sorted((titles[a], titles.get(b) or idents[b]) for a, b in g.subject_objects(CITO.cites))
    assert cites == [("Paper A", "10.9999/unknown"), ("Paper A", "An Unknown Title"),
                     ("Paper A", "Paper B"), ("Paper A", "Paper C"), ("Paper B", "Paper A")]
    stubs = set(g.subjects(KG.stub, None))
    assert {titles.get(s) or idents[s] for s in stubs} == {"10.9999/unknown", "An Unknown Title"}


def test_citation_statement_keeps_the_reference_as_given(cited):
    g = to_rdf(cited)
    refs = {str(o) for st in g.subjects(RDF.predicate, CITO.cites) for o in g.objects(st, KG.referenceText)}
    assert {"https://doi.org/10.1000/B", "arXiv:2101.00001", "Paper A"} <= refs


def test_a_paper_naming_anothers_method_gets_a_work_mention(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [
        {"title": "FooNet: Fast Networks", "abstract": "We propose FooNet, a fast network."},
        {"title": "A Comparison", "abstract": "Many models exist. We compare against FooNet on MNIST."},
    ])
    graph, _ = build_model([path], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    t = by_title(graph)
    edge = graph.edges[t["A Comparison"], t["FooNet: Fast Networks"], "mentionsWorkOf"]
    [m] = edge["mentions"]
    assert (m.text, m.field, m.sentence, m.rule) == ("FooNet", "abstract", "We compare against FooNet on MNIST.", "corpus-name")
    assert "Many models exist. We compare against FooNet on MNIST."[m.start:m.end] == "FooNet"
    assert not graph.has_edge(t["A Comparison"], t["FooNet: Fast Networks"], key="cites")
    g = to_rdf(graph)
    [st] = g.subjects(RDF.predicate, KG.mentionsWorkOf)
    assert {str(g.value(e, KG.sentence)) for e in g.objects(st, KG.evidence)} == {"We compare against FooNet on MNIST."}


def test_npmi_and_lift_match_a_hand_computation(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [
        {"title": "One", "abstract": "An LSTM on MNIST."},
        {"title": "Two", "abstract": "An LSTM on MNIST again."},
        {"title": "Three", "abstract": "An LSTM on EEG."},
        {"title": "Four", "abstract": "EEG alone."},
    ])
    graph, _ = build_model([path], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    lstm, mnist = "https://w3id.org/kg/concept/method/test-lstm", "https://w3id.org/kg/concept/dataset/test-mnist"
    a, b = sorted((lstm, mnist))
    edge = graph.edges[a, b, "cooccurs"]
    # N = 4 papers, LSTM in 3, MNIST in 2, both in 2: PMI = ln(0.5 / (0.75 * 0.5)), NPMI = PMI / -ln(0.5)
    assert edge["npmi"] == pytest.approx(math.log(0.5 / 0.375) / -math.log(0.5), abs=1e-4) == pytest.approx(0.415, abs=1e-3)
    assert edge["lift"] == pytest.approx(4 / 3, abs=1e-4)
    assert npmi(1, 1, 1, 1) == 1.0 and npmi(0, 1, 1, 4) == -1.0 and lift(2, 2, 2, 4) == 2.0


def test_typed_relation_keeps_its_sentence(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [{"title": "T", "abstract": "Intro. We evaluate the LSTM on MNIST. More."}])
    graph, _ = build_model([path], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    edge = graph.edges["https://w3id.org/kg/concept/method/test-lstm", "https://w3id.org/kg/concept/dataset/test-mnist", "evaluatedOn"]
    [ev] = edge["evidence"]
    assert ev["sentence"] == "We evaluate the LSTM on MNIST." and ev["field"] == "abstract"
    assert "Intro. We evaluate the LSTM on MNIST. More."[ev["start"]:ev["end"]] == ev["sentence"]


def test_code_links_become_repository_nodes(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [{"title": "T", "abstract": "Code: https://github.com/Org/Repo.git. Done."}])
    graph, _ = build_model([path], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    assert graph.nodes["https://github.com/Org/Repo"]["kind"] == "repository"
    assert any(k == "codeRepository" for _, _, k in graph.in_edges("https://github.com/Org/Repo", keys=True))


def test_similar_papers_share_concepts(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [
        {"title": "One", "abstract": "An LSTM on MNIST with the hippocampus."},
        {"title": "Two", "abstract": "An LSTM on MNIST with the hippocampus."},
        {"title": "Three", "abstract": "EEG."},
        {"title": "Four", "abstract": "Mixture of experts."},
    ])
    graph, _ = build_model([path], vocab=[tiny_vocab], builtin_vocab=False, model=False)
    t = by_title(graph)
    a, b = sorted((t["One"], t["Two"]))
    assert graph.edges[a, b, "similarTo"]["weight"] == pytest.approx(1.0)
    assert sum(1 for _, _, k in graph.edges(keys=True) if k == "similarTo") == 1


def test_gaps_ranks_untried_pairs(tmp_path, tiny_vocab):
    path = papers_file(tmp_path, [{"title": f"P{i}", "abstract": text} for i, text in enumerate([
        "An LSTM on EEG.", "An LSTM on EEG.", "An LSTM on EEG.", "An LSTM.",
        "Mixture of experts on MNIST.", "Mixture of experts on MNIST.", "Mixture of experts on MNIST.", "EEG."])])
    out = build([path], tmp_path / "out", vocab=[tiny_vocab], builtin_vocab=False, model=False)
    result = CliRunner().invoke(main, ["gaps", str(out.outputs["turtle"]), "--rows", "method", "--cols", "modality",
                                       "--format", "json"])
    rows = json.loads(result.output)
    assert rows[0] == {"method": "mixture of experts", "modality": "EEG", "method papers": "3", "modality papers": "4",
                       "observed": "0", "expected": "1.50", "p": "0.071"}  # C(5,4) / C(8,4) = 5/70


def test_build_summary_counts_every_link_kind(example_build):
    counts = example_build.counts()
    for name in ("paper-concept", "co-occurrence", "citation", "work-mention", "code", "similar-paper",
                 "evaluated-on", "applied-to", "recorded-from"):
        assert name in counts
    assert counts["work-mention"] >= 1 and counts["code"] >= 1 and counts["evaluated-on"] >= 1
    assert "links:" in example_build.summary()
