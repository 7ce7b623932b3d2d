#!/usr/bin/env python3
"""A seeded sample of `kg:similarTo` pairs, printed side by side to be judged by reading (not a test).

    kg build examples/corpus -o build/
    python bench/similar_pairs.py build/graph.ttl --seed 18 --size 40
    python bench/similar_pairs.py --count bench/similar_pairs_judged.jsonl

Each pair shows both titles and abstracts and the concepts both papers mention (with how many
papers mention each). The judgments are kept in `bench/similar_pairs_judged.jsonl`, one line a
pair: `{"sample": "before" | "after" | "third" | "vocab", "a": title, "b": title, "related": bool, "why": "..."}`
(before: concepts only, hubs counted, cosine >= 0.35; after: hubs out, text gate, cosine >= 0.25;
third: the same at 0.35; vocab: the 5 pairs the vocabulary additions of 2026-12-07 brought,
all of them read; names: the 7 pairs the new-name rules and widened mentions of the next
round brought, all read);
a pair is related when a researcher reading one would want to see the other (same problem,
same method family on the same kind of data, or one builds on the other). `--count` prints
how many of each sample were judged related.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.graph.from_rdf import read_graph  # noqa: E402


def sample_pairs(graph_file: str, seed: int, size: int, chars: int = 1200) -> list[tuple[str, str]]:
    """`size` similarTo pairs (a < b) drawn with `seed` from the pairs in sorted order."""
    graph = read_graph(graph_file)
    pairs = sorted({tuple(sorted((a, b))) for a, b, k in graph.edges(keys=True) if k == "similarTo"})
    drawn = random.Random(seed).sample(pairs, min(size, len(pairs)))
    print(f"{len(pairs)} similarTo pairs in {graph_file}; {len(drawn)} drawn with seed {seed}\n")
    for number, (a, b) in enumerate(drawn, 1):
        print(describe(graph, number, a, b, chars))
    return drawn


def describe(graph, number: int, a: str, b: str, chars: int) -> str:
    """One pair: the shared concepts, then each paper's title and abstract."""
    mentioned = [{c for _, c, k in graph.out_edges(p, keys=True) if k == "mentions"} for p in (a, b)]
    shared = sorted(mentioned[0] & mentioned[1], key=lambda c: graph.nodes[c]["papers"])
    concepts = ", ".join(f"{graph.nodes[c]['label']} ({graph.nodes[c]['papers']})" for c in shared)
    lines = [f"=== {number}. shared: {concepts}"]
    for side, paper in zip("AB", (a, b)):
        node = graph.nodes[paper]
        lines.append(f"--- {side}: {node['title']}")
        lines.append(textwrap.fill(node["abstract"][:chars], 110, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines) + "\n"


def count(judged: str) -> None:
    """Related pairs per sample in the judgments file."""
    rows = [json.loads(line) for line in Path(judged).read_text().splitlines() if line.strip()]
    totals, related = Counter(r["sample"] for r in rows), Counter(r["sample"] for r in rows if r["related"])
    for sample in totals:
        print(f"{sample}: {related[sample]} of {totals[sample]} related")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", help="an exported graph.ttl")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--chars", type=int, default=1200, help="abstracts cut after this many characters")
    parser.add_argument("--count", metavar="JUDGED", help="count the judgments in this file instead")
    args = parser.parse_args()
    if args.count:
        count(args.count)
    elif args.graph:
        sample_pairs(args.graph, args.seed, args.size, args.chars)
    else:
        parser.error("give a graph.ttl or --count")


if __name__ == "__main__":
    main()
