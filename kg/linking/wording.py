"""TF-IDF vectors of what papers say (title and abstract), for paper similarity.

Why: two papers can share two specific concepts and still be about different things (a
pruning paper and an OOD-detection paper both on ImageNet with ResNets); the words of their
abstracts tell them apart. Read by hand, pairs whose text cosine is at least 0.1 were related
far more often than those below (`bench/similar_pairs.py`).

Words are lower-case runs of letters, digits and hyphens, three characters at least, without
a short stop list; the title counts twice. A word weighs (1 + log tf) * log(n / df); words in
one paper only (they can match nothing) or in half the papers or more are left out.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

WORD = re.compile(r"[a-z][a-z0-9\-]+")
COMMON_SHARE = 0.5  # a word in this share of the papers or more says nothing about any of them
STOP = frozenset("""the of and a an in to for on with by we is are that this from as be at or our can it which these
its their not have has using use used show based such than both into more new over also while via between when
where how two one however thus""".split())


def words(text: str) -> list[str]:
    """The words of `text` that count."""
    return [w for w in WORD.findall(text.lower()) if len(w) > 2 and w not in STOP]


def text_vectors(texts: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """Unit TF-IDF rows, one per (title, abstract); a row without counting words is empty."""
    counts = [Counter(words(f"{title} {title} {abstract}")) for title, abstract in texts]
    df = Counter(w for c in counts for w in c)
    limit = COMMON_SHARE * len(texts)
    column = {w: i for i, w in enumerate(sorted(w for w, d in df.items() if 1 < d < limit))}
    idf = {w: math.log(len(texts) / df[w]) for w in column}
    rows, cols, values = [], [], []
    for row, c in enumerate(counts):
        kept = sorted((column[w], (1 + math.log(k)) * idf[w]) for w, k in c.items() if w in column)
        rows.extend([row] * len(kept))
        cols.extend(i for i, _ in kept)
        values.extend(v for _, v in kept)
    matrix = sp.csr_matrix((np.array(values, dtype=np.float64), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
                           shape=(len(texts), len(column)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix.data /= np.repeat(np.where(norms > 0, norms, 1.0), np.diff(matrix.indptr))
    return matrix


def pair_cosines(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Cosine of rows `first[k]` and `second[k]` of a unit-row matrix, for every k."""
    if len(first) == 0:
        return np.zeros(0)
    return np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()


@dataclass
class TextGate:
    """Which pairs of papers say alike things: text cosine at least `minimum` where both have an
    abstract with words that count; a pair where either has a title only passes (its few words
    decide too little)."""

    vectors: sp.csr_matrix
    abstract: np.ndarray  # bool per row
    minimum: float

    def passes(self, first: np.ndarray, second: np.ndarray, digits: int = 12) -> np.ndarray:
        """True for each pair (first[k], second[k]) the gate lets through."""
        judged = self.abstract[first] & self.abstract[second]
        passed = ~judged
        passed[judged] = np.round(pair_cosines(self.vectors, first[judged], second[judged]), digits) >= self.minimum
        return passed
