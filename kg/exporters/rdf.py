"""RDF in other syntaxes: N-Triples, JSON-LD (with a context) and TriG (with build metadata).

All come from the same triples as graph.ttl (`triples.ntriples`) and are written in a stable
order, so identical input gives byte-identical files. TriG puts the graph in a named
graph per build and describes that build (tool version, inputs with SHA-256 hashes, time,
counts) in the default graph with PROV-O. The time is SOURCE_DATE_EPOCH when set (the
reproducible-builds convention), else the newest input's modification time, never the
clock, so rebuilding the same input gives the same bytes.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from ..namespaces import BASE
from . import atomic_write
from .triples import PREFIXES, PROV, RDF, RDFS, XSD, kg, iri, number, ntriples, text, triple
from .turtle import convert, to_rdf, write_ntriples


CONTEXT = dict(PREFIXES)


def export_ntriples(graph: nx.MultiDiGraph, dest: Path) -> None:
    write_ntriples(graph, dest)


def export_jsonld(graph: nx.MultiDiGraph, dest: Path) -> None:
    doc = json.loads(to_rdf(graph).serialize(format="json-ld", context=CONTEXT, encoding="utf-8"))
    nodes = doc.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    doc["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
    with atomic_write(dest) as f:
        f.write(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def export_trig(graph: nx.MultiDiGraph, dest: Path) -> None:
    meta = graph.graph.get("build", {})
    build = f"{BASE}build/{meta.get('id', 'unknown')}"
    named = (line[:-1] + f"<{build}> .\n" for block in ntriples(graph) for line in block.splitlines())
    convert(chain(named, _build_triples(build, meta)), dest, ox.RdfFormat.TRIG, quads=True)


def _build_triples(build: str, meta: dict) -> Iterator[str]:
    """The build in the default graph: PROV activity, version, time, inputs, counts."""
    node = iri(build)
    yield triple(node, f"<{RDF}type>", f"<{PROV}Activity>")
    yield triple(node, f"<{RDF}type>", kg("Build"))
    yield triple(node, kg("toolVersion"), text(meta.get("version", "")))
    if meta.get("time"):
        yield triple(node, f"<{PROV}endedAtTime>", f'{text(meta["time"])}^^<{XSD}dateTime>')
    for name, digest in meta.get("inputs", []):
        used = iri(f"{BASE}input/sha256-{digest}")
        yield triple(node, f"<{PROV}used>", used)
        yield triple(used, kg("sourceFile"), text(name))
        yield triple(used, kg("sha256"), text(digest))
    for key, value in sorted(meta.get("counts", {}).items()):
        count = iri(f"{build}/count/{key.replace(' ', '-')}")
        yield triple(node, kg("hasCount"), count)
        yield triple(count, f"<{RDFS}label>", text(key))
        yield triple(count, f"<{RDF}value>", number(value))
