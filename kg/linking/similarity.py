"""Paper similarity by shared concepts (bibliographic coupling by concepts).

Papers that mention the same specific concepts, and say alike things, are related even
without citations. A pair is linked when

- the cosine of their concept vectors reaches the threshold (0.35): each paper is a vector of its
  concepts weighted by inverse document frequency, *hubs* left out (concepts in 5% of the
  papers or more, and at least 10: "transformer", "image", "large language model", which
  tie together papers on anything);
- they share two such specific concepts at least (one is a coincidence);
- and, where both have an abstract, the TF-IDF cosine of their titles and abstracts is at
  least 0.1 (`wording.py`): sharing "ImageNet" and "ResNet" does not make a pruning paper
  and an OOD-detection paper alike.

Read by hand (`bench/similar_pairs.py`), 22 of 40 sampled pairs of the example build were
related under the concepts-only rule (hubs counted, threshold 0.35, 223 pairs), 36 of 40 with
hubs out, the text gate and a threshold of 0.25 (85 pairs), and 36 of 40 with the threshold
back at 0.35 (46 pairs): the lower threshold found more pairs as good, but its prefix filter
prunes far less (the join of 100k synthetic papers: 32 s against 18 s). Each paper keeps at most `top`
partners, the best by concept cosine, with the shared specific concepts as evidence.

Why it is written with sparse matrices: comparing every pair that shares a concept is
quadratic in a concept's paper count, and a concept in half of 100,000 papers alone gives
10^9 pairs. So candidates come from a prefix filter (Bayardo, Ma and Srikant, "Scaling up
all pairs similarity search", WWW 2007) and are scored exactly, a block of rows at a time:

- Order concepts from most to least common. A paper's *prefix* is its longest run of most
  common concepts whose part of the unit vector has norm below the threshold; the rest is
  its *suffix*. If all concepts two papers share lay in one paper's prefix, their cosine
  would be at most that prefix's norm (Cauchy-Schwarz), below the threshold. So a linked
  pair shares a concept in each suffix, and the rarest shared concept lies in both.
- Hence joining papers on suffix concepts only finds every pair that can reach the
  threshold: the result is exact, not approximate, for any data. Common concepts weigh
  little, so they mostly sit in prefixes, and their long paper lists are never joined.
- A candidate's cosine is its dot product over shared suffix concepts plus a rest that is
  at most one prefix norm times the other paper's norm on concepts at least as common
  (`_block_links`); candidates that cannot reach the threshold even so are dropped.
- Each remaining candidate is then scored on all its concepts, so weights, the two-shared-concepts
  rule, the threshold and the top-k (ties broken by the other paper's IRI) are the ones
  the per-pair definition gives. Hubs are not in the vectors at all, so the filter never
  sees them. The text gate is a per-pair test applied to the candidates that pass the rest,
  before they compete for a paper's top: it removes pairs and adds none, so every pair the
  definition links is still found (the bounds hold for the concept cosine whatever the gate
  drops). Text vectors (float32) are built once for all papers, in linear time, and a
  block's candidates are scored a chunk at a time (`wording.py`).
- Only each paper's best `top` so far is held (`_Best`), not every pair over the threshold:
  a corpus of near-duplicates passes tens of millions, and a candidate that cannot beat
  both its papers' current `top`-th score is not even scored.
"""
from __future__ import annotations

import math
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .wording import TextGate, text_vectors

THRESHOLD = 0.35
TOP = 5
MIN_SHARED = 2  # one shared specific concept is a coincidence, not a relation
HUB_SHARE = 0.05  # a concept in this share of the papers or more is a hub: left out of the vectors
HUB_MIN_PAPERS = 10  # ... but in a small corpus, only one in this many papers at least
TEXT_MIN = 0.1  # TF-IDF cosine of title and abstract a pair needs (where both have an abstract)
BLOCK = 1024  # rows joined at a time: bounds the candidate arrays held at once
SLACK = 1e-6  # bounds keep this margin, so float rounding loses no pair
DIGITS = 12  # cosines are ranked rounded: equal ones summed in another order still tie
BACKGROUND_MIN_PAPERS = 10_000  # below this the pairs take under a second: no process is worth starting


def add_similarity(graph: nx.MultiDiGraph, threshold: float = THRESHOLD, top: int = TOP) -> None:
    """Add `similarTo` edges (a < b, in sorted order) between papers with similar concepts."""
    finish_similarity(graph, start_similarity(graph, threshold, top))


@dataclass
class Started:
    """Similarity under way: the vectors, and the linked pairs or their future."""

    papers: list[str]
    concepts: list[str]
    matrix: sp.csr_matrix
    text: TextGate
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | Future | None  # None: nothing to link


@contextmanager
def pairs_process(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """A process for `start_similarity`, forked now (None with `jobs` < 2, or without fork).

    Why now: a build enters this before it reads anything. A process forked later, from a
    grown heap, shares the build's pages, and each page the build then writes (reference
    counts, as it reads the graph) is copied: +1 GB at 100k papers. Spawning instead would
    run the caller's main module again in the child, which breaks scripts without a
    `__main__` guard.
    """
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    try:
        pool.submit(int).result()  # the process starts now, not at the first real task
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a failed build does not wait for it


def start_similarity(graph: nx.MultiDiGraph, threshold: float = THRESHOLD, top: int = TOP,
                     pool: ProcessPoolExecutor | None = None) -> Started:
    """Read the vectors now; find the pairs here, or in `pool` (see `pairs_process`) while
    the caller goes on (`finish_similarity` waits for them).

    Why: after extraction a build runs on one core, and in a large corpus the pairs are the
    longest stage (18 of 110 s of a 100k-paper rebuild). They need only the vectors, which
    the other links do not change, so the second core finds them during the rest of linking.
    """
    papers, concepts, matrix = _vectors(graph)
    text = text_gate(graph, papers)
    if not papers or top <= 0:
        return Started(papers, concepts, matrix, text, None)
    if pool is None or len(papers) < BACKGROUND_MIN_PAPERS:
        return Started(papers, concepts, matrix, text, _linked_pairs(matrix, text, threshold, top))
    return Started(papers, concepts, matrix, text, pool.submit(_linked_pairs, matrix, text, threshold, top))


def finish_similarity(graph: nx.MultiDiGraph, started: Started) -> None:
    """Add the `similarTo` edges of `start_similarity` (waiting for its process, if any)."""
    pairs = started.pairs.result() if isinstance(started.pairs, Future) else started.pairs
    if pairs is None:
        return
    papers, concepts, matrix = started.papers, started.concepts, started.matrix
    first, second, score = pairs
    shared, bounds = _shared(matrix, first, second)
    iris = np.array(concepts, dtype=object)[shared].tolist()
    bounds = bounds.tolist()
    edges = [(papers[a], papers[b], "similarTo", {"kind": "similarTo", "weight": round(cos, 4), "concepts": iris[lo:hi]})
             for a, b, cos, lo, hi in zip(first.tolist(), second.tolist(), score.tolist(), bounds, bounds[1:])]
    graph.add_edges_from(edges)


def hub_limit(papers: int) -> int:
    """Concepts in this many papers or more are hubs (in a corpus under 10 papers: those in all)."""
    return min(papers, max(math.ceil(HUB_SHARE * papers), HUB_MIN_PAPERS))


def text_gate(graph: nx.MultiDiGraph, papers: list[str]) -> TextGate:
    """The TF-IDF vectors of `papers` (title and abstract), as the gate `_block_links` applies."""
    nodes = graph.nodes
    vectors = text_vectors((nodes[p].get("title") or "", nodes[p].get("abstract") or "") for p in papers)
    abstract = np.fromiter((bool(nodes[p].get("abstract")) for p in papers), bool, len(papers)) & (np.diff(vectors.indptr) > 0)
    return TextGate(vectors, abstract, TEXT_MIN)


def _vectors(graph: nx.MultiDiGraph) -> tuple[list[str], list[str], sp.csr_matrix]:
    """Papers (IRI order) x concepts (IRI order) with unit-length IDF rows; stubs, hubs and empty rows left out.

    Indices follow IRI order so that ties between partners fall to the lower index, and the
    shared concepts come out sorted.
    """
    nodes = graph.nodes(data=True)
    candidates = {n for n, d in nodes if d["kind"] == "paper" and not d.get("stub")}
    n = len(candidates) or 1
    counts = {c: d["papers"] for c, d in nodes if d["kind"] == "concept"}
    limit = hub_limit(n)
    mentions = {p: [c for c, keys in targets.items() if "mentions" in keys and counts[c] < limit]
                for p, targets in graph.adjacency() if p in candidates}
    papers = sorted(p for p in candidates if mentions[p])
    concepts = sorted({c for p in papers for c in mentions[p]})
    column = {c: i for i, c in enumerate(concepts)}
    idf = np.array([math.log(n / counts[c]) for c in concepts])
    lengths = [len(mentions[p]) for p in papers]
    indices = np.fromiter((column[c] for p in papers for c in mentions[p]), np.int64, sum(lengths))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    matrix = sp.csr_matrix((idf[indices], indices, indptr), shape=(len(papers), len(concepts)))
    matrix.sort_indices()
    norms = np.sqrt(np.add.reduceat(matrix.data ** 2, indptr[:-1])) if papers else np.zeros(0)
    matrix.data /= np.repeat(norms, lengths)
    return papers, concepts, matrix



@dataclass
class _Prefixes:
    """Each paper's split into prefix (most common concepts) and suffix, with the norms the bounds need."""

    suffix: sp.csr_matrix  # the suffix entries, weighted as in the unit vectors
    norm: np.ndarray  # norm of each paper's prefix, below the threshold
    cut: np.ndarray  # every prefix concept ranks below this (rank 0 = most common)
    level: np.ndarray  # first index into LEVELS at or above `cut`
    below: np.ndarray  # papers x LEVELS: norm of the paper's concepts ranked below each level


def _linked_pairs(matrix: sp.csr_matrix, text: TextGate, threshold: float,
                  top: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs a < b (sorted) kept by either side's top `top`, with their cosine."""
    prefixes = _prefixes(matrix, threshold)
    best = _Best(matrix.shape[0], top)
    for start in range(0, matrix.shape[0], BLOCK):
        rows, cols, score = _block_links(matrix, prefixes, start, min(start + BLOCK, matrix.shape[0]), threshold, best.floor)
        agree = text.passes(rows, cols)
        best.offer(rows[agree], cols[agree], score[agree])
    return best.pairs()


class _Best:
    """Each paper's best `top` partners so far (highest cosine, then lowest index), updated a block at a time.

    Holding only these, not every linked pair, keeps memory at papers x top however many
    pairs pass the threshold; and a candidate whose upper bound is below both papers' current
    `top`-th score cannot be kept, so it need not be scored (`floor`).
    """

    def __init__(self, size: int, top: int) -> None:
        self.size, self.top = size, top
        self.score = np.full((size, top), -np.inf)
        self.partner = np.full((size, top), size)

    @property
    def floor(self) -> np.ndarray:
        """Each paper's `top`-th best score so far: a pair must reach it on one side to be kept."""
        return self.score[:, -1]

    def offer(self, first: np.ndarray, second: np.ndarray, score: np.ndarray) -> None:
        """Merge linked pairs (both directions) into each paper's best."""
        rows, cols, score = np.concatenate((first, second)), np.concatenate((second, first)), np.tile(score, 2)
        hopeful = score >= self.floor[rows]
        rows, cols, score = rows[hopeful], cols[hopeful], score[hopeful]
        touched = np.unique(rows)
        rows = np.concatenate((rows, np.repeat(touched, self.top)))
        cols = np.concatenate((cols, self.partner[touched].ravel()))
        score = np.concatenate((score, self.score[touched].ravel()))
        order = np.lexsort((cols, -score, rows))
        rows, cols, score = rows[order], cols[order], score[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
        kept = rank < self.top
        self.score[rows[kept], rank[kept]] = score[kept]
        self.partner[rows[kept], rank[kept]] = cols[kept]

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The union of every paper's best as pairs a < b, sorted, with their cosine."""
        rows = np.repeat(np.arange(self.size), self.top)
        cols, score = self.partner.ravel(), self.score.ravel()
        found = cols < self.size
        rows, cols, score = rows[found], cols[found], score[found]
        keys, where = np.unique(np.minimum(rows, cols) * self.size + np.maximum(rows, cols), return_index=True)
        return keys // self.size, keys % self.size, score[where]


def _prefixes(matrix: sp.csr_matrix, threshold: float) -> _Prefixes:
    """Split each row, most common concept first, where its squared weights reach (threshold - SLACK)^2."""
    size, width = matrix.shape
    counts = np.bincount(matrix.indices, minlength=width)
    rank = np.empty_like(counts)
    rank[np.lexsort((np.arange(width), -counts))] = np.arange(width)
    rows = np.repeat(np.arange(size), np.diff(matrix.indptr))
    order = np.lexsort((rank[matrix.indices], rows))
    rows, ranks, values = rows[order], rank[matrix.indices[order]], matrix.data[order]
    running = np.cumsum(values ** 2)
    within = running - np.repeat(np.concatenate(([0.0], running))[matrix.indptr[:-1]], np.diff(matrix.indptr))
    prefix = within < max(threshold - SLACK, 0.0) ** 2
    cut = np.zeros(size, np.int64)
    np.maximum.at(cut, rows[prefix], ranks[prefix] + 1)
    levels = _levels(width)
    mass = np.bincount(rows * len(levels) + np.searchsorted(levels, ranks, side="right"), values ** 2,
                       minlength=size * len(levels)).reshape(size, len(levels))
    suffix = sp.csr_matrix((values[~prefix], (rows[~prefix], matrix.indices[order][~prefix])), shape=matrix.shape)
    return _Prefixes(suffix=suffix, norm=np.sqrt(np.bincount(rows[prefix], values[prefix] ** 2, minlength=size)),
                     cut=cut, level=np.searchsorted(levels, cut), below=np.sqrt(np.cumsum(mass, axis=1)))


def _levels(width: int) -> np.ndarray:
    """Ranks at which each paper's norm of more common concepts is kept: 1, 2, 3, 4, 5, 6, 8, ... width."""
    steps = np.ceil(1.2 ** np.arange(int(math.log(max(width, 2)) / math.log(1.2)) + 2)).astype(np.int64)
    return np.unique(np.append(steps[steps < width], width))


def _block_links(matrix: sp.csr_matrix, prefixes: _Prefixes, start: int, stop: int,
                 threshold: float, floor: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (a, b, cosine) with start <= a < stop and a < b that pass the concept rules (not yet the text gate).

    Candidates share a suffix concept; `joined` holds their dot product over concepts in
    both suffixes. Every other shared concept ranks below the larger of the two cuts, so it
    lies in that paper's prefix: the rest of the cosine is at most that prefix's norm times
    the other paper's norm below the same rank. Pairs that cannot reach the threshold even
    so are dropped before the exact score, and so are those that cannot reach either
    paper's `top`-th best score so far (`floor`).
    """
    joined = prefixes.suffix[start:stop] @ prefixes.suffix[start:].T
    rows = np.repeat(np.arange(start, stop), np.diff(joined.indptr))
    cols = joined.indices + start
    need = np.maximum(np.minimum(floor[rows], floor[cols]), threshold) - SLACK
    near = (cols > rows) & (joined.data + prefixes.norm.max(initial=0.0) >= need)  # rest < any prefix norm
    rows, cols, dot, need = rows[near], cols[near], joined.data[near], need[near]
    outer = np.where(prefixes.cut[rows] >= prefixes.cut[cols], rows, cols)
    rest = prefixes.norm[outer] * prefixes.below[rows + cols - outer, prefixes.level[outer]]
    hopeful = dot + rest >= need
    rows, cols = rows[hopeful], cols[hopeful]
    score, shared = _score(matrix, start, stop, rows, cols)
    score = np.round(score, DIGITS)
    linked = (shared >= MIN_SHARED) & (score >= threshold)
    return rows[linked], cols[linked], score[linked]


def _score(matrix: sp.csr_matrix, start: int, stop: int, rows: np.ndarray,
           cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and shared-concept count of paper `rows[k]` (in start..stop) with paper `cols[k]`.

    The block's rows are spread into a dense (rows x block's concepts) array, then each
    partner's concepts are looked up in it: work in proportion to the partners' lengths.
    The sum runs over the partner's concepts in column order, so it is the same bit for bit
    whichever paper of the pair is in the block.
    """
    block = matrix[start:stop]
    used, local_cols = np.unique(block.indices, return_inverse=True)
    local = np.full(matrix.shape[1], len(used))
    local[used] = np.arange(len(used))
    dense = np.zeros((stop - start, len(used) + 1))
    dense[np.repeat(np.arange(stop - start), np.diff(block.indptr)), local_cols] = block.data
    lengths = np.diff(matrix.indptr)[cols]
    pair = np.repeat(np.arange(len(cols)), lengths)
    at = np.repeat(matrix.indptr[cols] - np.cumsum(lengths) + lengths, lengths) + np.arange(len(pair))
    mine = dense[rows[pair] - start, local[matrix.indices[at]]]
    score = np.bincount(pair, mine * matrix.data[at], minlength=len(cols))
    shared = np.bincount(pair[mine > 0], minlength=len(cols))
    return score, shared


def _shared(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns both papers of each pair mention, flat and in order, and where each pair's run starts.

    Row-major (row, column) keys of a CSR matrix with sorted indices are sorted, so membership
    in the first paper's row is one binary search per concept of the second.
    """
    width = matrix.shape[1]
    keys = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)) * width + matrix.indices
    lengths = np.diff(matrix.indptr)[second]
    pair = np.repeat(np.arange(len(second)), lengths)
    at = np.repeat(matrix.indptr[second] - np.cumsum(lengths) + lengths, lengths) + np.arange(len(pair))
    wanted = first[pair] * width + matrix.indices[at]
    found = keys[np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)] == wanted
    return matrix.indices[at][found], np.concatenate(([0], np.cumsum(np.bincount(pair[found], minlength=len(second)))))
