"""Validating an exported graph against the SHACL shapes in ontology/shapes.ttl.

The shapes say what every build must satisfy (one title per paper, one preferred label
and one type per concept, evidence that points at papers of the graph, ...), so other tools
can rely on the graph's shape. Two engines give the same violations: Oxigraph (the
default) answers the shapes compiled to SPARQL (`kg.query.shacl`), pySHACL (`engine=
"rdflib"`, and whenever a shape uses SHACL the compiler does not translate) walks them
over an rdflib graph, ten to a hundred times slower.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import SH

from ..resources import ontology_dir
from .shacl import Check, Unsupported, compile_shapes


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str


def validate(data: Graph | ox.Store, engine: str = "oxigraph") -> list[Violation]:
    """SHACL violations of the graph (empty when it conforms), sorted; `engine` "oxigraph"
    or "rdflib" (pySHACL)."""
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    if engine == "oxigraph":
        try:
            checks = compile_shapes(shapes)
        except Unsupported:
            checks = None
        if checks is not None:
            return _by_sparql(data if isinstance(data, ox.Store) else _store(data), checks)
    if isinstance(data, ox.Store):
        data = _graph(data)
    import pyshacl  # imported here: it is slow to import and only this command needs it

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode) and (inverse := report.value(path, SH.inversePath)) is not None:
            path = f"^{inverse}"
        out.append(Violation(str(report.value(result, SH.focusNode)), str(path or ""),
                             str(report.value(result, SH.resultMessage) or "")))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))


def _by_sparql(store: ox.Store, checks: list[Check]) -> list[Violation]:
    out = []
    for check in checks:
        for row in store.query(check.query, use_default_graph_as_union=True):
            focus, message = row["f"], check.message
            if "{value}" in message:
                message = message.replace("{value}", _shown(row["v"]))
            out.append(Violation(focus.value if isinstance(focus, ox.NamedNode) else str(focus), check.path, message))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))


def _shown(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    return f'"{term.value}"' if isinstance(term, ox.Literal) else str(term)


def _store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def _graph(store: ox.Store) -> Graph:
    return Graph().parse(data=ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
