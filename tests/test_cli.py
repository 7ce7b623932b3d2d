"""The CLI: a thin layer whose errors are one line and whose outputs are the library's."""
from __future__ import annotations

import json
import shutil

import click
import pytest
from click.testing import CliRunner

from conftest import write
from kg.cli import main
from kg.resources import queries_dir


@pytest.fixture()
def run():
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(main, [str(a) for a in args], **kw)


def test_build_writes_three_files_and_a_summary(run, tmp_path, data_dir):
    result = run("build", data_dir / "page.txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".kg-cache", "graph.html", "graph.ttl", "mentions.jsonl",
                                                                     "report.html"]
    assert "papers: 2 (from 3 records; 0 with a title only; 0 cited works outside the corpus)" in result.output
    assert "merged: 1 papers merged from 2 records (title 1)" in result.output
    lines = (tmp_path / "out" / "mentions.jsonl").read_text().splitlines()
    assert len(lines) == 2 and {"id", "title", "concepts"} <= set(json.loads(lines[0]))


@pytest.mark.parametrize("content, name, message", [
    (None, "missing", "Error: {dir}/missing: no such file or directory"),
    ('{"title": oops}\n', "bad.jsonl", "Error: {dir}/bad.jsonl:1: malformed JSON (Expecting value at column 11)"),
    ("name,abstract\nx,y\n", "cols.csv", "Error: {dir}/cols.csv:1: CSV lacks column(s) title (has: name, abstract)"),
    (b"\xff\xfe\x00t\x00i", "blob.txt", "Error: {dir}/blob.txt:1: binary file (NUL byte); expected UTF-8 text"),
    (b"Title\nbad \xe9\n", "latin.txt", "Error: {dir}/latin.txt:2: not UTF-8 text (byte 0xe9 at column 5)"),
])
def test_bad_input_is_one_line_error(run, tmp_path, content, name, message):
    if content is not None:
        write(tmp_path / name, content)
    result = run("build", tmp_path / name, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.strip() == message.format(dir=tmp_path)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_empty_corpus_is_an_error(run, tmp_path):
    write(tmp_path / "empty.txt", "\n\nSubscribe\n")
    result = run("build", tmp_path / "empty.txt", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'empty.txt'}: no papers found in the input"


def test_query_prints_table_csv_and_json(run, example_build):
    ttl = example_build.outputs["turtle"]
    q = "PREFIX kg: <https://w3id.org/kg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"
    assert run("query", ttl, q).output.splitlines()[2].strip() == "505"
    assert run("query", ttl, q, "--format", "csv").output == "n\n505\n"
    assert json.loads(run("query", ttl, q, "--format", "json").output) == [{"n": "505"}]


def test_query_reads_rq_file_positionally_or_with_f(run, example_build, tmp_path):
    rq = write(tmp_path / "count.rq", "PREFIX kg: <https://w3id.org/kg/ontology#>\nASK { ?p a kg:Paper }\n")
    ttl = example_build.outputs["turtle"]
    assert run("query", ttl, rq).output.splitlines()[2] == "true"
    assert run("query", ttl, "-f", rq).output.splitlines()[2] == "true"


def test_malformed_query_is_one_line_error(run, example_build):
    result = run("query", example_build.outputs["turtle"], "SELECT ?x WHERE { ?x ")
    assert result.exit_code == 1
    assert result.output.startswith("Error: malformed SPARQL at line 1") and len(result.output.splitlines()) == 1


def test_query_on_missing_graph_is_an_error(run, tmp_path):
    result = run("query", tmp_path / "nope.ttl", "ASK {}")
    assert result.exit_code == 1 and result.output.strip() == f"Error: {tmp_path / 'nope.ttl'}: no such graph file"


def test_extract_shows_type_label_offsets_and_rule(run, tiny_vocab):
    result = run("extract", "--json", "--vocab", tiny_vocab, "Neurons of the hippocampus under EEG.")
    rows = json.loads(result.output)
    hippo = next(r for r in rows if r["text"] == "hippocampus")
    assert hippo["type"] == "brain_region" and (hippo["start"], hippo["end"]) == (15, 26)
    assert hippo["rule"].startswith("vocab:")


def test_extract_reads_standard_input(run):
    result = run("extract", "-", input="We train a transformer on ImageNet.")
    assert result.exit_code == 0 and "ImageNet" in result.output


def test_html_draws_the_neighbourhood_of_a_focus(run, example_build, tmp_path):
    import re
    dest = tmp_path / "focus.html"
    result = run("html", example_build.outputs["turtle"], "-o", dest, "--focus", "hippocampus", "--depth", "1")
    assert result.exit_code == 0, result.output
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", dest.read_text(), re.S).group(1))
    labels = {n["full_label"] for n in nodes}
    assert "hippocampus" in labels and len(nodes) < 20
    graph = example_build.graph
    hippo = next(n for n, d in graph.nodes(data=True) if d.get("label") == "hippocampus")
    papers = {graph.nodes[u]["title"] for u, _, k in graph.in_edges(hippo, keys=True) if k == "mentions"}
    assert papers <= labels


def test_html_focus_that_matches_nothing_is_an_error(run, example_build, tmp_path):
    result = run("html", example_build.outputs["turtle"], "-o", tmp_path / "x.html", "--focus", "zzz nothing")
    assert result.exit_code == 1 and result.output.strip() == "Error: no concept or paper matches 'zzz nothing'"


def test_report_command_writes_the_summary(run, example_build, tmp_path):
    result = run("report", example_build.outputs["turtle"], "-o", tmp_path / "r.html")
    assert result.exit_code == 0 and "<svg" in (tmp_path / "r.html").read_text()


def test_bad_records_are_skipped_and_reported_or_fatal_with_strict(run, tmp_path):
    write(tmp_path / "mixed.jsonl", '{"title": "A good paper on fMRI", "abstract": "We use fMRI."}\n'
                                   '{"title": oops}\n{"abstract": "no title"}\n')
    result = run("build", tmp_path / "mixed.jsonl", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "papers: 1 (from 1 records" in result.output
    mixed = tmp_path / "mixed.jsonl"
    assert (f"skipped 2 bad record(s): {mixed}:2: malformed JSON (Expecting value at column 11); "
            f"{mixed}:3: record has no 'title'") in result.output
    strict = run("build", tmp_path / "mixed.jsonl", "-o", tmp_path / "strict", "--strict")
    assert strict.exit_code == 1
    assert strict.output.strip() == f"Error: {mixed}:2: malformed JSON (Expecting value at column 11)"


def test_errors_name_the_path_as_given_and_records_keep_their_source_name(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs").mkdir()
    write(tmp_path / "refs" / "mixed.jsonl", '{"title": "A good paper on fMRI", "abstract": "We use fMRI."}\n'
                                             '{"title": oops}\n')
    result = run("build", "refs/mixed.jsonl", "-o", "out", "--no-model")
    assert result.exit_code == 0, result.output
    assert "skipped 1 bad record(s): refs/mixed.jsonl:2: malformed JSON (Expecting value at column 11)" in result.output
    [line] = (tmp_path / "out" / "mentions.jsonl").read_text().splitlines()
    assert json.loads(line)["sources"] == ["mixed.jsonl"]
    for given in ("refs/mixed.jsonl", "refs"):
        strict = run("build", given, "-o", "strict", "--strict", "--no-model")
        assert (strict.exit_code, strict.output.strip()) == \
            (1, "Error: refs/mixed.jsonl:2: malformed JSON (Expecting value at column 11)")


def test_reused_bibtex_key_is_a_warning_in_the_summary_not_a_skipped_record(run, tmp_path, monkeypatch, data_dir):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs").mkdir()
    shutil.copy(data_dir / "reused_key.bib", tmp_path / "refs" / "zotero.bib")
    result = run("build", "refs/zotero.bib", "-o", "out", "--no-model")
    assert result.exit_code == 0, result.output
    assert "papers: 2 (from 2 records" in result.output and "skipped" not in result.output
    assert ("1 warning(s): refs/zotero.bib:10: citation key 'tanaka2021' used again (first at line 2); "
            "read as another paper, with record id 'tanaka2021-2'") in result.output.splitlines()


def test_misspelt_keyword_says_what_was_expected(run, example_build):
    """The default engine is Oxigraph, whose parser says "expected CONSTRUCT" for `SELEC`;
    the message comes from rdflib's parser instead."""
    result = run("query", example_build.outputs["turtle"], "SELEC ?x WHERE { ?x ?y ?z }")
    assert result.exit_code == 1
    assert result.output == "Error: malformed SPARQL at line 1, column 1: Expected {SelectQuery | ConstructQuery | DescribeQuery | AskQuery}\n"


def test_every_command_and_option_has_help_text():
    missing = [f"{name} {param.opts[0]}" for name, command in main.commands.items() for param in command.params
               if isinstance(param, click.Option) and not param.hidden and not param.help]
    assert missing == []
    assert all(command.help for command in main.commands.values())


def test_query_list_gives_each_question_whole(run):
    lines = run("query", "--list").output.splitlines()
    assert len(lines) == len(list(queries_dir().glob("*.rq"))) >= 17
    assert all(line.rstrip().endswith(("?", ".")) for line in lines)
    assert "work-mentions                   Who builds on whom, from the text alone?" in lines


def test_mistyped_example_name_says_so_and_suggests(run, example_build):
    result = run("query", example_build.outputs["turtle"], "work-mention")
    assert result.exit_code == 1
    assert result.output == "Error: no example query named 'work-mention': did you mean work-mentions? kg query --list lists them\n"
