"""Fuzzing every reader: no input makes reading crash (issue 20).

The property, for random bytes, cut and corrupted fixtures, text in every script, deep
nesting, huge fields and JSON records of any shape: reading a file gives papers and
`InputError`s and nothing else escapes; every error is one line that starts with the path
as the user gave it (relative stays relative) and, in formats read line by line, the line.
Hypothesis runs derandomized with fixed example counts, so CI sees the same inputs each time.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from kg.errors import InputError, InputWarning
from kg.readers import READERS, read_paths, reader_for
from kg.readers.records import clean

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EXTENSION = {"page": ".txt", "jsonl": ".jsonl", "csv": ".csv", "bibtex": ".bib", "ris": ".ris", "csljson": ".json",
             "arxiv": ".atom", "openalex": ".json", "s2": ".json", "pubmed": ".xml"}
LINE_BASED = {"page", "jsonl", "csv", "bibtex", "ris"}  # other formats number records by position
JSON_READERS = ("jsonl", "csljson", "openalex", "s2")
ATOM = "http://www.w3.org/2005/Atom"

# One small valid file per reader, with {t} where a title goes (text is escaped per format).
TEMPLATES = {
    "page": "{t}\nAn abstract.\n",
    "jsonl": '{{"title": {t}, "abstract": "An abstract.", "authors": "Ada Lovelace"}}\n',
    "csv": "title,abstract,authors\n{t},An abstract.,Ada Lovelace\n",
    "bibtex": "@article{{k1,\n  title = {{{t}}},\n  author = {{Lovelace, Ada}},\n  year = {{2020}}\n}}\n",
    "ris": "TY  - JOUR\nTI  - {t}\nAU  - Lovelace, Ada\nPY  - 2020\nER  - \n",
    "csljson": '[{{"title": {t}, "author": [{{"family": "Lovelace", "given": "Ada"}}], '
               '"issued": {{"date-parts": [[2020]]}}}}]\n',
    "arxiv": f'<feed xmlns="{ATOM}"><entry><id>http://arxiv.org/abs/2104.07001v2</id>'
             '<title>{t}</title><summary>An abstract.</summary></entry></feed>\n',
    "openalex": '{{"results": [{{"id": "https://openalex.org/W1", "title": {t}, '
                '"abstract_inverted_index": {{"An": [0], "abstract.": [1]}}}}]}}\n',
    "s2": '{{"data": [{{"paperId": "p1", "title": {t}, "externalIds": {{"DOI": "10.1/x"}}}}]}}\n',
    "pubmed": "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
              "<ArticleTitle>{t}</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n",
}
FIXTURES = {**{p.name: p.read_bytes() for p in sorted((DATA / "formats").iterdir()) if p.suffix != ".md"},
            "page.txt": (DATA / "page.txt").read_bytes(), "reused_key.bib": (DATA / "reused_key.bib").read_bytes(),
            "papers.jsonl": TEMPLATES["jsonl"].format(t='"A title"').encode() * 3,
            "papers.csv": ("title,abstract\n" + '"A, title","An\nabstract"\n' * 3).encode()}


@pytest.fixture()
def put(tmp_path, monkeypatch):
    """Write bytes to in/sub/NAME under a fresh working directory; the relative path to give."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in" / "sub").mkdir(parents=True)

    def put(name: str, data: bytes) -> Path:
        path = Path("in", "sub", name)
        path.write_bytes(data)
        return path
    return put


def read(path: Path, fmt: str | None = None) -> tuple[list, list[InputError]]:
    """Papers and errors of one file; fails the test on any other exception or a bad message."""
    problems: list[InputError] = []
    warnings: list[InputWarning] = []
    papers = []
    try:
        papers.extend(read_paths([path], fmt=fmt, problems=problems, warnings=warnings))
    except InputError as e:  # a whole-file error; anything else fails the test
        problems.append(e)
    lines = path.read_bytes().count(b"\n") + 1
    for error in problems + warnings:
        check_message(error, path, lines if (fmt or reader_for(path)) in LINE_BASED else None)
    return papers, problems


def check_message(error: InputError | InputWarning, path: Path, lines: int | None) -> None:
    text = str(error)
    assert text.splitlines() == [text], f"not one line: {text!r}"
    where = f"{path}:{error.line}: " if error.line is not None else f"{path}: "
    assert text.startswith(where), f"does not start with {where!r}: {text!r}"
    assert error.line is None or error.line >= 1
    if lines is not None:
        assert error.line is not None and error.line <= lines, f"line outside the file ({lines} lines): {text!r}"


def title(fmt: str, text: str) -> str:
    """`text` as a title in `fmt`'s template."""
    if fmt in JSON_READERS:
        quoted = json.dumps(text)
    elif fmt == "csv":
        quoted = '"' + text.replace('"', '""') + '"'
    elif fmt in ("arxiv", "pubmed"):
        quoted = text.replace("&", "&amp;").replace("<", "&lt;")
    else:
        quoted = text
    return TEMPLATES[fmt].format(t=quoted)


FORMATS = st.sampled_from(sorted(READERS))


@FUZZ
@given(fmt=FORMATS, data=st.binary(max_size=400))
def test_random_bytes_are_read_or_named_errors(put, fmt, data):
    read(put("random" + EXTENSION[fmt], data), fmt)


@FUZZ
@given(name=st.sampled_from(sorted(FIXTURES)), cut=st.floats(0, 1))
def test_truncated_fixtures_are_read_or_named_errors(put, name, cut):
    data = FIXTURES[name]
    read(put(name, data[:int(len(data) * cut)]))


@FUZZ
@given(name=st.sampled_from(sorted(FIXTURES)), at=st.floats(0, 1),
       junk=st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\r", b"\x0b", b"\x1c", b"\xe2\x80\xa8",
                             b'"', b"{", b"}", b"<", b"&", b"\n\n", b"TY  - ", b"@article{"]) | st.binary(max_size=6))
def test_corrupted_fixtures_are_read_or_named_errors(put, name, at, junk):
    data = FIXTURES[name]
    cut = int(len(data) * at)
    read(put(name, data[:cut] + junk + data[cut:]))


@FUZZ
@given(fmt=FORMATS, text=st.text(st.characters(codec="utf-8"), max_size=40))
def test_any_text_as_a_title_is_read_or_a_named_error(put, fmt, text):
    read(put("t" + EXTENSION[fmt], title(fmt, text).encode()), fmt)


def letters_of_every_script() -> str:
    """A letter from every 256-code-point block that has one, planes 0-3: every script Unicode encodes."""
    found = []
    for block in range(0, 0x40000, 256):
        letter = next((chr(c) for c in range(block, block + 256) if unicodedata.category(chr(c)).startswith("L")), None)
        if letter:
            found.append(letter)
    return "".join(found)


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_titles_in_every_script_are_kept(put, fmt):
    text = letters_of_every_script()
    papers, problems = read(put("scripts" + EXTENSION[fmt], title(fmt, text).encode()), fmt)
    assert problems == [] and [p.title for p in papers] == [clean(text)]


DEEP = 100_000
NESTED = {
    "jsonl": '{"title": "Deep", "authors": ' + "[" * DEEP + "]" * DEEP + "}\n",
    "csljson": "[" * DEEP + "]" * DEEP + "\n",
    "openalex": '{"results": [{"title": "Deep", "ids": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}]}\n",
    "s2": '[{"paperId": "p", "title": "Deep"},\n {"title": "Deeper", "x": ' + "[" * DEEP + "]" * DEEP + "}]\n",
    "bibtex": "@article{k, title={" + "{" * DEEP + "Deep" + "}" * DEEP + "}}\n",
    "pubmed": title("pubmed", "x").replace("x", "<i>" * DEEP + "Deep" + "</i>" * DEEP),
    "arxiv": title("arxiv", "x").replace("x", "<i>" * DEEP + "Deep" + "</i>" * DEEP),
    "ris": "TY  - JOUR\nTI  - " + "{" * DEEP + "\nER  - \n",
    "csv": "title,abstract\n" + '"' * DEEP + "\n",
    "page": "(" * DEEP + "\n" + ")" * DEEP + "\n",
}


@pytest.mark.parametrize("fmt", sorted(NESTED))
def test_deep_nesting_is_read_or_a_named_error(put, fmt):
    read(put("deep" + EXTENSION[fmt], NESTED[fmt].encode()), fmt)


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_huge_fields_are_read(put, fmt):
    big = "Huge " + "word " * 20_000  # 100 kB, one line
    papers, problems = read(put("huge" + EXTENSION[fmt], title(fmt, big).encode()), fmt)
    assert problems == [] and [p.title for p in papers] == [clean(big)]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
FIELDS = {  # every key a JSON reader looks into, by reader
    "jsonl": ["title", "abstract", "year", "authors", "references", "referenced_works", "doi", "arxiv", "id"],
    "csljson": ["title", "abstract", "issued", "author", "container-title", "DOI", "URL", "number", "PMID"],
    "openalex": ["title", "display_name", "ids", "primary_location", "doi", "abstract_inverted_index",
                 "publication_year", "authorships", "referenced_works", "id"],
    "s2": ["paperId", "title", "externalIds", "authors", "references", "year", "venue", "url"],
}


@FUZZ
@given(fmt=st.sampled_from(JSON_READERS), data=st.data())
def test_json_records_of_any_shape_are_read_or_skipped_and_reported(put, fmt, data):
    fields = data.draw(st.dictionaries(st.sampled_from(FIELDS[fmt]), JSON, min_size=1, max_size=4))
    good = {"title": "Good", "paperId": "g"} if fmt == "s2" else {"title": "Good"}
    records = [good, {"title": "Odd", **fields}, good]
    text = "".join(json.dumps(r) + "\n" for r in records) if fmt == "jsonl" else json.dumps(records)
    papers, problems = read(put("shapes" + EXTENSION[fmt], text.encode()), fmt)
    assert papers[0].title == papers[-1].title == "Good"
    assert len(papers) + len(problems) == 3
