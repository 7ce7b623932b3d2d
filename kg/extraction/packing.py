"""Extraction results as plain tuples: what crosses process boundaries and sits in the cache.

A vocabulary concept travels as its IRI only and is joined again with the one `Concept`
object of the main process's vocabulary, so 100k papers do not hold 100k copies of
"transformer" with all its labels; names found in a paper travel whole.
"""
from __future__ import annotations

from sys import intern

from ..model import Concept, ConceptMentions, Mention

Packed = list[tuple]  # one tuple per concept: (iri, new concept or None, proposed, mention tuples)


def pack(found: list[ConceptMentions], known: dict[str, Concept]) -> Packed:
    out = []
    for cm in found:
        c = cm.concept
        new = None if c.iri in known else (c.type, c.label, c.alt_labels, c.broader, c.source)
        out.append((c.iri, new, cm.proposed, tuple(mention_tuple(m) for m in cm.mentions)))
    return out


def unpack(packed: Packed, known: dict[str, Concept]) -> list[ConceptMentions]:
    found = []
    sentences: dict[str, str] = {}  # mentions in one sentence share its string
    for iri, new, proposed, mentions in packed:
        concept = known[iri] if new is None else Concept(iri, *new)
        found.append(ConceptMentions(concept, [mention_from(m, sentences) for m in mentions], proposed))
    return found


def mention_tuple(m: Mention) -> tuple:
    """A Mention as a tuple, its fields in order."""
    return (m.text, m.field, m.start, m.end, m.sentence, m.rule, m.sentence_start, m.confidence)


def mention_from(t: tuple, sentences: dict[str, str] | None = None) -> Mention:
    """The Mention of `mention_tuple`; pass one `sentences` dict per paper so mentions in
    one sentence share its string."""
    text, field, start, end, sentence, rule, sentence_start, confidence = t
    if sentences is not None:
        sentence = sentences.setdefault(sentence, sentence)
    return Mention(text, intern(field), start, end, sentence, intern(rule), sentence_start, confidence)
