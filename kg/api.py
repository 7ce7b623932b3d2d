"""The library API the CLI is a thin layer over: build a graph, export it, query it.

    import kg
    result = kg.build(["examples/corpus"], "build/")
    print(result.summary())
"""
from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime, timezone
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import InputError, KgError
from .exporters import exporters
from .exporters.html import HtmlOptions, export_html
from .exporters.report import export_report
from .graph.from_rdf import read_graph
from .extraction import Extractor
from .graph import build_graph, concepts
from .linking.links import link
from .linking.papers import merge_papers
from .linking.works import add_corpus_name_mentions
from .model import CONCEPT_TYPES, Paper
from .query import format_results, load_graph, run_query
from .query.gaps import find_gaps, format_gaps
from .query.server import make_server
from .query.store import LARGE_BYTES, load_store, open_store, run_store_query
from .query.validate import Violation
from .query.validate import validate as validate_graph
from .readers import list_inputs, read_paths

Progress = Callable[[int, int], None]
LINK_NAMES = {
    "mentions": "paper-concept", "cooccurs": "co-occurrence", "cites": "citation",
    "mentionsWorkOf": "work-mention", "codeRepository": "code", "similarTo": "similar-paper",
    "evaluatedOn": "evaluated-on", "appliedTo": "applied-to", "recordedFrom": "recorded-from",
}


@dataclass
class BuildResult:
    """What a build made and where it wrote it."""

    graph: nx.MultiDiGraph
    records: int
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        g = self.graph
        kinds = Counter(d["kind"] if not d.get("stub") else "stub" for _, d in g.nodes(data=True))
        out = {"records": self.records, "papers": kinds["paper"], "cited works outside the corpus": kinds["stub"],
               "repositories": kinds["repository"]}
        for ctype in CONCEPT_TYPES:
            out[ctype] = sum(1 for _, d in concepts(g) if d["type"] == ctype and d["papers"] > 0)
        links = Counter(k for _, _, k in g.edges(keys=True))
        for key, name in LINK_NAMES.items():
            out[name] = links[key]
        return out

    def summary(self) -> str:
        c = self.counts()
        lines = [f"papers: {c['papers']} (from {c['records']} records; "
                 f"{c['cited works outside the corpus']} cited works outside the corpus)",
                 "concepts: " + ", ".join(f"{t.replace('_', ' ')} {c[t]}" for t in CONCEPT_TYPES),
                 "links: " + ", ".join(f"{c[name]} {name}" for name in LINK_NAMES.values()),
                 f"repositories: {c['repositories']}",
                 f"time: {self.seconds:.1f} s"]
        lines += [f"wrote {path}" for path in self.outputs.values()]
        return "\n".join(lines)


def read_papers(inputs: Iterable[str | Path]) -> tuple[list[tuple[str, Paper]], int]:
    """Read and merge every input; (IRI, paper) per distinct paper and the record count."""
    records = list(read_paths(inputs))
    if not records:
        raise InputError(", ".join(str(p) for p in inputs), "no papers found in the input")
    return merge_papers(records), len(records)


def build_model(inputs: Iterable[str | Path], vocab: Iterable[str | Path] = (),
                progress: Progress | None = None, builtin_vocab: bool = True) -> tuple[nx.MultiDiGraph, int]:
    """Read, extract and link: the graph model, and how many records were read.

    `vocab` adds SKOS files to the shipped vocabularies; `builtin_vocab=False` uses only them.
    """
    inputs = list(inputs)
    merged, count = read_papers(inputs)
    extractor = Extractor([Path(v) for v in vocab], builtin=builtin_vocab)
    by_paper = {id(p): iri for iri, p in merged}
    results = []
    for done, (paper, found) in enumerate(extractor.extract(p for _, p in merged), start=1):
        if progress:
            progress(done, len(merged))
        results.append((paper, found))
    add_corpus_name_mentions(extractor.nlp, results)
    graph = build_graph(((by_paper[id(p)], p, found) for p, found in results), extractor.vocabulary.concepts)
    link(graph, merged)
    graph.graph["build"] = build_metadata(inputs)
    return graph, count


def build_metadata(inputs: list[str | Path]) -> dict:
    """Tool version, input files with SHA-256 hashes, and a reproducible time (see rdf.py)."""
    from . import __version__

    paths = [(path, name) for root in inputs for path, name in list_inputs(Path(root))]
    files = [(name, hashlib.sha256(path.read_bytes()).hexdigest()) for path, name in paths]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else max(int(path.stat().st_mtime) for path, _ in paths)
    build_id = hashlib.sha256("".join(d for _, d in files).encode()).hexdigest()[:16]
    return {"id": build_id, "version": __version__, "inputs": files,
            "time": datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def export(graph: nx.MultiDiGraph, out_dir: str | Path,
           formats: Iterable[str] = ("turtle", "jsonl", "html", "report")) -> dict[str, Path]:
    """Write the graph in each format into `out_dir`; returns name -> path."""
    registry = exporters()
    written = {}
    for name in formats:
        filename, write = registry[name]
        dest = Path(out_dir) / filename
        write(graph, dest)
        written[name] = dest
    return written


def build(inputs: Iterable[str | Path], out_dir: str | Path, vocab: Iterable[str | Path] = (),
          progress: Progress | None = None, builtin_vocab: bool = True,
          rdf_formats: Iterable[str] = ("turtle",)) -> BuildResult:
    """Build the knowledge graph of `inputs`; write the RDF (graph.ttl by default; also
    graph.nt, graph.jsonld, graph.trig), mentions.jsonl, graph.html and report.html."""
    start = time.perf_counter()
    graph, count = build_model(inputs, vocab, progress, builtin_vocab)
    result = BuildResult(graph, count)
    graph.graph["build"]["counts"] = result.counts()
    result.outputs = export(graph, out_dir, [*rdf_formats, "jsonl", "html", "report"])
    result.seconds = time.perf_counter() - start
    return result


def query(graph_file: str | Path | None, sparql: str, fmt: str = "table", engine: str = "auto",
          store: str | Path | None = None) -> str:
    """Run SPARQL over an exported graph file (or a store made by `load`) and format the answer.

    engine "auto" uses Oxigraph for a store or a large file, rdflib otherwise; the answers
    are the same.
    """
    columns, rows = select_rows(graph_file, sparql, engine, store)
    return format_results(columns, rows, fmt)


def select_rows(graph_file: str | Path | None, sparql: str, engine: str = "auto",
                store: str | Path | None = None) -> tuple[list[str], list[list[str]]]:
    if store is not None:
        return run_store_query(open_store(store_dir=store), sparql)
    if graph_file is None:
        raise KgError("give a graph file or --store DIR")
    path = Path(graph_file)
    if engine == "oxigraph" or (engine == "auto" and path.is_file() and path.stat().st_size > LARGE_BYTES):
        return run_store_query(open_store(path), sparql)
    return run_query(load_graph(path), sparql)


def serve(graph_file: str | Path | None = None, store: str | Path | None = None, host: str = "127.0.0.1",
          port: int = 7878, timeout: float = 30.0):
    """A read-only SPARQL endpoint over a graph file or a store; call `serve_forever()`."""
    if graph_file is None and store is None:
        raise KgError("give a graph file or --store DIR")
    return make_server(open_store(graph_file, store), host, port, timeout)


def load(graph_file: str | Path, store_dir: str | Path) -> int:
    """Bulk-load an exported graph into a persistent Oxigraph store; returns its size."""
    return load_store(graph_file, store_dir)


def html(graph_file: str | Path, dest: str | Path, options: HtmlOptions = HtmlOptions()) -> Path:
    """Draw an exported graph (or the neighbourhood of one node) as an interactive page."""
    export_html(read_graph(graph_file), Path(dest), options)
    return Path(dest)


def report(graph_file: str | Path, dest: str | Path) -> Path:
    """Write the summary page (bar charts, heat maps) of an exported graph."""
    export_report(read_graph(graph_file), Path(dest))
    return Path(dest)


def validate(graph_file: str | Path) -> list[Violation]:
    """SHACL violations of an exported graph against ontology/shapes.ttl (empty: it conforms)."""
    return validate_graph(load_graph(graph_file))


def gaps(graph_file: str | Path, rows: str = "method", cols: str = "brain_region", min_papers: int = 3,
         limit: int = 20, fmt: str = "table") -> str:
    """The most under-explored pairs of two concept types, formatted."""
    found = find_gaps(load_graph(graph_file), rows, cols, min_papers, limit)
    return format_results(*format_gaps(found, rows, cols), fmt)


def extract(text: str, vocab: Iterable[str | Path] = ()) -> list[dict]:
    """What extraction finds in free text: one dict per mention."""
    found = Extractor([Path(v) for v in vocab]).extract_text(text)
    return [{"type": cm.concept.type, "label": cm.concept.label, "iri": cm.concept.iri, "text": m.text,
             "start": m.start, "end": m.end, "rule": m.rule, "proposed": cm.proposed}
            for cm in found for m in cm.mentions]
