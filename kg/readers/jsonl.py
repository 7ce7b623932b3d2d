"""Reader for JSON Lines: one JSON object per line with at least `title`."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..model import Paper
from .records import paper_from_record
from .text import iter_lines


def read_jsonl(path: Path, name: str) -> Iterator[Paper]:
    """Yield one paper per non-blank line; a malformed line is an error naming it."""
    for number, line in iter_lines(path, name):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(name, f"malformed JSON ({e.msg} at column {e.colno})", number) from None
        if not isinstance(rec, dict):
            raise InputError(name, f"expected a JSON object, got {type(rec).__name__}", number)
        yield paper_from_record(rec, name, number)
