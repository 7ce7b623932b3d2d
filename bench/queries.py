"""Seconds of every example query (examples/queries) on a built graph, with the default engine.

    python bench/queries.py build/graph.ttl

Prints the time to load the graph into Oxigraph once (what `kg query GRAPH` pays on each
call; `kg load` + `kg query --store` pays it once) and each query's own time and row count.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.query.store import open_store, run_store_query  # noqa: E402
from kg.resources import queries_dir  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("graph", help="a graph kg build wrote (graph.ttl)")
    args = ap.parse_args()
    started = time.perf_counter()
    store = open_store(args.graph)
    print(f"load {time.perf_counter() - started:.2f} s")
    slowest = 0.0
    for path in sorted(queries_dir().glob("*.rq")):
        started = time.perf_counter()
        _, rows = run_store_query(store, path.read_text(encoding="utf-8"))
        seconds = time.perf_counter() - started
        slowest = max(slowest, seconds)
        print(f"{seconds:7.3f} s {len(rows):6d} rows  {path.stem}")
    print(f"slowest query: {slowest:.3f} s")


if __name__ == "__main__":
    main()
