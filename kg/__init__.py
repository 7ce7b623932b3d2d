"""kg: turn research-paper abstracts into a citation/concept knowledge graph.

Readers -> paper records -> extraction (spaCy) -> linking -> graph model (NetworkX) ->
exporters (Turtle, HTML, JSONL). `build`, `query` and `extract` are the library API.
"""
from .api import BuildResult, build, build_model, export, export_graph, extract, query, timeline, train, trends
from .errors import InputError, KgError, QueryError
from .linking.trends import TrendOptions

__version__ = "0.1.0"
__all__ = ["BuildResult", "InputError", "KgError", "QueryError", "TrendOptions", "build", "build_model", "export",
           "export_graph", "extract", "query", "timeline", "train", "trends"]
