"""Readers: the page format, JSON Lines, CSV, directories, merging and input errors (strict or reported)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, write
from kg.errors import InputError
from kg.linking.papers import merge_papers
from kg.readers import read_paths


def test_reader_skips_page_furniture(data_dir):
    papers = list(read_paths([data_dir / "page.txt"]))
    titles = [p.title for p in papers]
    assert titles == ["First Paper on Recurrent Networks", "Second Paper: EEG and the Hippocampus",
                      "First paper on recurrent networks!"]
    assert papers[0].abstract == "We train recurrent neural networks on MNIST."
    assert all(p.sources == ["page.txt"] for p in papers)


def test_reader_strips_subscribe_glued_to_first_title(tmp_path):
    page = write(tmp_path / "p.txt", "Get trending papers in your email inbox once a day!\nSubscribeLILO: Learning\nAbstract text here.\n")
    [paper] = read_paths([page])
    assert paper.title == "LILO: Learning"


def test_duplicates_merge_into_one_paper_with_every_source(tmp_path, data_dir):
    write(tmp_path / "a.txt", (data_dir / "page.txt").read_text())
    write(tmp_path / "b.txt", "Second Paper: EEG and the Hippocampus\nWe record EEG from hippocampal neurons.\n")
    merged = merge_papers(read_paths([tmp_path]))
    assert len(merged) == 2
    by_title = {p.title: p for _, p in merged}
    assert by_title["Second Paper: EEG and the Hippocampus"].sources == ["a.txt", "b.txt"]


def test_example_corpus_has_631_entries_and_505_papers():
    records = list(read_paths([CORPUS]))
    assert len(records) == 631
    assert len(merge_papers(records)) == 505


def test_paper_iris_are_stable_and_prefer_identifiers(tmp_path):
    write(tmp_path / "a.jsonl", '{"title": "A Paper", "abstract": "x", "arxiv": "arXiv:2310.19791v2"}\n'
                                '{"title": "Other", "abstract": "y", "doi": "https://doi.org/10.1000/ABC"}\n')
    write(tmp_path / "b.csv", "title,abstract,doi\nOther (again),y,10.1000/abc\n")
    first = merge_papers(read_paths([tmp_path]))
    again = merge_papers(read_paths([tmp_path]))
    assert [iri for iri, _ in first] == [iri for iri, _ in again]
    assert first[0][0] == "https://w3id.org/kg/paper/arxiv-2310-19791"
    assert len(first) == 2 and first[1][1].sources == ["a.jsonl", "b.csv"]


def test_jsonl_and_csv_carry_metadata(tmp_path):
    write(tmp_path / "p.jsonl", '{"id": "p1", "title": "T", "abstract": "A", "year": 2021, "authors": ["Ada", "Bo"], "url": "https://x.org/p"}\n')
    write(tmp_path / "p.csv", 'title,abstract,year,authors\n"T2","A, with comma",2020,Ada; Bo\n')
    jl, cs = list(read_paths([tmp_path / "p.jsonl", tmp_path / "p.csv"]))
    assert (jl.id, jl.year, jl.authors, jl.url) == ("p1", 2021, ["Ada", "Bo"], "https://x.org/p")
    assert (cs.abstract, cs.year, cs.authors) == ("A, with comma", 2020, ["Ada", "Bo"])



AUTHOR_ID_RECORDS = [  # the shapes each source gives an author's identifier in
    ("crossref.json", '[{"title": "T", "author": [{"given": "Ada", "family": "Lovelace", '
                      '"ORCID": "http://orcid.org/0000-0002-1825-0097", "authenticated-orcid": false}, '
                      '{"given": "Bo", "family": "Writer"}]}]'),
    ("efetch.xml", '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T</ArticleTitle>'
                   '<AuthorList><Author><LastName>Lovelace</LastName><ForeName>Ada</ForeName>'
                   '<Identifier Source="ORCID">0000000218250097</Identifier></Author>'
                   '<Author><LastName>Writer</LastName><ForeName>Bo</ForeName></Author></AuthorList>'
                   '</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>'),
    ("openalex.json", '{"results": [{"id": "https://openalex.org/W1", "title": "T", "authorships": ['
                      '{"author": {"id": "https://openalex.org/A5000000001", "display_name": "Ada Lovelace", '
                      '"orcid": "https://orcid.org/0000-0002-1825-0097"}}, {"author": {"display_name": "Bo Writer"}}]}]}'),
    ("s2.json", '{"data": [{"paperId": "x", "title": "T", "authors": [{"authorId": "123", "name": "Ada Lovelace"}, '
                '{"authorId": null, "name": "Bo Writer"}]}]}'),
]
EXPECTED_IDS = {"crossref.json": ["orcid:0000-0002-1825-0097"], "efetch.xml": ["orcid:0000-0002-1825-0097"],
                "openalex.json": ["orcid:0000-0002-1825-0097", "openalex:A5000000001"], "s2.json": ["s2:123"]}


@pytest.mark.parametrize("name, content", AUTHOR_ID_RECORDS, ids=[r[0] for r in AUTHOR_ID_RECORDS])
def test_readers_keep_author_identifiers_in_step_with_names(tmp_path, name, content):
    write(tmp_path / name, content)
    (paper,) = read_paths([tmp_path / name])
    assert paper.authors == ["Ada Lovelace", "Bo Writer"]
    assert paper.author_ids == [EXPECTED_IDS[name], []]


def test_a_merged_paper_keeps_the_identifiers_any_record_gave(tmp_path):
    write(tmp_path / "a.bib", "@article{k, title={Place cells}, author={Lovelace, Ada and Writer, Bo}, doi={10.1/x}}\n")
    write(tmp_path / "b.jsonl", '{"title": "Place cells", "doi": "10.1/x", "authors": '
                                '[{"name": "Ada Lovelace", "orcid": "0000-0002-1825-0097"}]}\n')
    ((_, paper),) = merge_papers(read_paths([tmp_path / "a.bib", tmp_path / "b.jsonl"]))
    assert paper.authors == ["Ada Lovelace", "Bo Writer"]  # the longer byline
    assert paper.author_ids == [["orcid:0000-0002-1825-0097"], []]  # with the other record's ORCID

BAD_RECORDS = [
    ("bad.jsonl", '{"title": "ok", "abstract": "a"}\n{"title": oops}\n', "bad.jsonl:2: malformed JSON"),
    ("list.jsonl", '["title"]\n', "list.jsonl:1: expected a JSON object, got a list"),
    ("notitle.jsonl", '{"abstract": "a"}\n', "notitle.jsonl:1: record has no 'title'"),
    ("quote.csv", 'title,abstract\nok,fine\n"unterminated,x\n', "quote.csv:3: malformed CSV record (unexpected end of data)"),
]
BAD_FILES = [
    ("cols.csv", "name,abstract\nx,y\n", "cols.csv:1: CSV lacks column(s) title (has: name, abstract)"),
    ("latin.txt", "Title\nAbstract caf\xe9\n".encode("latin-1"), "latin.txt:2: not UTF-8 text (byte 0xe9 at column 13)"),
    ("blob.txt", b"Title\n\x00\x01\x02\n", "blob.txt:2: binary file (NUL byte); expected UTF-8 text"),
]


@pytest.mark.parametrize("name, content, message", BAD_RECORDS + BAD_FILES)
def test_bad_input_names_file_and_line(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    path = write(Path(name), content)
    with pytest.raises(InputError) as err:
        list(read_paths([path], strict=True))
    assert str(err.value).startswith(message)


@pytest.mark.parametrize("name, content, message", BAD_RECORDS)
def test_bad_record_is_reported_and_skipped_when_not_strict(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    path = write(Path(name), content)
    problems: list[InputError] = []
    titles = [p.title for p in read_paths([path], problems=problems)]
    assert titles == (["ok"] if name in ("bad.jsonl", "quote.csv") else [])
    assert len(problems) == 1 and str(problems[0]).startswith(message)


@pytest.mark.parametrize("name, content, message", BAD_FILES)
def test_unreadable_file_is_raised_even_when_not_strict(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    path = write(Path(name), content)
    with pytest.raises(InputError, match="^" + re.escape(message)):
        list(read_paths([path], problems=[]))


def test_bad_record_is_raised_when_nobody_collects_problems(tmp_path):
    path = write(tmp_path / "notitle.jsonl", '{"abstract": "a"}\n')
    with pytest.raises(InputError, match="record has no 'title'"):
        list(read_paths([path]))


def test_missing_path_and_empty_directory_are_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_paths([tmp_path / "nope"]))
    with pytest.raises(InputError, match="no readable files"):
        list(read_paths([tmp_path]))


def test_unknown_extension_is_sniffed(tmp_path):
    write(tmp_path / "papers.dat", '{"title": "T", "abstract": "A"}\n')
    [paper] = read_paths([tmp_path / "papers.dat"])
    assert paper.title == "T"
