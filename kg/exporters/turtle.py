"""Turtle (and N-Triples) export: the triples of `triples.py`, streamed to disk.

The N-Triples lines go to a temporary file; Oxigraph's parser and Turtle serializer
(Rust, streaming) turn them into prefixed, subject-grouped Turtle. Neither step holds the
graph in memory, so a large graph writes in seconds where rdflib's Turtle serializer took
many minutes (profile in the README); past PRETTY_MAX_PAPERS the lines are the Turtle.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph, Namespace

from . import atomic_write, write_lines
from .triples import CITO as CITO_IRI
from .triples import PREFIXES, ntriples

CITO = Namespace(CITO_IRI)


def write_ntriples(graph: nx.MultiDiGraph, dest: Path) -> None:
    """Stream every triple to `dest` as N-Triples."""
    write_lines(dest, ntriples(graph))


PRETTY_MAX_PAPERS = 20_000  # about 3.4 million triples


def export_turtle(graph: nx.MultiDiGraph, dest: Path) -> None:
    """Prefixed, subject-grouped Turtle through Oxigraph; for graphs past PRETTY_MAX_PAPERS,
    the N-Triples lines themselves (N-Triples is a subset of Turtle) under the prefix
    header: the second pass through Oxigraph cost a third of a 100k-paper build."""
    papers = sum(1 for _, d in graph.nodes(data=True) if d.get("kind") == "paper")
    if papers <= PRETTY_MAX_PAPERS:
        convert(ntriples(graph), dest, ox.RdfFormat.TURTLE)
        return
    header = [f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in PREFIXES.items()]
    write_lines(dest, chain(header, ntriples(graph)))


def convert(lines: Iterable[str], dest: Path, fmt: ox.RdfFormat, quads: bool = False) -> None:
    """Write N-Triples (or N-Quads) lines in another syntax, through a temporary file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".kg-") as tmp:
        source = Path(tmp) / "graph.nq"
        write_lines(source, lines)
        syntax = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
        with atomic_write(dest, "wb") as out:
            ox.serialize(ox.parse(path=source, format=syntax), out, fmt, prefixes=PREFIXES)


def to_rdf(graph: nx.MultiDiGraph) -> Graph:
    """The whole graph model as an rdflib Graph (for small graphs: tests, JSON-LD, SHACL)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g.parse(data="".join(ntriples(graph)), format="nt")
