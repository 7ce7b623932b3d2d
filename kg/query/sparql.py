"""Running SPARQL over an exported graph file and formatting the answer.

rdflib parses the graph (the format guessed from the extension) and runs the query; the
results come back as rows of plain strings so the CLI can print a table, CSV or JSON.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pyparsing import ParseException
from rdflib import XSD, Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.util import guess_format

from ..errors import InputError, QueryError


def load_graph(path: str | Path) -> Graph:
    """Parse an RDF file; a clear error when it is missing or not RDF."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such graph file")
    graph = Graph()
    try:
        graph.parse(path, format=guess_format(str(path)) or "turtle")
    except Exception as e:  # rdflib raises many parser-specific types
        raise InputError(path, f"not a readable RDF graph ({str(e).splitlines()[0][:200]})") from None
    return graph


def syntax_error(query: str) -> str | None:
    """rdflib's parser's account of a malformed query (line, column and what it expected),
    which says more than Oxigraph's ("expected CONSTRUCT" for a misspelt SELECT)."""
    try:
        prepareQuery(query)
    except ParseException as e:
        return f"malformed SPARQL at line {e.lineno}, column {e.col}: {e.msg}"
    except Exception:  # noqa: BLE001  (rdflib raises many types; Oxigraph's message stands)
        return None
    return None


def run_query(graph: Graph, query: str) -> tuple[list[str], list[list[str]]]:
    """(column names, rows) for a SELECT; ASK gives one boolean row."""
    try:
        result = graph.query(query)
    except ParseException as e:
        raise QueryError(f"malformed SPARQL at line {e.lineno}, column {e.col}: {e.msg}") from None
    except Exception as e:
        raise QueryError(f"query failed: {e}") from None
    if result.type == "ASK":
        return ["answer"], [[str(bool(result.askAnswer)).lower()]]
    if result.type != "SELECT":
        raise QueryError("only SELECT and ASK queries are supported here")
    columns = [str(v) for v in result.vars]
    rows = [["" if value is None else plain(str(value), str(getattr(value, "datatype", "") or ""))
             for value in row] for row in result]
    return columns, rows


_DECIMALS = {str(XSD.double), str(XSD.float), str(XSD.decimal)}


def plain(lexical: str, datatype: str) -> str:
    """A result value as text, numbers in one canonical form ("1.0", "1E0" -> "1") so
    rdflib and Oxigraph print the same answer."""
    if datatype in _DECIMALS:
        try:
            number = float(lexical)
        except ValueError:
            return lexical
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return lexical


def format_results(columns: list[str], rows: list[list[str]], fmt: str = "table") -> str:
    """Render results as an aligned text table, CSV or JSON (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], indent=1, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    return _table(columns, rows)


def _table(columns: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    cut = [[v if len(v) <= max_width else v[: max_width - 1] + "…" for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cut]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cut]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
