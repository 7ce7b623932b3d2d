"""All the links that follow the extraction, added to the graph in one pass.

Order matters only in that associations need the final paper count (stubs excluded) and
work mentions need every paper's mentions.
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..model import Paper
from .citations import link_citations
from .relations import add_associations, add_typed_relations
from .repositories import link_repositories
from .similarity import add_similarity
from .works import link_work_mentions


def link(graph: nx.MultiDiGraph, papers: Iterable[tuple[str, Paper]]) -> None:
    """Citations, code repositories, work mentions, associations, relations, similarity."""
    papers = list(papers)
    link_citations(graph, papers)
    link_repositories(graph, papers)
    link_work_mentions(graph)
    add_associations(graph)
    add_typed_relations(graph)
    add_similarity(graph)
