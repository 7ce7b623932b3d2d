"""The `kg` command: a thin face on the library API (kg.api).

Each command parses options, calls one library function and prints. A `KgError` (bad
input, bad query) becomes a one-line `Error: ...` and exit status 1, never a traceback.
"""
from __future__ import annotations

import difflib
import functools
import gc
import json
import logging
import re
import sys
from pathlib import Path

import click

from . import api
from .errors import FormatError, KgError
from .exporters import EXCHANGE_FORMATS, RDF_FORMATS, resolve_formats
from .exporters.html import HtmlOptions
from .query.push import DEFAULT_GRAPH
from .query.push import push as push_graph
from .linking.trends import TrendOptions
from .model import CONCEPT_TYPES
from .query.trends import SORTS
from .resources import queries_dir

TYPES = list(CONCEPT_TYPES)
QUERIES = queries_dir()


class _BadFormat(click.ClickException):
    """`Error: ...` in one line (a click UsageError would add the usage lines), with exit
    status 2 like every malformed command line."""

    exit_code = 2


class PathParam(click.Path):
    """A path option or argument whose wrong kind (missing, a file for a directory, ...) is
    an error about the input, exit status 1, not a malformed command line (2)."""

    def fail(self, message: str, param: click.Parameter | None = None, ctx: click.Context | None = None):
        hint = param.get_error_hint(ctx) if param is not None and ctx is not None else ""
        raise click.ClickException(f"{hint}: {message}" if hint else message)


def user_errors(func):
    """Turn library errors into click errors: one line, exit status 1 (2 for a bad format
    name, a malformed command line)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except FormatError as e:
            raise _BadFormat(str(e)) from None
        except KgError as e:
            raise click.ClickException(str(e)) from None
    return wrapper


vocab_option = click.option("--vocab", "vocab", multiple=True, type=PathParam(dir_okay=False),
                            help="Extra SKOS vocabulary (Turtle) to match; repeatable.")


texts_option = click.option(
    "--texts", multiple=True, type=PathParam(exists=True),
    help="Papers (any input kg build reads) whose titles join annotated lines without an abstract; repeatable.")


def model_options(func):
    """--model DIR / --no-model, passed on as `model`: True (shipped), a directory, or False."""
    @click.option("--model", "model_dir", type=PathParam(file_okay=False, exists=True),
                  help="A recognizer `kg train` made, instead of the shipped one.")
    @click.option("--no-model", is_flag=True, help="Rules and vocabularies only, no trained recognizer (faster).")
    @functools.wraps(func)
    def wrapper(*args, model_dir: str | None, no_model: bool, **kwargs):
        if model_dir and no_model:
            raise click.UsageError("--model and --no-model exclude each other")
        return func(*args, model=False if no_model else (model_dir or True), **kwargs)
    return wrapper


def run() -> None:
    """The `kg` program. When a command is done the process ends: the operating system
    takes its memory back, and the last garbage collection, which would walk every object
    left (a built graph's views point back at it), is skipped: 7.8 of 8 s of exit after a
    100k-paper build."""
    try:
        main()
    finally:
        gc.freeze()


@click.group()
@click.version_option(package_name="kg")
def main() -> None:
    """Turn research-paper abstracts into a citation/concept knowledge graph."""
    log = logging.getLogger("kg")
    if not any(isinstance(h, _EchoWarnings) for h in log.handlers):
        log.addHandler(_EchoWarnings())
        log.propagate = False


class _EchoWarnings(logging.Handler):
    """The library's warnings (a damaged cache it starts again) as `Warning: ...` lines on
    standard error, where click writes `Error: ...`."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"Warning: {record.getMessage()}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=PathParam())
@click.option("-o", "--out", "out_dir", default="build", show_default=True, type=PathParam(),
              help="Directory for graph.ttl, mentions.jsonl, graph.html and report.html.")
@vocab_option
@click.option("--no-builtin-vocab", is_flag=True, help="Match only the --vocab files, not the shipped vocabularies.")
@click.option("--format", "formats", multiple=True, metavar="FORMAT",
              help="Also write FORMAT; repeatable. RDF syntaxes: turtle (ttl), nt, jsonld, trig (graph.ttl unless "
                   "another is named); for graph tools: graphml, gexf (Gephi), cytoscape (graph.cyjs), csv "
                   "(nodes.csv, edges.csv), vosviewer (vosviewer_map.txt, vosviewer_network.txt, vosviewer.json).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping and reporting it.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in this many processes; with 2 or more, similar papers are found in a second process.")
@click.option("--scheduler", metavar="ADDRESS", help="Extract on the Dask cluster at ADDRESS (tcp://host:8786).")
@click.option("--cache", "cache_dir", type=PathParam(),
              help="Where to keep extraction results for the next build [default: OUT/.kg-cache].")
@click.option("--no-cache", is_flag=True, help="Extract every paper again and keep nothing.")
@model_options
@user_errors
def build(inputs: tuple[str, ...], out_dir: str, vocab: tuple[str, ...], no_builtin_vocab: bool,
          formats: tuple[str, ...], strict: bool, jobs: int, scheduler: str | None, cache_dir: str | None,
          no_cache: bool, model: str | bool) -> None:
    """Build the graph of INPUTS: files or directories of BibTeX, RIS, CSL-JSON, arXiv Atom,
    OpenAlex or Semantic Scholar JSON, PubMed XML, JSON Lines, CSV or saved listing pages."""
    chosen = resolve_formats(formats)
    rdf_formats = [f for f in chosen if f in RDF_FORMATS] or ["turtle"]
    cache = False if no_cache else (cache_dir or True)
    with _progress() as progress:
        result = api.build(inputs, out_dir, vocab=vocab, progress=progress, builtin_vocab=not no_builtin_vocab,
                           rdf_formats=rdf_formats, strict=strict, jobs=jobs, scheduler=scheduler, cache=cache,
                           model=model, formats=[f for f in chosen if f not in RDF_FORMATS])
    click.echo(result.summary())


@main.command()
@click.argument("graph", required=False, type=PathParam())
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=PathParam(dir_okay=False), help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="How to print the answer.")
@click.option("--engine", type=click.Choice(["auto", "rdflib", "oxigraph"]), default="auto", show_default=True,
              help="auto and oxigraph: Oxigraph (fast); rdflib: rdflib (same answers, slower).")
@click.option("--store", "store", type=PathParam(file_okay=False), help="Query a store made by `kg load`.")
@click.option("--list", "list_queries", is_flag=True, help="List the example queries and what each answers.")
@user_errors
def query(graph: str | None, sparql: str | None, query_file: str | None, fmt: str, engine: str, store: str | None,
          list_queries: bool) -> None:
    """Run a SPARQL query (a string, a .rq file, or the NAME of an example query) over an
    exported GRAPH or a --store."""
    if list_queries:
        for name, question in example_queries().items():
            click.echo(f"{name:<32}{question}")
        return
    if store and graph and sparql is None and query_file is None:
        graph, sparql = None, graph  # `kg query --store DIR QUERY`
    click.echo(api.query(graph, _query_text(sparql, query_file), fmt, engine=engine, store=store))


@main.command()
@click.argument("graph", required=False, type=PathParam())
@click.option("--store", "store", type=PathParam(file_okay=False), help="Serve a store made by `kg load`.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on (0: any free one).")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Query time limit in seconds; past it the client gets HTTP 503.")
@user_errors
def serve(graph: str | None, store: str | None, host: str, port: int, timeout: float) -> None:
    """Serve GRAPH (or --store DIR) as a read-only SPARQL 1.1 endpoint at /sparql.

    One thread per client; request bodies over 64 KiB get HTTP 413, results over 64 MiB
    and queries past --timeout get 503, a client silent for 10 s is disconnected."""
    server = api.serve(graph, store, host, port, timeout)
    click.echo(f"SPARQL endpoint: http://{host}:{server.server_port}/sparql (read-only; Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.argument("graph", type=PathParam())
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://localhost:7878/store.")
@click.option("--graph", "graph_iri", default=DEFAULT_GRAPH, show_default=True, help="Named graph to replace.")
@click.option("--user", help="User name, for servers that require authentication (Virtuoso).")
@click.option("--password", help="Password for --user.")
@user_errors
def push(graph: str, endpoint: str, graph_iri: str, user: str | None, password: str | None) -> None:
    """Upload GRAPH to a SPARQL server, replacing the named graph in one request."""
    status = push_graph(graph, endpoint, graph_iri, user, password)
    click.echo(f"pushed {graph} to {endpoint} as <{graph_iri}> (HTTP {status})")


@main.command()
@click.argument("graph", type=PathParam())
@click.option("--store", "store", required=True, type=PathParam(file_okay=False), help="Directory of the store.")
@user_errors
def load(graph: str, store: str) -> None:
    """Bulk-load an exported GRAPH into a persistent Oxigraph store for fast queries."""
    click.echo(f"loaded {api.load(graph, store)} triples into {store}")


@main.command()
@click.argument("graph", type=PathParam())
@click.option("-o", "--out", "dest", default="graph.html", show_default=True, type=PathParam(dir_okay=False),
              help="The page to write.")
@click.option("--max-nodes", type=int, default=1500, show_default=True, help="Draw only the N most linked nodes.")
@click.option("--focus", help="Draw the neighbourhood of this concept label or paper title.")
@click.option("--depth", type=int, default=2, show_default=True, help="How many links out from --focus.")
@click.option("--color", type=click.Choice(["cluster", "year", "type", "community"]), default="cluster",
              show_default=True, help="The colour the page opens with: cluster (community), mean year or type.")
@click.option("--size", type=click.Choice(["papers", "degree", "pagerank"]), default="papers", show_default=True,
              help="Size concepts by the papers mentioning them, their number of links, or PageRank.")
@user_errors
def html(graph: str, dest: str, max_nodes: int, focus: str | None, depth: int, color: str, size: str) -> None:
    """Draw an exported GRAPH as an interactive page that opens offline."""
    options = HtmlOptions(max_nodes=max_nodes, focus=focus, depth=depth, color=color, size=size)
    click.echo(f"wrote {api.html(graph, dest, options)}")


@main.command()
@click.argument("graph", type=PathParam())
@click.option("-o", "--out", "dest", default="report.html", show_default=True, type=PathParam(dir_okay=False),
              help="The report page to write.")
@user_errors
def report(graph: str, dest: str) -> None:
    """Write the summary page of an exported GRAPH: top concepts and heat maps."""
    click.echo(f"wrote {api.report(graph, dest)}")


@main.command()
@click.argument("graph", type=PathParam())
@click.option("--to", "fmt", required=True, metavar="FORMAT",
              help=f"The format to write: {', '.join(EXCHANGE_FORMATS)}, or csv (both tables) or vosviewer "
                   "(map, network and JSON files).")
@click.option("-o", "--out", "dest", type=PathParam(),
              help="The file to write, or a directory to write the format's file(s) into under their usual "
                   "names [default: the current directory].")
@user_errors
def export(graph: str, fmt: str, dest: str | None) -> None:
    """Write an exported GRAPH (graph.ttl) for Gephi, Cytoscape, VOSviewer or a spreadsheet."""
    for path in api.export_graph(graph, fmt, dest):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("graph", type=PathParam())
@click.option("--rows", type=click.Choice(TYPES), default="method", show_default=True,
              help="Concept type of the first member of each pair.")
@click.option("--cols", type=click.Choice(TYPES), default="brain_region", show_default=True,
              help="Concept type of the second member of each pair.")
@click.option("--min-papers", type=int, default=3, show_default=True, help="Only concepts in at least this many papers.")
@click.option("--min-expected", type=float, default=1.5, show_default=True,
              help="Only pairs that independence predicts in at least this many papers: below it, "
                   "no paper with both is no evidence of a gap.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many pairs to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="How to print the pairs.")
@user_errors
def gaps(graph: str, rows: str, cols: str, min_papers: int, min_expected: float, limit: int, fmt: str) -> None:
    """Under-explored combinations: pairs ranked by expected minus observed papers.

    expected = papers(row) * papers(col) / papers. p is the hypergeometric probability of
    so few papers with both (observed or fewer) if the two were independent, given how
    many papers each is in (one-sided Fisher's exact test)."""
    click.echo(api.gaps(graph, rows, cols, min_papers, limit, fmt, min_expected))


@main.command()
@click.argument("graph", type=PathParam())
@click.option("--type", "types", multiple=True, type=click.Choice(TYPES),
              help="Only concepts of this type; repeatable [default: all types].")
@click.option("--sort", type=click.Choice(SORTS), default="papers", show_default=True,
              help="Order: most dated papers, trend (rising first), strongest burst, earliest first year, "
                   "earliest mean year.")
@click.option("--limit", type=click.IntRange(min=0), default=30, show_default=True,
              help="How many concepts to list (0: all).")
@click.option("--window", type=click.IntRange(min=2), default=TrendOptions.window, show_default=True,
              help="Fit the trend over the last N years of the corpus.")
@click.option("--min-papers", type=click.IntRange(min=1), default=TrendOptions.min_papers, show_default=True,
              help="Give a trend only to concepts in at least this many papers of the window.")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True), default=TrendOptions.alpha, show_default=True,
              help="False discovery rate (Benjamini-Hochberg, over the concepts tested) below which a trend "
                   "is rising or declining rather than flat.")
@click.option("-s", "--burst-rate", "s", type=click.FloatRange(1, min_open=True), default=TrendOptions.s,
              show_default=True, help="Kleinberg's s: the burst state's rate is s times the concept's base rate.")
@click.option("--gamma", type=click.FloatRange(min=0), default=TrendOptions.gamma, show_default=True,
              help="Kleinberg's gamma: entering the burst state costs gamma x ln(number of years); "
                   "higher: fewer bursts.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="How to print the table.")
@user_errors
def trends(graph: str, types: tuple[str, ...], sort: str, limit: int, window: int, min_papers: int, alpha: float,
           s: float, gamma: float, fmt: str) -> None:
    """The field over time: for each concept of an exported GRAPH, its dated papers, first
    and mean year, trend and bursts.

    Trend: slope of the concept's share of each year's papers over the last --window
    years (weighted least squares, in percentage points a year), tested by Cochran-Armitage;
    q is its Benjamini-Hochberg adjusted p. Bursts: Kleinberg's two-state automaton over
    yearly paper counts (CiteSpace's), as START-END (strength: Kleinberg's weight)."""
    options = TrendOptions(window=window, min_papers=min_papers, alpha=alpha, s=s, gamma=gamma)
    click.echo(api.trends(graph, options, types, sort, limit, fmt))


@main.command()
@click.argument("graph", type=PathParam())
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="oxigraph: the shapes as SPARQL queries (fast); rdflib: pySHACL (the reference, slower).")
@user_errors
def validate(graph: str, engine: str) -> None:
    """Check an exported GRAPH against the SHACL shapes (ontology/shapes.ttl)."""
    violations = api.validate(graph, engine)
    for v in violations:
        click.echo(f"{v.focus}  {v.path}  {v.message}")
    if violations:
        raise click.ClickException(f"{len(violations)} SHACL violation(s)")
    click.echo("conforms: 0 violations")


@main.command()
@click.argument("text")
@vocab_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--relations", is_flag=True,
              help="Show the typed relations the text states (evaluatedOn, appliedTo, recordedFrom) instead of mentions.")
@model_options
@user_errors
def extract(text: str, vocab: tuple[str, ...], as_json: bool, relations: bool, model: str | bool) -> None:
    """Show what would be extracted from TEXT ('-' reads standard input)."""
    text = sys.stdin.read() if text == "-" else text
    found = (api.extract_relations if relations else api.extract)(text, vocab, model)
    if as_json:
        click.echo(json.dumps(found, indent=1, ensure_ascii=False))
        return
    for m in found:
        if relations:
            click.echo(f"{m['subject'][:30]:<31}{m['relation']:<13}{m['object'][:30]:<31}{m['confidence']:.2f}  "
                       f"{m['sentence'][:60]}")
            continue
        confidence = f"{m['confidence']:.2f}" if m["confidence"] is not None else "-"
        click.echo(f"{m['type']:<13}{m['label'][:30]:<31}{m['text'][:30]:<31}{m['start']:>5}-{m['end']:<5} "
                   f"{m['rule']}  {confidence}  {m['iri']}")


@main.command()
@click.argument("gold", nargs=-1, required=True, type=PathParam(exists=True, dir_okay=False))
@click.option("-o", "--out", "out_dir", required=True, type=PathParam(file_okay=False),
              help="Directory to write the model to (replaced); use it with `kg build --model DIR`.")
@texts_option
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Cross-validate over this many folds first, and calibrate confidences (0 or 1: skip).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the folds and of training.")
@click.option("--epochs", type=click.IntRange(min=1), help="Training epochs [default: the config's].")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Train this many folds at once.")
@user_errors
def train(gold: tuple[str, ...], out_dir: str, texts: tuple[str, ...], folds: int, seed: int, epochs: int | None,
          jobs: int) -> None:
    """Train the recognizer on GOLD files: annotated papers in the guideline format, or
    span-annotated documents ({"id", "text", "entities"}), and print cross-validated scores."""
    from .training.score import format_scores

    result = api.train(gold, out_dir, texts, folds=folds, seed=seed, epochs=epochs, jobs=jobs)
    kinds = {"model": "rules + model, as built", "raw": "rules + model, every concept", "rules": "rules alone"}
    for source in result.sources if result.predictions else ():
        for which, what in kinds.items():
            title = f"{source}: {folds}-fold cross-validated, {what}"
            click.echo(format_scores(title, result.scores(source, which), result.types_of(source)) + "\n")
    click.echo(f"papers: {len(result.docs)}; wrote {result.model} in {result.seconds:.0f} s")


@main.command("train-relations")
@click.argument("gold", nargs=-1, required=True, type=PathParam(exists=True, dir_okay=False))
@click.option("-r", "--relations", multiple=True, required=True, type=PathParam(exists=True, dir_okay=False),
              help="Annotated relations (relations_train.jsonl shape, joined by title or id); repeatable.")
@click.option("-o", "--out", required=True, type=PathParam(dir_okay=False),
              help="JSON file to write the classifier's weights to (the shipped one: kg/models/relations.json).")
@texts_option
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Cross-validate over this many folds first, and calibrate confidences on them (0 or 1: skip both).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the folds.")
@user_errors
def train_relations(gold: tuple[str, ...], relations: tuple[str, ...], out: str, texts: tuple[str, ...],
                    folds: int, seed: int) -> None:
    """Train the relation classifier on GOLD concept annotations and their --relations, and
    print cross-validated precision and recall of each relation (annotated concepts)."""
    from .training.relations import format_counts

    result = api.train_relations(gold, relations, out, texts, folds=folds, seed=seed)
    if result.predictions:
        click.echo(format_counts(f"{folds}-fold cross-validated, annotated concepts", result.scores()) + "\n")
    click.echo(f"papers: {len(result.docs)}; wrote {out}")


@main.command()
@click.argument("source", type=click.Choice(["arxiv", "openalex"]))
@click.argument("query")
@click.option("-o", "--out", "dest", required=True, type=PathParam(dir_okay=False),
              help="File to write: Atom XML (arxiv) or JSON Lines of works (openalex).")
@click.option("--max", "max_results", type=click.IntRange(min=1), default=100, show_default=True,
              help="Stop after this many papers.")
@click.option("--mailto", help="Your e-mail address, sent to OpenAlex for its polite pool.")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests [default: 3 arxiv, 0.1 openalex].")
@click.option("--base-url", hidden=True, help="Another server speaking the same API (tests, mirrors).")
@user_errors
def fetch(source: str, query: str, dest: str, max_results: int, mailto: str | None, delay: float | None,
          base_url: str | None) -> None:
    """Fetch papers matching QUERY from arXiv or OpenAlex into a file `kg build` reads."""
    from .fetch import fetch_papers
    count = fetch_papers(source, query, dest, max_results, base_url=base_url, delay=delay, mailto=mailto)
    click.echo(f"wrote {count} papers from {source} to {dest}")


def example_queries() -> dict[str, str]:
    """Example query name -> the question its leading comment asks (its first sentence,
    however many comment lines it takes)."""
    out = {}
    for path in sorted(QUERIES.glob("*.rq")):
        comment = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").strip())
        text = " ".join(comment)
        end = re.search(r"[?.](?=\s|$)", text)
        out[path.stem] = text[:end.end()] if end else text
    return out


def _query_text(sparql: str | None, query_file: str | None) -> str:
    if query_file:
        return _read_query(Path(query_file))
    if not sparql:
        raise KgError("give a query: a SPARQL string, a .rq file, -f FILE or an example NAME (kg query --list)")
    if (QUERIES / f"{sparql}.rq").is_file():
        return _read_query(QUERIES / f"{sparql}.rq")
    path = Path(sparql)
    if sparql.endswith(".rq") or (len(sparql) < 255 and path.is_file()):
        return _read_query(path)
    if _NAME.fullmatch(sparql):  # a word is no query: a mistyped example name
        close = difflib.get_close_matches(sparql, list(example_queries()), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise KgError(f"no example query named {sparql!r}: {hint}kg query --list lists them")
    return sparql


_NAME = re.compile(r"[A-Za-z][\w-]*")


def _read_query(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: no such query file") from None
    except UnicodeDecodeError:
        raise KgError(f"{path}: not UTF-8 text") from None


class _progress:
    """A progress bar on a terminal; nothing when output is redirected."""

    def __enter__(self):
        self.bar = None
        return self.update if sys.stderr.isatty() else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="extracting", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
