"""The graph model: NetworkX graph built from extraction results; every exporter reads it."""
from .build import RELATIONS, build_graph, concepts, edges, papers

__all__ = ["RELATIONS", "build_graph", "concepts", "edges", "papers"]
