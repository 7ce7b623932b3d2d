#!/usr/bin/env python3
"""Timing of `add_similarity` on synthetic graphs (not a test): seconds and peak memory.

    python bench/similarity.py [--sizes 10000 100000] [--per-paper 12] [--vocabulary 0.5] [--words 0] [--reference]

Graphs come from `tests/test_similarity.synthetic_graph`: ~12 Zipf-distributed concepts per
paper over n * 0.5 concepts (the most common in two thirds of the papers), and with `--words`
abstracts of that many words, so the text gate runs too (its vectors are timed). Peak memory is what
tracemalloc sees allocated during a second, separate run (numpy arrays included), so the
graph itself is not counted. `--reference` also times the original pure-Python algorithm.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_similarity import reference_similarity, similarity_edges, synthetic_graph  # noqa: E402

from kg.linking.similarity import add_similarity  # noqa: E402


def measure(size: int, per_paper: float, vocabulary: float, words: int, reference: bool) -> None:
    """Print build, timing and memory figures for one size."""
    started = time.perf_counter()
    graph = synthetic_graph(size, int(size * vocabulary), seed=0, per_paper=per_paper, words=words)
    print(f"{size} papers: graph built in {time.perf_counter() - started:.1f} s, "
          f"{graph.number_of_edges()} edges")
    started = time.perf_counter()
    add_similarity(graph)
    seconds = time.perf_counter() - started
    links = similarity_edges(graph)
    graph.remove_edges_from(list(links))
    tracemalloc.start()
    add_similarity(graph)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  add_similarity: {seconds:.2f} s, {len(links)} links, peak {peak / 2**20:.0f} MiB")
    if reference:
        graph.remove_edges_from(list(links))
        started = time.perf_counter()
        expected = reference_similarity(graph)
        print(f"  reference: {time.perf_counter() - started:.2f} s, same links: {set(expected) == set(links)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--per-paper", type=float, default=12.0)
    parser.add_argument("--vocabulary", type=float, default=0.5, help="concepts per paper in the corpus")
    parser.add_argument("--words", type=int, default=0, help="words per synthetic abstract (0: none, no text gate)")
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        measure(size, args.per_paper, args.vocabulary, args.words, args.reference)


if __name__ == "__main__":
    main()
