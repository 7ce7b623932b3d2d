"""The field over time: Kleinberg bursts and share trends (kg.linking.trends), on hand-checked
count series and on a synthetic dated corpus with a planted burst, in the graph, the RDF,
the report and `kg trends`."""
from __future__ import annotations

import itertools
import json
import math
import random

import numpy as np
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS, XSD

from conftest import write
from kg.api import build, timeline
from kg.cli import main
from kg.linking.trends import TrendOptions, kleinberg, linear_trends
from kg.namespaces import KG
from kg.query.validate import validate
from kg.resources import ontology_dir

YEARS = range(2000, 2016)  # 16 years, 10 papers each


def dated_corpus() -> str:
    """JSON Lines of 160 papers, 10 a year, 2000-2015, each with its own DOI. EEG: 3 papers
    every year (a constant share). hippocampus: 6 papers a year in 2010-2012 (the planted
    burst), 1 in 2000, 2003, 2006, 2009 and 2015. LSTM: 0, 1, ..., 9 papers a year over
    2006-2015 (rising), none before. fMRI: 9 a year up to 2006, then 8, 7, ..., 0 (declining)."""
    lines = []
    for y, i in itertools.product(YEARS, range(10)):
        late = y - 2006  # 0..9 over the trend window
        said = ["We describe the results of the experiment."]
        if i < 3:
            said.append("We record EEG from the participants.")
        if (2010 <= y <= 2012 and i < 6) or (i == 9 and y in (2000, 2003, 2006, 2009, 2015)):
            said.append("We study the hippocampus.")
        if late >= 0 and i < late:
            said.append("We train an LSTM on the data.")
        if i < (9 if late < 0 else 9 - late):
            said.append("The data are fMRI scans.")
        lines.append(json.dumps({"title": f"Experiment number {i} of the year {y}", "abstract": " ".join(said),
                                 "year": y, "doi": f"10.5555/{y}.{i}"}))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dated")
    return build([write(tmp / "dated.jsonl", dated_corpus())], tmp / "out", model=False, cache=False)


def by_label(result) -> dict[str, dict]:
    return {d["label"]: d for _, d in result.graph.nodes(data=True) if d["kind"] == "concept"}


# ---- Kleinberg's automaton on series checked by hand ---------------------------------


def test_burst_found_in_the_years_of_raised_counts_with_kleinbergs_weight():
    counts = np.array([[1, 1, 1, 1, 6, 7, 6, 1, 1, 1]])  # 26 of 100 papers: p0 = 0.26, p1 = 0.52
    [[(start, end, weight)]] = kleinberg(counts, np.full(10, 10))
    # weight: sum over the burst years of r ln(p1/p0) + (d - r) ln((1 - p1)/(1 - p0))
    by_hand = sum(r * math.log(2) + (10 - r) * math.log(0.48 / 0.74) for r in (6, 7, 6))
    assert (start, end) == (4, 6) and weight == pytest.approx(by_hand) and weight == pytest.approx(8.408, abs=1e-3)


def test_steady_counts_have_no_burst():
    assert kleinberg(np.array([[1] * 10, [3] * 10]), np.full(10, 10)) == [[], []]


def test_gamma_sets_the_price_of_entering_a_burst():
    counts = np.array([[0] * 9 + [10]])  # p0 = 0.1; the last year: gain 10 ln 2 = 6.93
    assert kleinberg(counts, np.full(10, 10), gamma=1.0) == [[(9, 9, pytest.approx(10 * math.log(2)))]]
    assert kleinberg(counts, np.full(10, 10), gamma=4.0) == [[]]  # entering costs 4 ln 10 = 9.2 > 6.93


def test_burst_states_are_the_cheapest_sequence_found_by_enumeration():
    rng = random.Random(7)
    for _ in range(150):
        n = rng.randint(2, 8)
        totals = [rng.randint(0, 12) for _ in range(n)]
        counts = [rng.randint(0, d) for d in totals]
        if not 0 < sum(counts) < sum(totals):
            continue
        s, gamma = rng.choice([1.5, 2.0, 3.0]), rng.choice([0.0, 0.5, 1.0, 2.0])
        bursts = kleinberg(np.array([counts]), np.array(totals), s, gamma)[0]
        states = tuple(int(any(a <= t <= b for a, b, _ in bursts)) for t in range(n))
        best = min(_cost(seq, counts, totals, s, gamma) for seq in itertools.product((0, 1), repeat=n))
        assert _cost(states, counts, totals, s, gamma) == pytest.approx(best, abs=1e-9)


def _cost(states, counts, totals, s, gamma) -> float:
    p0 = sum(counts) / sum(totals)
    rate = (p0, min(s * p0, 1 - 1e-9))
    enter = gamma * math.log(len(counts))
    cost, before = 0.0, 0
    for q, r, d in zip(states, counts, totals):
        cost += enter * (q > before) - r * math.log(rate[q]) - (d - r) * math.log1p(-rate[q])
        before = q
    return cost


# ---- trends ----------------------------------------------------------------------------


def test_constant_share_is_flat_rising_share_rises_and_few_papers_get_no_trend():
    totals = np.array([10, 20, 40, 20, 10, 30])
    counts = np.array([totals // 10 * 2,  # 20% every year
                       [0, 1, 6, 5, 4, 12],  # 0%, 5%, 15%, 25%, 40%, 40%
                       [0, 0, 1, 0, 1, 1]])  # 3 papers
    constant, rising, few = linear_trends(counts, totals, np.arange(2010.0, 2016.0), TrendOptions())
    assert constant.direction == "flat" and constant.slope == pytest.approx(0) and constant.z == pytest.approx(0)
    assert rising.direction == "rising" and rising.slope > 0.05 and rising.q < 0.05
    assert few is None


# ---- a dated corpus, built ---------------------------------------------------------------


def test_planted_burst_is_found_with_its_years(dated_build):
    hippocampus = by_label(dated_build)["hippocampus"]
    assert [(b.start, b.end, b.papers) for b in hippocampus["bursts"]] == [(2010, 2012, 18)]
    assert hippocampus["first_year"] == 2000 and hippocampus["per_year"][2011] == 6


def test_constant_share_concept_is_not_rising_and_has_no_burst(dated_build):
    eeg = by_label(dated_build)["EEG"]
    assert eeg["trend"].direction == "flat" and eeg["bursts"] == []
    assert eeg["mean_year"] == pytest.approx(2007.5) and eeg["per_year"] == {y: 3 for y in YEARS}


def test_rising_and_declining_concepts(dated_build):
    concepts = by_label(dated_build)
    assert concepts["long short-term memory"]["trend"].direction == "rising"
    assert concepts["long short-term memory"]["first_year"] == 2007
    assert concepts["fMRI"]["trend"].direction == "declining"
    assert concepts["fMRI"]["trend"].slope == pytest.approx(-0.1)  # one paper in ten fewer each year


def test_rdf_bursts_pass_shacl_and_say_concept_years_and_strength(dated_build):
    rdf = Graph().parse(dated_build.outputs["turtle"])
    assert validate(rdf) == []
    [burst] = [b for b in rdf.subjects(KG.burstOf, None)
               if rdf.value(rdf.value(b, KG.burstOf), SKOS.prefLabel) == Literal("hippocampus")]
    assert rdf.value(burst, KG.startYear) == Literal("2010", datatype=XSD.gYear)
    assert rdf.value(burst, KG.endYear) == Literal("2012", datatype=XSD.gYear)
    assert float(rdf.value(burst, KG.strength)) > 0 and int(rdf.value(burst, KG.paperCount)) == 18
    declared = set(Graph().parse(ontology_dir() / "kg.ttl").subjects())
    used = {t for t in set(rdf.predicates()) | set(rdf.objects(None, RDF.type)) if str(t).startswith(str(KG))}
    assert {KG.Burst, KG.burstOf, KG.startYear, KG.strength, KG.trend, KG.trendSlope, KG.meanYear} <= used <= declared
    eeg = rdf.value(None, SKOS.prefLabel, Literal("EEG"))
    assert rdf.value(eeg, KG.trend) == Literal("flat")
    assert rdf.value(eeg, KG.firstYear) == Literal("2000", datatype=XSD.gYear)


def test_timeline_read_back_from_the_rdf_equals_the_builds(dated_build):
    graph, found = timeline(dated_build.outputs["turtle"])
    built = dated_build.graph.graph["timeline"]
    assert found.years == built.years and found.totals == built.totals
    assert {graph.nodes[i]["label"]: t for i, t in found.concepts.items()} == \
        {dated_build.graph.nodes[i]["label"]: t for i, t in built.concepts.items()}


def test_report_draws_trend_lines_and_the_burst_table_offline(dated_build):
    page = dated_build.outputs["report"].read_text(encoding="utf-8")
    section = page[page.index('<section id="time">'):]
    assert section.count("<polyline") == 2  # LSTM rising, fMRI declining
    assert "hippocampus</td><td>brain region</td><td>2010</td>" in section.replace("\n", "").replace("      ", "")
    assert "http" not in section and "<script" not in page


def test_trends_command_prints_the_table(dated_build):
    graph = str(dated_build.outputs["turtle"])
    result = CliRunner().invoke(main, ["trends", graph, "--type", "brain_region", "--sort", "burst", "--limit", "1",
                                         "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, row = result.output.strip().splitlines()
    assert header == "concept,type,papers,first year,mean year,trend,bursts"
    assert row.startswith("hippocampus,brain region,23,2000,") and ",2010-2012 (" in row
    stricter = CliRunner().invoke(main, ["trends", graph, "--type", "brain_region", "--gamma", "20"])
    assert stricter.exit_code == 0 and "2010-2012" not in stricter.output


def test_trends_command_errors(tmp_path, dated_build):
    result = CliRunner().invoke(main, ["trends", str(dated_build.outputs["turtle"]), "--window", "1"])
    assert result.exit_code == 2 and "--window" in result.output
    undated = build([write(tmp_path / "p.jsonl", json.dumps({"title": "A", "abstract": "We record EEG."}) + "\n")],
                    tmp_path / "out", model=False, cache=False)
    result = CliRunner().invoke(main, ["trends", str(undated.outputs["turtle"])])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {undated.outputs['turtle']}: no paper has a year, so there are no trends"
