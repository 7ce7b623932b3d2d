"""Gaps: combinations of concepts that fewer papers try than their popularity predicts.

For two concept types (methods x brain regions, say) every pair of reasonably common
concepts gets observed = papers mentioning both and expected = n_a * n_b / N, the count if
the two were independent. Pairs are ranked by expected minus observed: the combinations
the field has under-explored relative to how common each part is.

Only pairs expected in at least `min_expected` papers (1.5 by default) are ranked: when
independence predicts one paper or less, seeing none is what chance gives anyway. Each
pair has p, the hypergeometric probability of `observed` or fewer papers with both when
n_a of N papers have the one and n_b the other, drawn independently (Fisher's exact test,
one-sided): small p, a gap chance hardly explains.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph

from ..errors import KgError

RELATION = {"method": "usesMethod", "dataset": "usesDataset", "modality": "hasModality", "brain_region": "studiesRegion"}
QUERY = """
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?paper ?concept ?label WHERE {{ ?paper kg:{relation} ?concept . ?concept skos:prefLabel ?label . }}
"""
PAPERS = """
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper . FILTER NOT EXISTS { ?p kg:stub true } }
"""


@dataclass(frozen=True)
class Gap:
    row: str
    col: str
    row_papers: int
    col_papers: int
    observed: int
    expected: float
    p: float  # P(observed or fewer | N, n_a, n_b), hypergeometric


def find_gaps(graph: Graph, rows: str = "method", cols: str = "brain_region", min_papers: int = 3,
              limit: int = 20, min_expected: float = 1.5) -> list[Gap]:
    """Pairs of a `rows` concept and a `cols` concept expected in `min_expected` papers or
    more, most under-explored (expected minus observed) first, each with its p."""
    from scipy.stats import hypergeom  # imported here: only this command needs it
    for t in (rows, cols):
        if t not in RELATION:
            raise KgError(f"unknown concept type {t!r} (choose from: {', '.join(RELATION)})")
    n = int(next(iter(graph.query(PAPERS)))[0])
    a, labels_a = _papers_by_concept(graph, rows)
    b, labels_b = _papers_by_concept(graph, cols)
    gaps = []
    for ca, pa in a.items():
        for cb, pb in b.items():
            if ca == cb or len(pa) < min_papers or len(pb) < min_papers or (rows == cols and ca > cb):
                continue  # one row per unordered pair when both sides are of one type
            expected = len(pa) * len(pb) / n
            if expected >= min_expected:
                gaps.append(Gap(labels_a[ca], labels_b[cb], len(pa), len(pb), len(pa & pb), round(expected, 2),
                                float(hypergeom.cdf(len(pa & pb), n, len(pa), len(pb)))))
    gaps.sort(key=lambda g: (-(g.expected - g.observed), g.row, g.col))
    return gaps[:limit]


def _papers_by_concept(graph: Graph, ctype: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    papers: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for paper, concept, label in graph.query(QUERY.format(relation=RELATION[ctype])):
        papers[str(concept)].add(str(paper))
        labels[str(concept)] = str(label)
    return papers, labels


def format_gaps(gaps: list[Gap], rows: str, cols: str) -> tuple[list[str], list[list[str]]]:
    """Columns and rows for the query formatter."""
    columns = [rows, cols, f"{rows} papers", f"{cols} papers", "observed", "expected", "p"]
    return columns, [[g.row, g.col, str(g.row_papers), str(g.col_papers), str(g.observed), f"{g.expected:.2f}",
                      f"{g.p:.2g}"] for g in gaps]
