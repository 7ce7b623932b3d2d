"""Reader for saved listing pages: a title line, then an abstract line, per paper.

The pages carry furniture from the site they were saved from (subscription prompts, a
"new" badge, a date line, "Subscribe" glued to the first title); that is not a paper and
is dropped here, by pattern, before titles and abstracts are paired.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Paper
from .records import Source
from .text import iter_lines

FURNITURE = re.compile(
    r"""(?ix)^(
        get\ trending\ papers\ in\ your\ email\ inbox(\ once\ a\ day)?!?
      | subscribe
      | new
      | by\s*ak\ and\ the\ research\ community
      | (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\ \d{1,2}(,\ \d{4})?
    )$"""
)
GLUED_PREFIX = re.compile(r"^Subscribe(?=\S)")


def clean_line(line: str) -> str | None:
    """The line's content, or None if it is blank or page furniture."""
    line = line.strip()
    if not line or FURNITURE.match(line):
        return None
    return GLUED_PREFIX.sub("", line)


def read_page(source: Source) -> Iterator[Paper]:
    """Yield one paper per (title line, abstract line) pair."""
    title: str | None = None
    for _, raw in iter_lines(source.path):
        line = clean_line(raw)
        if line is None:
            continue
        if title is None:
            title = line
            continue
        yield Paper(title=title, abstract=line, sources=[source.name])
        title = None
    if title is not None:  # a last title with no abstract: keep it, title-only
        yield Paper(title=title, abstract="", sources=[source.name])
