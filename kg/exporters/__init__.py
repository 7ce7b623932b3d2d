"""Exporters: one module per output format, each reading the one graph model.

Registered by name like rdflib's plugins; every exporter writes through `atomic_write`,
so a failed build leaves no half-written file behind.
"""
from __future__ import annotations

import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO

import networkx as nx

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


def exporters() -> dict[str, tuple[str, Exporter]]:
    """Name -> (default file name, exporter); imported lazily so the CLI starts fast."""
    from .html import export_html
    from .jsonl import export_mentions
    from .rdf import export_jsonld, export_ntriples, export_trig
    from .report import export_report
    from .turtle import export_turtle

    return {
        "turtle": ("graph.ttl", export_turtle),
        "nt": ("graph.nt", export_ntriples),
        "jsonld": ("graph.jsonld", export_jsonld),
        "trig": ("graph.trig", export_trig),
        "jsonl": ("mentions.jsonl", export_mentions),
        "html": ("graph.html", export_html),
        "report": ("report.html", export_report),
    }


RDF_FORMATS = ("turtle", "nt", "jsonld", "trig")
