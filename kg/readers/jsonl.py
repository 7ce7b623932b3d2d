"""Reader for JSON Lines: one JSON object per line with at least `title`.

Lines shaped like OpenAlex works or Semantic Scholar papers go to those readers instead
(`reader_for` looks at the first object); this one reads the project's own flat records.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..errors import InputError
from ..model import Paper
from .jsondocs import iter_json_items
from .records import Source, paper_from_record


def read_jsonl(source: Source) -> Iterator[Paper | InputError]:
    """One paper per non-blank line; a malformed line or a record without title is an error."""
    for item in iter_json_items(source.path, documents=False):
        yield item if isinstance(item, InputError) else paper_from_record(item[1], source, item[0])
