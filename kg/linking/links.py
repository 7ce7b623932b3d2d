"""All the links that follow the extraction, added to the graph in one pass.

Order matters only in that associations need the final paper count (stubs excluded) and
work mentions need every paper's mentions.
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..model import Paper
from ..stages import Stopwatch
from .citations import link_citations
from .relations import add_associations, add_typed_relations
from .repositories import link_repositories
from .similarity import add_similarity
from .works import link_work_mentions


def link(graph: nx.MultiDiGraph, papers: Iterable[tuple[str, Paper]], watch: Stopwatch | None = None) -> None:
    """Citations, code repositories, work mentions, associations, relations, similarity
    (each a stage of `watch`)."""
    papers = list(papers)
    watch = watch or Stopwatch()
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
    with watch.stage("similarity"):
        add_similarity(graph)
