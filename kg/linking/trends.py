"""The field over time: papers per year, trends and Kleinberg bursts of every concept.

Counts are papers (a paper mentioning a concept ten times counts once), over the papers
that have a year. Two figures per concept, both over the corpus's yearly totals so that a
year with more papers does not make everything in it look popular:

- **Trend** over the last `window` years of the corpus (the `window` calendar years up
  to the latest year with papers): the least-squares slope of the concept's share of each
  year's papers against the year, each year weighted by its number of papers, in share
  per year. Its test is the Cochran-Armitage test for a linear trend in proportions
  (z = slope * sqrt(Sxx / (p (1 - p))), p the concept's share over the window, Sxx the
  weighted sum of squared year deviations), two-sided. A concept is *rising* or
  *declining* when it is in at least `min_papers` papers of the window and the test
  passes the Benjamini-Hochberg false discovery rate `alpha` over all the concepts tested;
  else *flat* (tested, not significant), or no trend at all (too few papers).
- **Bursts**: Kleinberg's two-state automaton over batches (Kleinberg 2002, "Bursty and
  hierarchical structure in streams", section 4, enumerating bursts), as CiteSpace uses
  it. Batch t is a calendar year, every year from the corpus's first to its last (empty
  ones too): d_t papers, r_t of them mention the concept. State 0 emits at the base rate
  p0 = sum r / sum d, state 1 at p1 = s * p0 (at most 1 - 1e-9). The cost of a year in
  state i is -ln(p_i^r (1 - p_i)^(d - r)) (the binomial coefficient is the same in both
  states and left out); entering state 1 costs gamma * ln(n), n the number of years,
  leaving it costs nothing; the automaton starts in state 0. Each maximal run of years in
  state 1 on the cheapest state sequence (Viterbi) is a burst; its *strength* is
  Kleinberg's weight, sum over its years of cost(state 0) - cost(state 1): how much
  cheaper the burst state explains those years (the "Strength" CiteSpace reports).

Cost: one pass over the mention edges, then numpy over a concepts x years matrix, a few
array operations per year (see `kleinberg`); linear in concepts x years.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np


@dataclass(frozen=True)
class TrendOptions:
    """The settings of trends and bursts (see the module docstring for what each does)."""

    window: int = 10  # trend over the last `window` years of the corpus
    min_papers: int = 5  # papers in the window below which a concept gets no trend
    alpha: float = 0.05  # false discovery rate (Benjamini-Hochberg) of rising / declining
    s: float = 2.0  # burst state rate = s x base rate
    gamma: float = 1.0  # entering the burst state costs gamma x ln(years)


@dataclass(frozen=True)
class Burst:
    start: int  # first year in the burst state
    end: int  # last year in the burst state (inclusive)
    strength: float  # Kleinberg's weight: cost in state 0 minus cost in state 1 over the burst's years
    papers: int  # papers mentioning the concept in those years


@dataclass(frozen=True)
class Trend:
    slope: float  # change of the concept's share of each year's papers, per year
    z: float  # Cochran-Armitage statistic
    p: float  # its two-sided p-value
    q: float  # Benjamini-Hochberg adjusted p over the concepts tested
    papers: int  # papers in the window mentioning the concept
    direction: str  # "rising", "declining" or "flat"


@dataclass
class ConceptTime:
    """What the years say about one concept."""

    per_year: dict[int, int]  # year -> papers mentioning it
    first_year: int
    mean_year: float
    trend: Trend | None = None  # None: fewer than min_papers papers in the window
    bursts: list[Burst] = field(default_factory=list)


@dataclass
class Timeline:
    """The corpus's years and every dated concept's figures."""

    years: list[int]  # every year from the first to the last, empty ones too
    totals: list[int]  # papers with that year
    window: list[int]  # the years the trends are fitted over
    options: TrendOptions
    concepts: dict[str, ConceptTime]


def add_trends(graph: nx.MultiDiGraph, options: TrendOptions = TrendOptions()) -> Timeline:
    """Compute the timeline and put it on the graph: `graph.graph["timeline"]`, and on each
    dated concept node `per_year`, `first_year`, `mean_year`, `trend` and `bursts`."""
    timeline = concept_timeline(graph, options)
    graph.graph["timeline"] = timeline
    for iri, time in timeline.concepts.items():
        graph.nodes[iri].update(per_year=time.per_year, first_year=time.first_year, mean_year=time.mean_year,
                                trend=time.trend, bursts=time.bursts)
    return timeline


def concept_timeline(graph: nx.MultiDiGraph, options: TrendOptions = TrendOptions()) -> Timeline:
    """Papers per year, trend and bursts of every concept some dated paper mentions."""
    check_options(options)
    years_of = {n: d["year"] for n, d in graph.nodes(data=True)
                if d["kind"] == "paper" and not d.get("stub") and d.get("year")}
    if not years_of:
        return Timeline([], [], [], options, {})
    first, last = min(years_of.values()), max(years_of.values())
    years = list(range(first, last + 1))
    totals = np.bincount(np.fromiter(years_of.values(), dtype=np.int64, count=len(years_of)) - first,
                         minlength=len(years))
    index, counts = _count(graph, years_of, first, len(years))
    start = max(0, len(years) - options.window)
    trends = linear_trends(counts[:, start:], totals[start:], np.array(years[start:], dtype=float), options)
    bursts = kleinberg(counts, totals, options.s, options.gamma)
    found = counts.sum(axis=1)
    firsts = (first + np.argmax(counts > 0, axis=1)).tolist()
    means = (counts @ np.arange(first, last + 1, dtype=float) / np.maximum(found, 1)).tolist()
    rows, cols = np.nonzero(counts)  # row by row
    bounds = np.searchsorted(rows, np.arange(len(index) + 1)).tolist()
    values, cols = counts[rows, cols].tolist(), (cols + first).tolist()
    out = {}
    for iri, i in index.items():
        out[iri] = ConceptTime(dict(zip(cols[bounds[i]:bounds[i + 1]], values[bounds[i]:bounds[i + 1]])),
                               firsts[i], means[i], trends[i],
                               [Burst(first + a, first + b, round(w, 3), int(counts[i, a:b + 1].sum()))
                                for a, b, w in bursts[i]])
    return Timeline(years, totals.tolist(), years[start:], options, out)


def _count(graph: nx.MultiDiGraph, years_of: dict[str, int], first: int,
           span: int) -> tuple[dict[str, int], np.ndarray]:
    """Concept IRI -> row, and the concepts x years matrix of papers mentioning each."""
    index: dict[str, int] = {}
    cells: list[int] = []
    succ = graph._succ  # the adjacency dicts themselves: NetworkX's views over them took 3/4 of the time
    for paper, year in years_of.items():
        column = year - first
        for concept, keys in succ[paper].items():
            if "mentions" in keys:
                cells.append(index.setdefault(concept, len(index)) * span + column)
    flat = np.bincount(np.array(cells, dtype=np.int64), minlength=len(index) * span)
    return index, flat.reshape(len(index), span)


def check_options(options: TrendOptions) -> None:
    from ..errors import KgError

    if options.window < 2:
        raise KgError(f"the trend window is {options.window} years; a trend needs at least 2")
    if options.s <= 1:
        raise KgError(f"the burst rate factor s is {options.s}; it must be above 1")
    if options.gamma < 0:
        raise KgError(f"gamma is {options.gamma}; it must be 0 or more")
    if not 0 < options.alpha <= 1:
        raise KgError(f"alpha is {options.alpha}; it must be in (0, 1]")


def linear_trends(counts: np.ndarray, totals: np.ndarray, years: np.ndarray,
                  options: TrendOptions) -> list[Trend | None]:
    """Slope of each row's share of `totals` against `years` (weighted least squares), its
    Cochran-Armitage test, and the Benjamini-Hochberg verdict; None where a row has fewer
    than `options.min_papers` papers."""
    n = totals.sum()
    found = counts.sum(axis=1)
    tested = (found >= options.min_papers) & (n > 0)
    if not tested.any():
        return [None] * len(counts)
    mean = float(np.dot(totals, years) / n)
    sxx = float(np.dot(totals, (years - mean) ** 2))
    slope = counts @ (years - mean) / sxx if sxx > 0 else np.zeros(len(counts))
    share = found / n
    spread = np.sqrt(np.where((share > 0) & (share < 1), share * (1 - share), np.inf))
    z = slope * math.sqrt(sxx) / spread
    p = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in z])
    q = benjamini_hochberg(p, tested)
    out: list[Trend | None] = []
    for i in range(len(counts)):
        if not tested[i]:
            out.append(None)
            continue
        direction = "flat" if q[i] > options.alpha or z[i] == 0 else "rising" if z[i] > 0 else "declining"
        out.append(Trend(float(slope[i]), round(float(z[i]), 4), float(p[i]), float(q[i]), int(found[i]), direction))
    return out


def benjamini_hochberg(p: np.ndarray, tested: np.ndarray) -> np.ndarray:
    """Adjusted p-values (q) of the tested entries; 1 for the others."""
    q = np.ones(len(p))
    idx = np.nonzero(tested)[0]
    order = idx[np.argsort(p[idx], kind="stable")]
    m = len(order)
    adjusted = p[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(1, np.minimum.accumulate(adjusted[::-1])[::-1])
    return q


CHUNK = 4096  # concepts per block: bounds the memory of the cost matrices


def kleinberg(counts: np.ndarray, totals: np.ndarray, s: float = 2.0,
              gamma: float = 1.0) -> list[list[tuple[int, int, float]]]:
    """Kleinberg's two-state batched burst detection on each row of `counts` (papers
    mentioning a concept per batch) against `totals` (papers per batch): for each row, its
    bursts as (first batch, last batch, weight). See the module docstring."""
    out: list[list[tuple[int, int, float]]] = []
    for begin in range(0, len(counts), CHUNK):
        out += _kleinberg_block(counts[begin:begin + CHUNK], totals, s, gamma)
    return out


def _kleinberg_block(counts: np.ndarray, totals: np.ndarray, s: float,
                     gamma: float) -> list[list[tuple[int, int, float]]]:
    r = counts.astype(float)
    d = totals.astype(float)
    base = r.sum(axis=1) / max(d.sum(), 1)
    live = (base > 0) & (base < 1)
    p0 = np.where(live, base, 0.5)[:, None]
    p1 = np.minimum(s * p0, 1 - 1e-9)
    cost0 = -(r * np.log(p0) + (d - r) * np.log1p(-p0))
    cost1 = -(r * np.log(p1) + (d - r) * np.log1p(-p1))
    states = _viterbi(cost0, cost1, gamma * math.log(len(totals)) if len(totals) > 1 else 0.0)
    states[~live] = False
    gain = cost0 - cost1
    edges = np.diff(np.pad(states.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    out: list[list[tuple[int, int, float]]] = [[] for _ in range(len(counts))]
    for row, begin in zip(*np.nonzero(edges == 1)):
        end = begin + int(np.argmax(edges[row, begin + 1:] == -1))  # the run's last batch
        out[row].append((int(begin), int(end), float(gain[row, begin:end + 1].sum())))
    return out


def _viterbi(cost0: np.ndarray, cost1: np.ndarray, enter: float) -> np.ndarray:
    """The cheapest state sequence of each row (True: state 1), starting in state 0;
    ties keep the lower state."""
    rows, n = cost0.shape
    best0, best1 = np.zeros(rows), np.full(rows, np.inf)
    came0 = np.zeros((rows, n), dtype=bool)  # state 0 at t was reached from state 1
    came1 = np.zeros((rows, n), dtype=bool)  # state 1 at t was reached from state 1
    for t in range(n):
        came0[:, t] = best1 < best0
        came1[:, t] = best1 < best0 + enter
        best0, best1 = np.minimum(best0, best1) + cost0[:, t], np.minimum(best0 + enter, best1) + cost1[:, t]
    states = np.zeros((rows, n), dtype=bool)
    state = best1 < best0
    for t in range(n - 1, -1, -1):
        states[:, t] = state
        state = np.where(state, came1[:, t], came0[:, t])
    return states
