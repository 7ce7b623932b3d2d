"""JSON inputs that are either one document or JSON Lines, yielding one object per record.

OpenAlex and Semantic Scholar answer with a document (`{"results": [...]}`,
`{"data": [...]}`, a list or a single work), and their bulk dumps are JSON Lines; Zotero
exports one array. Readers of those formats take their records from here, numbered by line
(JSON Lines) or by position (items of a document), with a broken line or a non-object item
reported as an `InputError` and reading going on. `read_records` is those readers' loop: a
record whose fields have the wrong JSON types (`WrongShape`) is reported, the others kept.
JSON nested deeper than Python's recursion limit is malformed JSON like any other.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Paper
from .records import Source, WrongShape, json_kind, make_paper
from .text import iter_lines

Item = tuple[int, dict[str, Any]]
WRAPPERS = ("results", "data")


def read_records(source: Source, fields_of: Callable[[dict[str, Any]], dict[str, Any]], *,
                 documents: bool = True) -> Iterator[Paper | InputError]:
    """One paper per record of `source`, its fields mapped by `fields_of`."""
    for item in iter_json_items(source.path, documents=documents):
        if isinstance(item, InputError):
            yield item
            continue
        number, record = item
        try:
            fields = fields_of(record)
        except WrongShape as e:
            yield source.error(f"unexpected JSON in record ({e})", number)
            continue
        yield make_paper(fields, source, number)


def iter_json_items(path: Path, *, documents: bool = True) -> Iterator[Item | InputError]:
    """(number, object) per record; `documents=False` reads JSON Lines of objects only."""
    lines = ((n, line) for n, line in iter_lines(path) if line.strip())
    first = next(lines, None)
    if first is None:
        return
    if documents and not _parses(first[1]):  # one pretty-printed document
        text = "\n" * (first[0] - 1) + "\n".join([first[1]] + [line for _, line in lines])
        yield from _unwrap(_load(text, path), path, None)
        return
    for number, line in itertools.chain([first], lines):
        try:
            value = _decode(line)
        except json.JSONDecodeError as e:
            yield _malformed(e, path, number)
            continue
        yield from _unwrap(value, path, number) if documents else [_object(value, path, number)]


def _unwrap(value: Any, path: Path, line: int | None) -> Iterator[Item | InputError]:
    """A document's records: a wrapper's list or a list (numbered by position), or one object."""
    if isinstance(value, dict):
        value = next((value[k] for k in WRAPPERS if isinstance(value.get(k), list)), value)
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield _object(item, path, number)
    else:
        yield _object(value, path, line or 1)


def _object(value: Any, path: Path, number: int) -> Item | InputError:
    if isinstance(value, dict):
        return number, value
    return InputError(path, f"expected a JSON object, got {json_kind(value)}", number)


def _load(text: str, path: Path) -> Any:
    try:
        return _decode(text)
    except json.JSONDecodeError as e:
        raise _malformed(e, path, e.lineno) from None


def _malformed(e: json.JSONDecodeError, path: Path, line: int) -> InputError:
    return InputError(path, f"malformed JSON ({e.msg} at column {e.colno})", line)


def _parses(line: str) -> bool:
    try:
        _decode(line)
    except json.JSONDecodeError:
        return False
    return True


def _decode(text: str) -> Any:
    """`json.loads`, where nesting too deep for Python's stack is a decoding error too."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, len(text) - len(text.lstrip())) from None
