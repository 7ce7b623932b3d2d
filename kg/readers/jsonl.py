"""Reader for JSON Lines: one JSON object per line with at least `title`.

Lines shaped like OpenAlex works or Semantic Scholar papers go to those readers instead
(`reader_for` looks at the first object); this one reads the project's own flat records.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..errors import InputError
from ..model import Paper
from .jsondocs import read_records
from .records import Source, flat_fields


def read_jsonl(source: Source) -> Iterator[Paper | InputError]:
    """One paper per non-blank line; a malformed line or a record without title is an error."""
    return read_records(source, flat_fields, documents=False)
