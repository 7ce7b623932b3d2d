"""Decoding text files line by line with errors that say where and why.

Shared by the text-based readers so a binary or non-UTF-8 file gets the same clear
message (file and line) whichever reader meets it.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

_SNIFF_BYTES = 4096


def iter_lines(path: Path, name: str | None = None) -> Iterator[tuple[int, str]]:
    """Yield (line number, line without newline), failing clearly on bad bytes."""
    shown = name or str(path)
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if b"\x00" in raw:
                raise InputError(shown, "binary file (NUL byte); expected UTF-8 text", number)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise InputError(shown, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})", number) from None
            if number == 1:
                line = line.lstrip("\ufeff")
            yield number, line.rstrip("\r\n")


def sniff(path: Path) -> str:
    """Guess the format of a file whose extension says nothing: jsonl, csv or page."""
    with open(path, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    if b"\x00" in head:
        raise InputError(path, "binary file (NUL byte); expected UTF-8 text")
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].decode("utf-8", "replace")
    if first.startswith("{"):
        return "jsonl"
    header = first.lower()
    if "," in header and "title" in header and "abstract" in header:
        return "csv"
    return "page"
