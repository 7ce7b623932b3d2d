"""Shared fixtures: paths to the test data, the example corpus, and one build of it."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def tiny_vocab() -> Path:
    return DATA / "tiny_vocab.ttl"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> kg.BuildResult:
    """The example corpus built once for the whole session, with the shipped vocabularies."""
    out = tmp_path_factory.mktemp("example-build")
    return kg.build([CORPUS], out)


@pytest.fixture(scope="session")
def extractor(tiny_vocab):
    """An extractor that knows only the tiny test vocabulary."""
    from kg.extraction import Extractor
    return Extractor([tiny_vocab], builtin=False)


def write(path: Path, text: str | bytes) -> Path:
    """Write a test input file and return its path."""
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
