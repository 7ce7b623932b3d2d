"""Every example query runs on the example corpus and answers what it says it answers."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from kg.graph import edges
from kg.query import load_graph, run_query

QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def rdf(example_build):
    return load_graph(example_build.outputs["turtle"])


def answer(rdf, name: str):
    return run_query(rdf, (ROOT / "examples" / "queries" / f"{name}.rq").read_text())


def test_there_are_at_least_five_queries_each_with_a_comment():
    assert len(QUERIES) >= 5
    for q in QUERIES:
        assert q.read_text().startswith("# "), q.name


# The example pages have no reference lists and no authors: these run on richer inputs in
# test_links.py and test_metadata.py.
NEEDS_METADATA = {"citations.rq", "paper-authors.rq", "coauthors.rq"}  # coauthors: tests/test_coauthors.py


@pytest.mark.parametrize("query", [q for q in QUERIES if q.name not in NEEDS_METADATA], ids=lambda p: Path(p).stem)
def test_every_example_query_returns_rows(rdf, query):
    columns, rows = run_query(rdf, query.read_text())
    assert columns and rows, query.name


def test_datasets_per_method_counts_papers(rdf):
    columns, rows = answer(rdf, "datasets-per-method")
    assert columns == ["method", "dataset", "papers"]
    counts = [int(r[2]) for r in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert {r[0] for r in rows} == {"transformer"} and ["transformer", "CIFAR-10", "3"] in rows


def test_papers_per_brain_region_counts_distinct_papers(rdf):
    _, rows = answer(rdf, "papers-per-brain-region")
    regions = {r[0]: int(r[1]) for r in rows}
    assert regions["hippocampus"] == 2  # the two distinct papers whose text says "hippocampus"
    assert regions["cortex"] >= 5 and max(regions.values()) == regions[rows[0][0]]


def test_modalities_per_region_are_recordings_not_the_images_shown(rdf):
    _, rows = answer(rdf, "modalities-per-region")
    pairs = {(r[0], r[1]) for r in rows}
    assert ("visual cortex", "fMRI") in pairs and ("visual cortex", "image") not in pairs
    assert all(0.5 <= float(r[3]) <= 1 for r in rows)


def test_most_connected_concepts_are_ranked(rdf):
    _, rows = answer(rdf, "most-connected-concepts")
    assert len(rows) == 20 and int(rows[0][3]) >= int(rows[-1][3])
    assert rows[0][1] in {"Method", "Dataset", "Modality", "BrainRegion"}


def test_papers_sharing_methods_count_rare_shared_methods(rdf, example_build):
    """Each pair's count is the methods (used by at most 10 papers) both papers mention."""
    _, rows = answer(rdf, "papers-sharing-methods")
    g = example_build.graph
    by_title = {d["title"]: n for n, d in g.nodes(data=True) if d["kind"] == "paper"}

    def rare_methods(title):
        return {c for _, c, k in g.out_edges(by_title[title], keys=True)
                if k == "mentions" and g.nodes[c]["type"] == "method" and g.nodes[c]["papers"] <= 10}

    assert rows
    for title1, title2, shared in rows:
        assert int(shared) == len(rare_methods(title1) & rare_methods(title2)) >= 2


def test_proposed_methods_rank_proposals_by_uptake(rdf, example_build):
    """Rows are the 50 proposed concepts most papers mention, with their proposers."""
    _, rows = answer(rdf, "proposed-methods")
    g = example_build.graph
    proposers = Counter(g.nodes[c]["label"] for _, c, d in edges(g, "mentions") if d["proposed"])
    uses = {g.nodes[c]["label"]: g.nodes[c]["papers"] for _, c, d in edges(g, "mentions") if d["proposed"]}
    expected = sorted(proposers, key=lambda name: (-uses[name], name))[:50]
    assert [r[0] for r in rows] == expected
    assert all(int(r[1]) == proposers[r[0]] and int(r[2]) == uses[r[0]] for r in rows)
    assert ["Kolmogorov-Arnold network", "1", "4"] in rows


def test_evidence_offsets_point_at_the_mentioned_text(rdf, example_build):
    _, rows = answer(rdf, "evidence-for-region")
    by_title = {d["title"]: d for _, d in example_build.graph.nodes(data=True) if d["kind"] == "paper"}
    assert {r[0] for r in rows} == {"hippocampus"} and len({r[5] for r in rows}) == 2
    for region, text, field, start, end, title, sentence in rows:
        assert by_title[title][field][int(start):int(end)] == text
        assert text in sentence


def test_work_mentions_name_the_proposing_paper(rdf, example_build):
    """Each row counts the other papers whose text names the work of the proposing paper."""
    columns, rows = answer(rdf, "work-mentions")
    g = example_build.graph
    naming = Counter((g.nodes[b]["title"], g.nodes[c]["label"]) for a, b, d in edges(g, "mentionsWorkOf")
                     for c in d["concepts"])
    assert columns == ["work", "proposer", "papers"]
    assert {(r[1], r[0]): int(r[2]) for r in rows} == dict(naming.most_common(25))
    assert ["Kolmogorov-Arnold network", "KAN: Kolmogorov-Arnold Networks", "3"] in rows


def test_associations_rank_by_npmi(rdf):
    for name in ("method-dataset-associations", "modality-region-associations"):
        columns, rows = answer(rdf, name)
        scores = [float(r[columns.index("npmi")]) for r in rows]
        assert scores == sorted(scores, reverse=True) and all(-1 <= x <= 1 for x in scores)


def test_gaps_query_agrees_with_kg_gaps(rdf):
    from kg.query.gaps import find_gaps
    _, rows = answer(rdf, "gaps-method-modality")
    top = find_gaps(rdf, "method", "modality", min_papers=3, limit=5)
    assert len(top) == 5
    assert [(r[0], r[1], int(r[2])) for r in rows[:5]] == [(g.row, g.col, g.observed) for g in top]


def test_citations_query_on_papers_with_references(tmp_path):
    import json
    from kg.api import build
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"title": "A", "abstract": "x", "references": ["B paper", "10.1/zz"]}) + "\n"
                    + json.dumps({"title": "B paper", "abstract": "y"}) + "\n", encoding="utf-8")
    out = build([path], tmp_path / "out")
    _, rows = run_query(load_graph(out.outputs["turtle"]), (ROOT / "examples" / "queries" / "citations.rq").read_text())
    assert sorted((r[0], r[1], r[3]) for r in rows) == [("A", "10.1/zz", "false"), ("A", "B paper", "true")]
