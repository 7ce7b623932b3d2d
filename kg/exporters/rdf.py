"""RDF in other syntaxes: N-Triples, JSON-LD (with a context) and TriG (with build metadata).

All come from the same triples as graph.ttl (`turtle.to_rdf`) and are written in a stable
order, so identical input gives byte-identical files. TriG puts the graph in a named
graph per build and describes that build (tool version, inputs with SHA-256 hashes, time,
counts) in the default graph with PROV-O. The time is SOURCE_DATE_EPOCH when set (the
reproducible-builds convention), else the newest input's modification time, never the
clock, so rebuilding the same input gives the same bytes.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import PROV

from ..namespaces import BASE, KG
from . import atomic_write
from .turtle import to_rdf

CONTEXT = {
    "kg": str(KG), "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/", "prov": "http://www.w3.org/ns/prov#", "cito": "http://purl.org/spar/cito/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def export_ntriples(graph: nx.MultiDiGraph, dest: Path) -> None:
    lines = sorted(set(to_rdf(graph).serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()) - {""})
    with atomic_write(dest) as f:
        f.write("\n".join(lines) + "\n")


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
    build = URIRef(f"{BASE}build/{meta.get('id', 'unknown')}")
    ds = Dataset()
    for prefix, ns in to_rdf(nx.MultiDiGraph()).namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    named = ds.graph(build)
    for triple in to_rdf(graph):
        named.add(triple)
    ds.add((build, RDF.type, PROV.Activity))
    ds.add((build, RDF.type, KG.Build))
    ds.add((build, KG.toolVersion, Literal(meta.get("version", ""))))
    if meta.get("time"):
        ds.add((build, PROV.endedAtTime, Literal(meta["time"], datatype=XSD.dateTime)))
    for name, digest in meta.get("inputs", []):
        used = URIRef(f"{BASE}input/sha256-{digest}")
        ds.add((build, PROV.used, used))
        ds.add((used, KG.sourceFile, Literal(name)))
        ds.add((used, KG.sha256, Literal(digest)))
    for key, value in sorted(meta.get("counts", {}).items()):
        count = URIRef(f"{build}/count/{key.replace(' ', '-')}")
        ds.add((build, KG.hasCount, count))
        ds.add((count, RDFS.label, Literal(key)))
        ds.add((count, RDF.value, Literal(value)))
    data = ds.serialize(format="trig", encoding="utf-8")
    with atomic_write(dest, "wb") as f:
        f.write(data)
