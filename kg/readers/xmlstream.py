"""Streaming the records of an XML file, so a PubMed baseline file never sits in memory whole.

Both XML readers (PubMed, arXiv Atom) want the same thing: check the root element says
the file is what they read, then take record elements one at a time and free each after use.
A file that is not well-formed XML is a whole-file error with its line.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import InputError


def iter_elements(path: Path, roots: Mapping[str, str]) -> Iterator[tuple[int, ET.Element]]:
    """(number, element) per record; `roots` maps each accepted root tag to its record tag."""
    events = ET.iterparse(path, events=("start", "end"))
    try:
        _, root = next(events)
        record = roots.get(root.tag)
        if record is None:
            raise InputError(path, f"unexpected XML root element <{_local(root.tag)}> "
                                   f"(expected {' or '.join(f'<{_local(t)}>' for t in roots)})")
        number = 0
        for event, elem in events:
            if event == "end" and elem.tag == record:
                number += 1
                yield number, elem
                root.clear()
    except ET.ParseError as e:
        raise InputError(path, f"malformed XML ({str(e).split(':')[0]})", e.position[0]) from None


def text_of(elem: ET.Element | None) -> str:
    """All the text inside an element, inline markup (<i>, <sup>) included."""
    return "".join(elem.itertext()) if elem is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
