"""SPARQL over exported graphs."""
from .sparql import format_results, load_graph, run_query

__all__ = ["format_results", "load_graph", "run_query"]
