"""Validating an exported graph against the SHACL shapes in ontology/shapes.ttl.

The shapes say what every build must satisfy (one title per paper, one preferred label
and one type per concept, evidence that points at papers of the graph, ...); pySHACL
checks them, so other tools can rely on the graph's shape.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from ..resources import ontology_dir


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str


def validate(data: Graph) -> list[Violation]:
    """SHACL violations of the graph (empty when it conforms)."""
    import pyshacl  # imported here: it is slow to import and only this command needs it

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        out.append(Violation(str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath) or ""),
                             str(report.value(result, SH.resultMessage) or "")))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))
