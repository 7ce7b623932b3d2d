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
        mentions = tuple((m.text, m.field, m.start, m.end, m.sentence, m.rule, m.sentence_start) for m in cm.mentions)
        out.append((c.iri, new, cm.proposed, mentions))
    return out


def unpack(packed: Packed, known: dict[str, Concept]) -> list[ConceptMentions]:
    found = []
    sentences: dict[str, str] = {}  # mentions in one sentence share its string
    for iri, new, proposed, mentions in packed:
        concept = known[iri] if new is None else Concept(iri, *new)
        found.append(ConceptMentions(concept, [
            Mention(text, intern(field), start, end, sentences.setdefault(sentence, sentence), intern(rule), sent_start)
            for text, field, start, end, sentence, rule, sent_start in mentions], proposed))
    return found
