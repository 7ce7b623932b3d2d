"""Merging one paper read from several sources: keys, title matching, guards, report, metadata."""
from __future__ import annotations

import networkx as nx
import pytest
from rapidfuzz import fuzz

from kg.linking.citations import link_citations, reference_key
from kg.linking.iris import normalise_match_title, normalise_pmid, normalise_title, paper_iri
from kg.linking.papers import Merge, merge_papers, merge_summary
from kg.model import Paper

TITLE = "Recurrent Networks for Decoding Hippocampal Activity"


def paper(title: str = TITLE, source: str = "refs.bib#1", **fields) -> Paper:
    return Paper(title=title, sources=[source], **fields)


def merged(*papers: Paper) -> tuple[list[tuple[str, Paper]], list[Merge]]:
    report: list[Merge] = []
    return merge_papers(papers, report), report


def test_doi_matches_whatever_its_case_and_prefix():
    out, report = merged(paper("One title", "a.bib#1", doi="10.1000/ABC"),
                         paper("Quite another title", "b.jsonl#2", doi="https://doi.org/10.1000/abc"),
                         paper("Third", "c.csv#3", doi="doi:10.1000/Abc"))
    assert len(out) == 1
    assert report == [Merge(paper_iri("doi:10.1000/abc"), ("a.bib#1", "b.jsonl#2", "c.csv#3"), ("doi", "doi"))]


def test_arxiv_id_matches_with_or_without_version():
    out, report = merged(paper("A", "a", arxiv="arXiv:2101.00001v2"), paper("B", "b", arxiv="2101.00001"),
                         paper("C", "c", arxiv="https://arxiv.org/abs/2101.00001v1"))
    assert [iri for iri, _ in out] == ["https://w3id.org/kg/paper/arxiv-2101-00001"]
    assert report[0].rules == ("arxiv", "arxiv")


def test_pmid_matches_in_any_spelling():
    out, report = merged(paper("A", "a", pmid="PMID: 123"), paper("B", "b", pmid="pmid:123"),
                         paper("C", "c", pmid="123"))
    assert len(out) == 1 and report[0].rules == ("pmid", "pmid")
    assert out[0][0] == paper_iri("pmid:123")
    spellings = ("PMID: 0123", "https://pubmed.ncbi.nlm.nih.gov/123/", "PMC123")
    assert [normalise_pmid(p) for p in spellings] == ["123", "123", None]


def test_iri_key_ranks_doi_then_arxiv_then_pmid_then_title():
    rest = [paper(pmid="7"), paper(arxiv="2101.00001"), paper()]
    assert merge_papers([*rest, paper(doi="10.1/x")])[0][0] == paper_iri("doi:10.1/x")
    assert merge_papers(rest)[0][0] == paper_iri("arxiv:2101.00001")
    assert merge_papers([rest[0], rest[2]])[0][0] == paper_iri("pmid:7")
    assert merge_papers([rest[2]])[0][0] == paper_iri("title:" + normalise_title(TITLE))


def test_iris_do_not_depend_on_input_order():
    records = [paper(doi="10.1/x"), paper(TITLE + " v2", arxiv="2101.00001"), paper(TITLE.upper()),
               paper("Other paper")]
    assert sorted(iri for iri, _ in merge_papers(records)) == sorted(iri for iri, _ in merge_papers(records[::-1]))


def test_same_title_in_any_case_and_punctuation_merges():
    out, report = merged(paper(TITLE, "a"), paper(TITLE.lower() + ".", "b"), paper(TITLE.replace(" ", "  ") + "!", "c"))
    assert len(out) == 1 and report[0].rules == ("title", "title")


@pytest.mark.parametrize("variant", [
    r"{R}ecurrent \emph{Networks} for Decoding Hippocampal Activity",
    "Recurrent Networks for Decoding Hippocampal Activity v2",
    "Recurrent Networks for Decoding Hippocampal Activity (v2)",
    "Recurrent Networks for Decoding Hippocampal Activity [v3]",
    "Recurrent Networks for Decoding Hippocampal Activity - version 2",
    "Recurrent Networks for Decoding <i>Hippocampal</i> Activity.",
    "Recurrent Networks for Decoding Hippocampal Activity -- ",
])
def test_markup_and_version_markers_do_not_tell_papers_apart(variant):
    assert normalise_match_title(variant) == normalise_match_title(TITLE)
    assert len(merge_papers([paper(TITLE), paper(variant)])) == 1


def test_latex_and_unicode_spellings_of_one_title_match():
    assert normalise_match_title(r"$\alpha$-Synuclein in K\"{o}ln and S{\o}ren's \ss") == \
        normalise_match_title("α-Synuclein in Köln and Søren’s ß") == "alpha synuclein in koln and sorens ss"


@pytest.mark.parametrize("variant", [
    "Recurrent Networks for Decoding Hippocampal Activty",  # typo
    "Recurrent Networks for Decoding Hippocampal Activity: A",  # stray small word
    "Recurent Networks for Decoding Hippocampal Activity",
])
def test_near_identical_titles_merge_as_fuzzy_title(variant):
    out, report = merged(paper(TITLE, "a"), paper(variant, "b"))
    assert len(out) == 1
    [rule] = report[0].rules
    assert rule.startswith("fuzzy-title:") and 95 <= float(rule.split(":")[1]) < 100


def test_spelling_variants_and_word_breaks_merge():
    out, report = merged(paper("Modelling the behaviour of pre-training in language models", "a"),
                         paper("Modeling the behavior of pretraining in language models", "b"))
    assert len(out) == 1 and report[0].rules[0].startswith("fuzzy-title:")


def test_fuzzy_match_finds_a_copy_among_many_papers():
    others = [paper(f"Recurrent networks for decoding cortical activity in area {n}", f"o{n}") for n in range(50)]
    out, report = merged(*others, paper(TITLE, "a"),
                         paper("Recurrent Netwroks for Decoding Hippocampal Activity", "b"))
    assert len(out) == 51 and report[0].sources == ("a", "b")


def test_same_title_with_different_dois_stays_two_papers():
    out, report = merged(paper("Attention", "a", doi="10.1/a"), paper("Attention", "b", doi="10.1/b"))
    assert len(out) == 2 and report == []


def test_title_never_joins_groups_with_conflicting_ids_of_one_kind():
    records = [paper(source="a", doi="10.1/a"), paper(source="b", doi="10.1/a", arxiv="2101.00001"),
               paper(source="c", doi="10.1/c"), paper(TITLE + " v2", "d", pmid="5"), paper(source="e", pmid="6")]
    out = merge_papers(records)
    assert sorted(p.sources for _, p in out) == [["a", "b", "d"], ["c", "e"]]  # c and e do not conflict


def test_record_without_ids_joins_no_group_when_its_title_is_ambiguous():
    out = merge_papers([paper(source="a", doi="10.1/a"), paper(source="b", doi="10.1/b"), paper(source="c"),
                        paper(TITLE + ".", "d")])
    assert sorted(p.sources for _, p in out) == [["a"], ["b"], ["c", "d"]]


def test_preprint_and_journal_version_merge_by_title():
    out, report = merged(paper(source="journal", doi="10.1038/x"), paper(source="arxiv", arxiv="2101.00001"),
                         paper(source="datacite", doi="https://doi.org/10.48550/arXiv.2101.00001"))
    assert len(out) == 1 and sorted(report[0].rules) == ["arxiv", "title"]
    assert out[0][0] == paper_iri("doi:10.1038/x") and out[0][1].doi == "10.1038/x"


def test_short_generic_titles_never_fuzzy_match():
    assert len(merge_papers([paper("Introduction", "a"), paper("Introductions", "b")])) == 2
    assert len(merge_papers([paper("Introduction", "a", doi="10.1/a"), paper("Introduction", "b", doi="10.1/b")])) == 2


@pytest.mark.parametrize("a, b", [
    ("Deep learning for seizure detection in EEG, Part I", "Deep learning for seizure detection in EEG, Part II"),
    ("Dense Hebbian neural networks: a replica symmetric picture of supervised learning",
     "Dense Hebbian neural networks: a replica symmetric picture of unsupervised learning"),
    ("Linear dynamics of recurrent neural circuits in cortex",
     "Nonlinear dynamics of recurrent neural circuits in cortex"),
    ("1D convolutional networks for EEG decoding tasks", "2D convolutional networks for EEG decoding tasks"),
    ("Attention is all you need for long document summaries",
     "Attention is not all you need for long document summaries"),
])
def test_near_identical_titles_of_different_papers_stay_apart(a, b):
    assert fuzz.ratio(normalise_match_title(a), normalise_match_title(b)) >= 95  # the ratio alone would merge them
    assert len(merge_papers([paper(a, "a"), paper(b, "b")])) == 2


def test_part_one_and_two_with_their_own_dois_stay_apart():
    out = merge_papers([paper(TITLE + ", Part I", "a", doi="10.1/1"), paper(TITLE + ", Part II", "b", doi="10.1/2")])
    assert len(out) == 2


def test_merges_are_transitive_across_id_kinds():
    out, report = merged(paper("A", "a", doi="10.1/x"), paper("B", "b", doi="10.1/X", arxiv="2101.00001"),
                         paper("C", "c", arxiv="2101.00001v4"))
    assert len(out) == 1 and report[0].sources == ("a", "b", "c") and report[0].rules == ("doi", "arxiv")


def test_report_lists_every_merged_group_and_summary_counts_joins():
    out, report = merged(paper("A", "a", doi="10.1/a"), paper("A", "b", doi="10.1/A"),
                         paper("B title", "c", arxiv="2101.00001"), paper("B", "d", arxiv="2101.00001v2"),
                         paper("C", "e", pmid="1"), paper("C", "f", pmid="PMID: 1"),
                         paper(TITLE, "g"), paper(TITLE + " v2", "h"),
                         paper(TITLE.replace("Activity", "Activty"), "i"),
                         paper("Alone", "j"))
    assert len(out) == 5 and [m.sources for m in report] == [("a", "b"), ("c", "d"), ("e", "f"), ("g", "h", "i")]
    assert [m.records for m in report] == [2, 2, 2, 3]
    assert merge_summary(report) == "4 papers merged from 9 records (doi 1, arxiv 1, pmid 1, title 1, fuzzy title 1)"
    assert merge_summary([]) == "no papers merged"


def test_merged_paper_keeps_the_richest_metadata_and_every_source():
    preprint = paper(TITLE + " (v2)", "arxiv.xml#4", abstract="Short.", arxiv="2101.00001", year=2020,
                     venue="arXiv", url="https://arxiv.org/abs/2101.00001", authors=["A. Author", "B. Author"],
                     references=["10.1/r1", "10.1/r2"])
    journal = paper(TITLE, "refs.bib#3", doi="10.1038/x", year=2021, venue="Nature Neuroscience",
                    authors=["A. Author"], references=["10.1/r2", "10.1/r3"])
    pubmed = paper(r"{R}ecurrent networks for decoding hippocampal activity.", "pubmed.xml#1", pmid="PMID: 99",
                   abstract="A much longer abstract that says more.", year=2022,
                   authors=["Ada Author", "Bob Author"])
    [(iri, p)] = merge_papers([preprint, journal, pubmed])
    assert iri == paper_iri("doi:10.1038/x")
    assert p.title == TITLE and p.abstract == "A much longer abstract that says more."
    assert (p.doi, p.arxiv, p.pmid, p.venue, p.year) == ("10.1038/x", "2101.00001", "PMID: 99",
                                                          "Nature Neuroscience", 2021)
    assert p.authors == ["Ada Author", "Bob Author"]
    assert p.sources == ["arxiv.xml#4", "pubmed.xml#1", "refs.bib#3"]
    assert p.references == ["10.1/r1", "10.1/r2", "10.1/r3"]


def test_without_a_published_version_the_earliest_year_is_kept():
    [(_, p)] = merge_papers([paper(arxiv="2101.00001", year=2021), paper(arxiv="2101.00001v2", year=2020)])
    assert p.year == 2020


@pytest.mark.parametrize("ref", ["PMID:123", "pmid:123", "PMID: 123", "https://pubmed.ncbi.nlm.nih.gov/123/"])
def test_pmid_references_resolve_to_the_corpus_paper(ref):
    assert reference_key(ref) == ("pmid:123", "pmid")
    papers = merge_papers([paper("Citing paper", "a", references=[ref]),
                           paper("Cited paper", "b", pmid="123")])
    graph = nx.MultiDiGraph()
    link_citations(graph, papers)
    assert graph.has_edge(papers[0][0], papers[1][0], key="cites")


def test_bare_numbers_are_not_pmid_references():
    assert reference_key("123")[1] == "title"


def test_a_numbered_series_is_compared_only_within_equal_digits():
    """Titles that differ in a number never merge, so a series ("... (study 17)") is not
    compared pair by pair; a spelling variant with the same digits still is."""
    from kg.linking.titles import digits, same_words, similar_titles
    stem = "deep recurrent networks for long range forecasting of neural population activity study"
    series = [f"{stem} {i}" for i in range(300)]
    assert similar_titles(series) == []
    variants = [f"{stem} 7", f"{stem.replace('forecasting', 'forcasting')} 7", "covid 19 mortality in hospital wards",
                "covid19 mortality in hospital wards"]
    assert [(i, j) for _, i, j in similar_titles(variants)] == [(0, 1), (2, 3)]
    assert same_words(variants[2], variants[3]) and digits(variants[2]) == digits(variants[3])
