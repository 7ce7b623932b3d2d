"""Code links: GitHub and GitLab URLs in abstracts become repository nodes."""
from __future__ import annotations

import re
from collections.abc import Iterable

import networkx as nx

from ..model import Paper

_REPO = re.compile(r"https?://(?:www\.)?(github\.com|gitlab\.com)/([\w.-]+)/([\w.-]+)", re.I)


def find_repositories(text: str) -> list[tuple[str, int, int]]:
    """(canonical repository URL, start, end) for each repository URL in the text."""
    out = []
    for m in _REPO.finditer(text):
        owner, name = m.group(2), m.group(3).rstrip(".").removesuffix(".git")
        url = f"https://{m.group(1).lower()}/{owner}/{name}"
        out.append((url, m.start(), m.start(0) + len(m.group(0).rstrip("."))))
    return out


def link_repositories(graph: nx.MultiDiGraph, papers: Iterable[tuple[str, Paper]]) -> None:
    """Add repository nodes and `codeRepository` edges carrying where the URL is."""
    for iri, paper in papers:
        for field in ("title", "abstract"):
            text = getattr(paper, field)
            for url, start, end in find_repositories(text):
                if url not in graph:
                    graph.add_node(url, kind="repository", label=url.split("/", 3)[3])
                graph.add_edge(iri, url, key="codeRepository", kind="codeRepository",
                               evidence=[dict(paper=iri, field=field, start=start, end=end, sentence=_sentence(text, start),
                                              rule="url")])


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at) + 2, 0) if text.rfind(". ", 0, at) >= 0 else 0
    end = text.find(". ", at)
    return text[start: end + 1 if end >= 0 else len(text)].strip()
