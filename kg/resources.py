"""Where the shipped data files are: the ontology, rules and vocabularies.

In an installed wheel `ontology/` is copied into the package (pyproject maps it to
`kg/ontology`); in a source checkout or editable install it sits beside the package.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def ontology_dir() -> Path:
    for candidate in (_PACKAGE / "ontology", _PACKAGE.parent / "ontology"):
        if (candidate / "kg.ttl").is_file():
            return candidate
    raise FileNotFoundError("the kg ontology files are missing from this installation")


def model_dir() -> Path:
    """The shipped recognizer (`kg train` writes it; package data beside the code)."""
    return _PACKAGE / "models" / "recognizer"


def relation_model_path() -> Path:
    """The shipped relation classifier's weights (`kg train-relations` writes them)."""
    return _PACKAGE / "models" / "relations.json"


def queries_dir() -> Path:
    """The example SPARQL queries: shipped in the package, or examples/queries in a checkout."""
    for candidate in (_PACKAGE / "queries", _PACKAGE.parent / "examples" / "queries"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE / "queries"
