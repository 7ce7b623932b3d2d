"""Exporters: one module per output format, each reading the one graph model.

Registered by name like rdflib's plugins; every exporter writes through `atomic_write`,
so a failed build leaves no half-written file behind.
"""
from __future__ import annotations

import difflib
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import import_module
from itertools import islice
from pathlib import Path
from typing import IO

import networkx as nx

from ..errors import FormatError

Exporter = Callable[[nx.MultiDiGraph, Path], None]


@contextmanager
def atomic_write(dest: Path, mode: str = "w") -> Iterator[IO]:
    """Write to a temporary file beside `dest`, then rename it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": "\n"})) as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


LINES_PER_WRITE = 8192


def write_lines(dest: Path, lines: Iterable[str]) -> None:
    """Write text lines to `dest` (UTF-8, through `atomic_write`), the writing in a thread of its own.

    Why a thread: a large export is Python making lines (10 s for 100k papers) and the
    kernel taking 2.8 GB (7 s). Writes release the GIL, so lines are joined and encoded a
    few thousand at a time here while the thread writes the previous ones.
    """
    with atomic_write(dest, "wb") as f:
        pending: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        failed: list[BaseException] = []

        def drain() -> None:
            while (data := pending.get()) is not None:
                if not failed:
                    try:
                        f.write(data)
                    except BaseException as e:  # noqa: BLE001  (raised again below, in the caller's thread)
                        failed.append(e)

        writer = threading.Thread(target=drain, name="kg-writer", daemon=True)
        writer.start()
        try:
            it = iter(lines)
            while not failed and (chunk := list(islice(it, LINES_PER_WRITE))):
                pending.put("".join(chunk).encode("utf-8"))
        finally:
            pending.put(None)
            writer.join()
        if failed:
            raise failed[0]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("graph.ttl", "turtle:export_turtle"),
    "nt": ("graph.nt", "rdf:export_ntriples"),
    "jsonld": ("graph.jsonld", "rdf:export_jsonld"),
    "trig": ("graph.trig", "rdf:export_trig"),
    "jsonl": ("mentions.jsonl", "jsonl:export_mentions"),
    "html": ("graph.html", "html:export_html"),
    "report": ("report.html", "report:export_report"),
    "graphml": ("graph.graphml", "exchange:export_graphml"),
    "gexf": ("graph.gexf", "exchange:export_gexf"),
    "cytoscape": ("graph.cyjs", "exchange:export_cytoscape"),
    "csv-nodes": ("nodes.csv", "exchange:export_csv_nodes"),
    "csv-edges": ("edges.csv", "exchange:export_csv_edges"),
    "vosviewer-map": ("vosviewer_map.txt", "vosviewer:export_map"),
    "vosviewer-network": ("vosviewer_network.txt", "vosviewer:export_network"),
    "vosviewer-json": ("vosviewer.json", "vosviewer:export_json"),
}
"""Name -> (default file name, "module:function" in this package), imported only when used."""

ALIASES: dict[str, tuple[str, ...]] = {
    "ttl": ("turtle",), "json-ld": ("jsonld",), "cyjs": ("cytoscape",),
    "csv": ("csv-nodes", "csv-edges"),
    "vosviewer": ("vosviewer-map", "vosviewer-network", "vosviewer-json"),
}
"""Other names, some for several files at once (`csv`: the node and the edge table)."""

RDF_FORMATS = ("turtle", "nt", "jsonld", "trig")
EXCHANGE_FORMATS = ("graphml", "gexf", "cytoscape", "csv-nodes", "csv-edges", "vosviewer-map", "vosviewer-network",
                    "vosviewer-json")


def exporter(name: str) -> tuple[str, Exporter]:
    """(default file name, exporter) of one format in `FORMATS`."""
    filename, target = FORMATS[name]
    module, function = target.split(":")
    return filename, getattr(import_module(f".{module}", __name__), function)


def resolve_formats(names: Iterable[str]) -> list[str]:
    """Format names and aliases -> the formats they name, in order, each once; an unknown
    name is a `FormatError` in one line that lists the names there are."""
    found: list[str] = []
    for name in names:
        key = name.strip().lower()
        if key not in FORMATS and key not in ALIASES:
            raise FormatError(f"unknown format {name!r}: {_did_you_mean(key)}formats: {', '.join(format_names())}")
        found += [f for f in ALIASES.get(key, (key,)) if f not in found]
    return found


def format_names() -> list[str]:
    """Every name `resolve_formats` takes."""
    return [*FORMATS, *ALIASES]


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, format_names(), n=1)
    return f"did you mean {close[0]}? " if close else ""
