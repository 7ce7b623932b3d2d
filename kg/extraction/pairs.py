"""Schwartz & Hearst (2003) abbreviation pairs: "long form (SF)" in a doc.

Shared by the abbreviation binder (which gives SF the long form's concept) and the
new-name finder (which leaves defined short forms to the binder).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .tokens import text_of, tokens

_KEY = "kg_pairs"
_OPEN = frozenset([get_string_id("(")])
_CLOSE = get_string_id(")")
_STOPS = frozenset(get_string_id(c) for c in (")", ";", ","))  # where a short form's parenthesis ends
_SF = re.compile(r"^[A-Za-z0-9][\w\-/&.+]{0,9}$")


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz-Hearst: the shortest suffix of `long` whose words spell `short`."""
    s, l = len(short) - 1, len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while l >= 0 and (long[l].lower() != c or (s == 0 and l > 0 and long[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    start = long.rfind(" ", 0, l + 1) + 1
    return long[start:]


def is_short_form(text: str) -> bool:
    return bool(_SF.match(text)) and any(ch.isupper() for ch in text) and sum(ch.isalpha() for ch in text) >= 2


def find_pairs(doc: Doc) -> list[tuple[Span, Span]]:
    """(long form span, short form span) for each "long form (SF)" in the doc; found once
    per doc and kept, since the abbreviation binder and the name finder both ask."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = list(_pairs(doc))
    return found


def _pairs(doc: Doc) -> Iterator[tuple[Span, Span]]:
    t = tokens(doc)
    orth, n = t.orth, len(t.orth)
    for i in t.where(_OPEN, "orth"):
        if i + 2 >= n or i == 0:
            continue
        close = next((j for j in range(i + 1, min(i + 6, n)) if orth[j] in _STOPS), None)
        if close is None or orth[close] != _CLOSE or close == i + 1:
            continue
        sf = _unquote(doc[i + 1: close])
        if sf is None or not is_short_form(text_of(sf)):
            continue
        lf = _long_form(doc, i, text_of(sf))
        if lf is not None:
            yield lf, sf


def _unquote(span: Span) -> Span | None:
    """The span without quote marks around it; None if nothing is left."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_quote:
        start += 1
    while end > start and span.doc[end - 1].is_quote:
        end -= 1
    return span.doc[start:end] if end > start else None


def _long_form(doc: Doc, paren: int, short: str) -> Span | None:
    n_letters = sum(ch.isalnum() for ch in short)
    window_start = max(tokens(doc).sentence_start(paren - 1), paren - min(n_letters + 5, n_letters * 2) - 2)
    window = doc[window_start:paren]
    found = best_long_form(short, text_of(window))
    if not found or short.lower() in found.lower().split() or len(found) <= len(short):
        return None
    end_char = window.end_char
    span = doc.char_span(end_char - len(found), end_char, alignment_mode="expand")
    if span is None or text_of(span).startswith(("(", "-")) or "\n" in text_of(span):
        return None
    return span
