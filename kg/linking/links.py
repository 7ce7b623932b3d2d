"""All the links that follow the extraction, added to the graph in one pass.

Order matters only in that associations need the final paper count (stubs excluded) and
work mentions need every paper's mentions; similarity reads the mentions first and adds its
edges last.
"""
from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import networkx as nx

from ..model import Paper
from ..stages import Stopwatch
from .citations import link_citations
from .clusters import add_clusters
from .relations import add_associations, add_typed_relations
from .repositories import link_repositories
from .similarity import finish_similarity, start_similarity
from .trends import add_trends
from .works import link_work_mentions


def link(graph: nx.MultiDiGraph, papers: Iterable[tuple[str, Paper]], watch: Stopwatch | None = None,
         pool: ProcessPoolExecutor | None = None) -> None:
    """Citations, code repositories, work mentions, associations, relations, concept
    clusters, trends, similarity (each a stage of `watch`). With a `pool` (`similarity.pairs_process`), similar papers
    are found there while the other links are made."""
    papers = list(papers)
    watch = watch or Stopwatch()
    with watch.stage("similarity"):
        similar = start_similarity(graph, pool=pool)  # needs only the mentions, which nothing below changes
    with watch.stage("citations"):
        link_citations(graph, papers)
    with watch.stage("repositories"):
        link_repositories(graph, papers)
    with watch.stage("work mentions"):
        link_work_mentions(graph)
    with watch.stage("associations"):
        add_associations(graph)
    with watch.stage("relations"):
        add_typed_relations(graph)
    with watch.stage("clusters"):
        add_clusters(graph)
    with watch.stage("trends"):
        add_trends(graph)
    with watch.stage("similarity"):
        finish_similarity(graph, similar)
