"""TF-IDF vectors of what papers say (title and abstract), for paper similarity.

Why: two papers can share two specific concepts and still be about different things (a
pruning paper and an OOD-detection paper both on ImageNet with ResNets); the words of their
abstracts tell them apart. Read by hand, pairs whose text cosine is at least 0.1 were related
far more often than those below (`bench/similar_pairs.py`).

Words are lower-case runs of letters, digits and hyphens, three characters at least, without
a short stop list; the title counts twice. A word weighs (1 + log tf) * log(n / df); words in
one paper only (they can match nothing) or in half the papers or more are left out.

Cost: each text is counted on its own and only its distinct word ids and counts are kept
(float32, int32), so 100,000 abstracts of 100 words hold ~60 MiB, not a Counter per paper;
pairs are scored a chunk at a time, with float64 sums.
"""
from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
import re

import numpy as np
import scipy.sparse as sp

WORD = re.compile(r"[a-z][a-z0-9\-]+")
COMMON_SHARE = 0.5  # a word in this share of the papers or more says nothing about any of them
CHUNK = 16_384  # pairs scored at a time: bounds the rows copied at once
STOP = frozenset("""the of and a an in to for on with by we is are that this from as be at or our can it which these
its their not have has using use used show based such than both into more new over also while via between when
where how two one however thus""".split())


def words(text: str) -> list[str]:
    """The words of `text` that count."""
    return [w for w in WORD.findall(text.lower()) if len(w) > 2 and w not in STOP]


def text_vectors(texts: Iterable[tuple[str, str]]) -> sp.csr_matrix:
    """Unit TF-IDF rows (float32), one per (title, abstract); a row without counting words is empty."""
    vocabulary: dict[str, int] = {}
    cols, tf, lengths = array("i"), array("f"), array("q")
    for title, abstract in texts:
        counted = Counter(words(f"{title} {title} {abstract}"))
        cols.extend([vocabulary.setdefault(w, len(vocabulary)) for w in counted])
        tf.extend(counted.values())
        lengths.append(len(counted))
    size = len(lengths)
    cols, tf = np.frombuffer(cols, np.int32), np.frombuffer(tf, np.float32)
    rows = np.repeat(np.arange(size, dtype=np.int32), np.frombuffer(lengths, np.int64))
    df = np.bincount(cols, minlength=len(vocabulary))
    kept = (df > 1) & (df < COMMON_SHARE * size)
    column = np.cumsum(kept) - 1
    idf = np.log(size / np.maximum(df, 1)).astype(np.float32)
    keep = kept[cols]
    rows, cols, tf = rows[keep], cols[keep], tf[keep]
    values = (1 + np.log(tf)) * idf[cols]
    norms = np.sqrt(np.bincount(rows, values.astype(np.float64) ** 2, minlength=size))
    values /= norms[rows].astype(np.float32)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=size))))
    matrix = sp.csr_matrix((values, column[cols].astype(np.int32), indptr), shape=(size, int(kept.sum())))
    matrix.sort_indices()
    return matrix


def pair_cosines(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Cosine (float64) of rows `first[k]` and `second[k]` of a unit-row matrix, for every k, a chunk at a time."""
    return np.concatenate([_chunk_cosines(matrix, first[at:at + CHUNK], second[at:at + CHUNK])
                           for at in range(0, len(first), CHUNK)] or [np.zeros(0)])


def _chunk_cosines(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    product = matrix[first].multiply(matrix[second]).tocsr()
    pair = np.repeat(np.arange(len(first)), np.diff(product.indptr))
    return np.bincount(pair, product.data.astype(np.float64), minlength=len(first))


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
