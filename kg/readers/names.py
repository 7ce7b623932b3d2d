"""Author names as the graph shows them: "Given Family", whatever order the source used.

Bibliography formats write "Family, Given" (BibTeX, RIS), split the parts (CSL-JSON,
PubMed) or give a display name (arXiv, OpenAlex, Semantic Scholar); one helper per shape
keeps every reader's authors comparable.
"""
from __future__ import annotations

import re


def display_name(name: str) -> str:
    """'Family, Given' -> 'Given Family' ('Family, Jr., Given' -> 'Given Family Jr.');
    a name without a comma is kept, whitespace collapsed."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return join_name(parts[1], parts[0])
    if len(parts) == 3 and parts[0] and parts[2]:
        return join_name(parts[2], f"{parts[0]} {parts[1]}")
    return _squash(name)


def join_name(given: str | None, family: str | None) -> str:
    """'Given Family' from the two parts, either of which may be missing."""
    return _squash(f"{given or ''} {family or ''}")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
