"""The library API the CLI is a thin layer over: build a graph, export it, query it.

    import kg
    result = kg.build(["examples/corpus"], "build/")
    print(result.summary())
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import FormatError, InputError, InputWarning, KgError
from .exporters import EXCHANGE_FORMATS, FORMATS, exporter, resolve_formats
from .exporters.html import HtmlOptions, export_html
from .exporters.report import export_report
from .graph.from_rdf import read_graph
from .heap import frozen_heap
from .stages import Stopwatch
from .extraction.cache import MentionCache
from .extraction.packing import unpack
from .extraction.runner import Counts, ExtractorSpec, check_jobs, extract_corpus, extractor_for
from .graph import build_graph, concepts
from .linking.links import link
from .linking.papers import Merge, merge_papers, merge_summary
from .linking.similarity import pairs_process
from .linking.works import add_corpus_name_mentions
from .model import CONCEPT_TYPES, Paper
from .query import format_results, load_graph, run_query
from .query.gaps import find_gaps, format_gaps
from .query.trends import timeline_rows
from .linking.trends import Timeline, TrendOptions, concept_timeline
from .query.server import make_server
from .query.store import load_store, open_store, run_store_query
from .query.validate import Violation
from .query.validate import validate as validate_graph
from .readers import list_inputs, read_paths

Progress = Callable[[int, int], None]
CACHE_DIR = ".kg-cache"
LINK_NAMES = {
    "mentions": "paper-concept", "cooccurs": "co-occurrence", "cites": "citation",
    "mentionsWorkOf": "work-mention", "codeRepository": "code", "similarTo": "similar-paper",
    "evaluatedOn": "evaluated-on", "appliedTo": "applied-to", "recordedFrom": "recorded-from",
}


@dataclass
class Corpus:
    """The distinct papers of the inputs, with what reading and merging them found."""

    papers: list[tuple[str, Paper]]  # (IRI, merged paper)
    records: int
    problems: list[InputError] = field(default_factory=list)  # bad records, skipped
    merges: list[Merge] = field(default_factory=list)
    extraction: Counts = field(default_factory=Counts)  # papers extracted / taken from the cache
    warnings: list[InputWarning] = field(default_factory=list)  # records read, but maybe not as meant


@dataclass
class BuildResult:
    """What a build made and where it wrote it."""

    graph: nx.MultiDiGraph
    records: int
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    problems: list[InputError] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    extraction: Counts = field(default_factory=Counts)
    stopwatch: Stopwatch = field(default_factory=Stopwatch)
    warnings: list[InputWarning] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        g = self.graph
        kinds = Counter(d["kind"] if not d.get("stub") else "stub" for _, d in g.nodes(data=True))
        title_only = sum(1 for _, d in g.nodes(data=True) if d["kind"] == "paper" and not d.get("stub")
                         and not d.get("abstract"))
        out = {"records": self.records, "skipped records": len(self.problems), "papers": kinds["paper"],
               "title-only papers": title_only, "cited works outside the corpus": kinds["stub"],
               "repositories": kinds["repository"]}
        for ctype in CONCEPT_TYPES:
            out[ctype] = sum(1 for _, d in concepts(g) if d["type"] == ctype and d["papers"] > 0)
        links = Counter(k for _, _, k in g.edges(keys=True))
        for key, name in LINK_NAMES.items():
            out[name] = links[key]
        return out

    def summary(self) -> str:
        c = self.counts()
        lines = [f"papers: {c['papers']} (from {c['records']} records; {c['title-only papers']} with a title only; "
                 f"{c['cited works outside the corpus']} cited works outside the corpus)",
                 f"merged: {merge_summary(self.merges)}"]
        if self.problems:
            lines.append(f"skipped {len(self.problems)} bad record(s): {_first_five(self.problems)}")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s): {_first_five(self.warnings)}")
        lines += ["concepts: " + ", ".join(f"{t.replace('_', ' ')} {c[t]}" for t in CONCEPT_TYPES),
                  "links: " + ", ".join(f"{c[name]} {name}" for name in LINK_NAMES.values()),
                  f"repositories: {c['repositories']}",
                  f"extracted: {self.extraction.extracted} papers ({self.extraction.cached} more from the cache)",
                  f"time: {self.seconds:.1f} s", f"stages: {self.stopwatch.summary()}"]
        lines += [f"wrote {path}" for path in self.outputs.values()]
        return "\n".join(lines)


def _first_five(items: list[InputError] | list[InputWarning]) -> str:
    more = f" (and {len(items) - 5} more)" if len(items) > 5 else ""
    return "; ".join(str(i) for i in items[:5]) + more


def read_corpus(inputs: Iterable[str | Path], strict: bool = False) -> Corpus:
    """Read and merge every input. Bad records are skipped and listed in `problems`
    (with `strict`, the first one is raised instead); warnings are listed in `warnings`."""
    inputs = list(inputs)
    problems: list[InputError] = []
    warnings: list[InputWarning] = []
    records = list(read_paths(inputs, strict=strict, problems=problems, warnings=warnings))
    if not records and problems:  # every record was bad: that is the error to show
        raise problems[0] if len(problems) == 1 else KgError(
            f"{problems[0]} (and {len(problems) - 1} more bad records; no papers read)")
    if not records:
        raise InputError(", ".join(str(p) for p in inputs), "no papers found in the input")
    merges: list[Merge] = []
    return Corpus(merge_papers(records, merges), len(records), problems, merges, warnings=warnings)


def build_model(inputs: Iterable[str | Path], vocab: Iterable[str | Path] = (),
                progress: Progress | None = None, builtin_vocab: bool = True, *, strict: bool = False,
                jobs: int = 1, scheduler: str | None = None,
                cache_dir: str | Path | None = None, model: str | Path | bool = True,
                watch: Stopwatch | None = None) -> tuple[nx.MultiDiGraph, Corpus]:
    """Read, extract and link: the graph model (frozen: it is final), and the corpus it was built from.

    `vocab` adds SKOS files to the shipped vocabularies; `builtin_vocab=False` uses only them.
    Extraction runs in `jobs` processes, or on the Dask cluster at `scheduler`; with a
    `cache_dir`, papers extracted by an earlier build (same text, same extractor) are not
    extracted again. `model` is True for the shipped recognizer, a directory `kg train`
    wrote for another, False for rules and vocabularies alone. `watch` gets the seconds of
    each stage.
    """
    inputs = list(inputs)
    watch = watch or Stopwatch()
    with frozen_heap(), pairs_process(jobs) as pool:  # forked before the heap grows (see pairs_process)
        with watch.stage("read"):
            corpus = read_corpus(inputs, strict)
            metadata = build_metadata(inputs)
        with watch.stage("pipeline"):
            spec = ExtractorSpec.from_files([Path(v) for v in vocab], builtin_vocab, model)
            known = extractor_for(spec).vocabulary.concepts
        papers = [p for _, p in corpus.papers]
        cache = MentionCache(cache_dir) if cache_dir is not None else None
        try:
            with watch.stage("extract"):
                packed = extract_corpus(papers, spec, check_jobs(jobs), scheduler, cache, progress, corpus.extraction)
                results = [(paper, unpack(found, known)) for paper, found in zip(papers, packed)]
            with watch.stage("corpus names"):
                add_corpus_name_mentions(results, spec, jobs, scheduler, cache)
        finally:
            if cache is not None:
                cache.close()
        with watch.stage("model"):
            graph = build_graph(((iri, p, found) for (iri, _), (p, found) in zip(corpus.papers, results)), known)
        link(graph, corpus.papers, watch, pool)
        graph.graph["build"] = metadata
        return nx.freeze(graph), corpus


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
           formats: Iterable[str] = ("turtle", "jsonl", "html", "report"),
           watch: Stopwatch | None = None) -> dict[str, Path]:
    """Write the graph in each format into `out_dir`; returns name -> path.

    All or nothing: the files are written into a folder of their own inside `out_dir` and
    moved into place together once every one is whole, so a failure (a full disk, a
    killed process) leaves the files of an earlier build as they were. The folder a killed
    export left behind is removed by the next one into `out_dir`."""
    formats = resolve_formats(formats)
    watch = watch or Stopwatch()
    out = writable_dir(out_dir)
    for stale in out.glob(f"{STAGING}*"):
        shutil.rmtree(stale, ignore_errors=True)
    written = {}
    with tempfile.TemporaryDirectory(dir=out, prefix=STAGING) as staging:
        for name in formats:
            filename, write = exporter(name)
            written[name] = out / filename
            with watch.stage(filename), writing(written[name]):
                write(graph, Path(staging) / filename)
        for dest in written.values():
            with writing(dest):
                os.replace(Path(staging) / dest.name, dest)
    return written


STAGING = ".kg-export-"


def writable_dir(path: str | Path, create: bool = True) -> Path:
    """`path`, checked to be a directory that takes new files (made first if need be, with
    `create`; without it, a directory not there yet is left to be made when written to)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise KgError(f"{path}: is a file; the outputs need a directory")
    if create or path.exists():
        with writing(path):
            path.mkdir(parents=True, exist_ok=True)
            tempfile.TemporaryFile(dir=path).close()
    return path


@contextmanager
def writing(dest: Path) -> Iterator[None]:
    """An OSError writing `dest` (a full disk, a read-only directory) as one line naming it."""
    try:
        yield
    except OSError as e:
        raise KgError(f"{dest}: cannot write ({e.strerror or e}); files already there are left as they were") from None


def build(inputs: Iterable[str | Path], out_dir: str | Path, vocab: Iterable[str | Path] = (),
          progress: Progress | None = None, builtin_vocab: bool = True,
          rdf_formats: Iterable[str] = ("turtle",), *, strict: bool = False, jobs: int = 1,
          scheduler: str | None = None, cache: str | Path | bool = True,
          model: str | Path | bool = True, formats: Iterable[str] = ()) -> BuildResult:
    """Build the knowledge graph of `inputs`; write the RDF (graph.ttl by default; also
    graph.nt, graph.jsonld, graph.trig), mentions.jsonl, graph.html and report.html, and
    the files of `formats` (graphml, gexf, cytoscape, csv, vosviewer: see kg.exporters.FORMATS).

    `cache` True keeps extraction results in `out_dir/.kg-cache` for the next build, a
    path keeps them there, False keeps none. `model`: the shipped recognizer (True), a
    model directory, or rules only (False). Bad records are skipped and reported in the
    result (`strict` makes the first one an error)."""
    start = time.perf_counter()
    outputs = resolve_formats([*rdf_formats, *formats, "jsonl", "html", "report"])  # a bad name fails now, not after the build
    cache_dir = Path(out_dir) / CACHE_DIR if cache is True else (Path(cache) if cache else None)
    writable_dir(out_dir, create=False)  # before a long build, not after
    with frozen_heap():
        watch = Stopwatch()
        graph, corpus = build_model(inputs, vocab, progress, builtin_vocab, strict=strict, jobs=jobs,
                                    scheduler=scheduler, cache_dir=cache_dir, model=model, watch=watch)
        result = BuildResult(graph, corpus.records, problems=corpus.problems, merges=corpus.merges,
                             extraction=corpus.extraction, stopwatch=watch, warnings=corpus.warnings)
        graph.graph["build"]["counts"] = result.counts()
        result.outputs = export(graph, out_dir, outputs, result.stopwatch)
    result.seconds = time.perf_counter() - start
    return result


def export_graph(graph_file: str | Path, fmt: str, dest: str | Path | None = None) -> list[Path]:
    """Write an exported graph (graph.ttl) in an exchange format (graphml, gexf, cytoscape,
    csv, vosviewer, ...; `EXCHANGE_FORMATS` and their aliases); returns the files written.

    `dest` is the file to write, or the directory to write the format's file(s) into under
    their usual names (nodes.csv and edges.csv for `csv`); by default the current directory."""
    names = resolve_formats([fmt])
    if not set(names) <= set(EXCHANGE_FORMATS):
        raise FormatError(f"kg export writes {', '.join(EXCHANGE_FORMATS)}, csv and vosviewer, not {fmt} "
                          f"(kg build writes it)")
    target = Path(dest) if dest is not None else Path(".")
    to_file = len(names) == 1 and dest is not None and not target.is_dir()
    paths = {name: target if to_file else target / FORMATS[name][0] for name in names}
    graph = nx.freeze(read_graph(graph_file))
    for name, path in paths.items():
        with writing(path):
            exporter(name)[1](graph, path)
    return list(paths.values())


def query(graph_file: str | Path | None, sparql: str, fmt: str = "table", engine: str = "auto",
          store: str | Path | None = None) -> str:
    """Run SPARQL over an exported graph file (or a store made by `load`) and format the answer.

    engine "auto" (and "oxigraph") answers from Oxigraph, "rdflib" from rdflib; the
    answers are the same, Oxigraph's ten to a hundred times sooner.
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
    if engine == "rdflib":
        return run_query(load_graph(path), sparql)
    return run_store_query(open_store(path), sparql)


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
    graph = read_graph(graph_file)
    with writing(Path(dest)):
        export_html(graph, Path(dest), options)
    return Path(dest)


def report(graph_file: str | Path, dest: str | Path) -> Path:
    """Write the summary page (bar charts, heat maps) of an exported graph."""
    graph = read_graph(graph_file)
    with writing(Path(dest)):
        export_report(graph, Path(dest))
    return Path(dest)


def validate(graph_file: str | Path, engine: str = "oxigraph") -> list[Violation]:
    """SHACL violations of an exported graph against ontology/shapes.ttl (empty: it conforms);
    `engine` "oxigraph" (the shapes as SPARQL, kg.query.shacl) or "rdflib" (pySHACL)."""
    if engine == "oxigraph":
        return validate_graph(open_store(graph_file))
    return validate_graph(load_graph(graph_file), engine="rdflib")


def gaps(graph_file: str | Path, rows: str = "method", cols: str = "brain_region", min_papers: int = 3,
         limit: int = 20, fmt: str = "table", min_expected: float = 1.5) -> str:
    """The most under-explored pairs of two concept types, formatted, each with its
    hypergeometric p (see kg.query.gaps)."""
    found = find_gaps(load_graph(graph_file), rows, cols, min_papers, limit, min_expected)
    return format_results(*format_gaps(found, rows, cols), fmt)


def timeline(graph_file: str | Path, options: TrendOptions = TrendOptions()) -> tuple[nx.MultiDiGraph, Timeline]:
    """The graph model of an exported graph and its timeline with `options`: each dated
    concept's papers per year, first and mean year, trend and Kleinberg bursts
    (see kg.linking.trends for the definitions)."""
    graph = read_graph(graph_file)
    return graph, concept_timeline(graph, options)


def trends(graph_file: str | Path, options: TrendOptions = TrendOptions(), types: Iterable[str] = (),
           sort: str = "papers", limit: int = 30, fmt: str = "table") -> str:
    """The trends table of an exported graph (concept, type, papers, first year, mean
    year, trend, bursts), formatted."""
    graph, found = timeline(graph_file, options)
    if not found.years:
        raise KgError(f"{graph_file}: no paper has a year, so there are no trends")
    return format_results(*timeline_rows(graph, found, tuple(types), sort, limit), fmt)


def extract(text: str, vocab: Iterable[str | Path] = (), model: str | Path | bool = True) -> list[dict]:
    """What extraction finds in free text: one dict per mention."""
    found = extractor_for(ExtractorSpec.from_files([Path(v) for v in vocab], model=model)).extract_text(text)
    return [{"type": cm.concept.type, "label": cm.concept.label, "iri": cm.concept.iri, "text": m.text,
             "start": m.start, "end": m.end, "rule": m.rule, "confidence": m.confidence, "proposed": cm.proposed}
            for cm in found for m in cm.mentions]


def extract_relations(text: str, vocab: Iterable[str | Path] = (), model: str | Path | bool = True) -> list[dict]:
    """The typed relations free text states (as `build` reads them): one dict per
    (relation, subject, object) and sentence, with the classifier's probability and the
    confidence it calibrates to (the precision measured for such pairs on held-out papers)."""
    from .linking.relations import stated_relations

    extractor = extractor_for(ExtractorSpec.from_files([Path(v) for v in vocab], model=model))
    found = extractor.extract_text(text)
    labels = {cm.concept.iri: cm.concept.label for cm in found}
    return [{"relation": c.relation, "subject": labels[c.subject], "object": labels[c.object],
             "subject_iri": c.subject, "object_iri": c.object, "confidence": round(c.confidence, 3),
             "probability": round(c.probability, 3),
             "sentence": c.sentence[2]} for c in stated_relations(found, extractor.vocabulary.concepts)]


def train(gold: Iterable[str | Path], out_dir: str | Path, texts: Iterable[str | Path] = (), *, folds: int = 5,
          seed: int = 0, epochs: int | None = None, jobs: int = 1):
    """Train a recognizer on annotated papers (`GUIDELINES.md` lines, or span-annotated
    `{"id", "text", "entities"}` lines) and write it to `out_dir` for `build(model=...)`.
    Guideline lines without an abstract take their text from the papers of `texts` (any
    input `build` reads), joined by title. With `folds` >= 2 it cross-validates first:
    the result holds every paper's held-out predictions and scores."""
    from .training import train as train_model

    papers = [p for _, p in read_corpus(texts).papers] if texts else []
    return train_model(gold, out_dir, papers, folds=folds, seed=seed, epochs=epochs, jobs=check_jobs(jobs))


def train_relations(gold: Iterable[str | Path], relations: Iterable[str | Path], out: str | Path,
                    texts: Iterable[str | Path] = (), *, folds: int = 5, seed: int = 0):
    """Train the relation classifier (`kg/linking/statements.py`) on annotated papers and
    their annotated relations, and write its weights to `out`; with `folds` >= 2 it
    cross-validates first (the result's `scores()`)."""
    from .training.relations import train_relations as train_classifier

    papers = [p for _, p in read_corpus(texts).papers] if texts else []
    return train_classifier(gold, relations, out, papers, folds=folds, seed=seed)
