"""Abbreviations: "long form (SF)" binds SF to the long form's concept in this abstract.

The pairing is the Schwartz & Hearst (2003) algorithm: the short form's characters are
found right to left in the words before the bracket, the first one at a word start. If the
long form is a known concept, every occurrence of SF in the doc becomes a mention of it;
if only SF is known, the long form joins SF's concept; if neither is known and the long
form ends in a head noun of a type (ontology/rules.ttl), it becomes a new concept.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from .matcher import SPANS_KEY
from .names import new_concept
from .rules import Rules, load_rules
from .vocab import Vocabulary

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


@Language.factory("kg_abbreviations", assigns=["doc.spans"], requires=["doc.spans"])
def make_abbreviations(nlp: Language, name: str) -> "AbbreviationBinder":
    return AbbreviationBinder(load_rules())


class AbbreviationBinder:
    """Binds defined short forms to concepts for the rest of the doc.

    The local definition wins: where a short form the vocabulary knows ("CN", cochlear
    nucleus) is defined as something else ("computational neuroscience (CN)"), its
    vocabulary matches in this doc are dropped.
    """

    def __init__(self, rules: Rules):
        self.rules = rules
        self.labels: dict[str, list[str]] = {}

    def add_vocabulary(self, vocabulary: Vocabulary) -> None:
        """Labels per concept, to check that a long form fits a known short form."""
        for term in vocabulary.terms:
            self.labels.setdefault(term.iri, []).append(_norm(term.text))

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(SPANS_KEY, []))
        added: list[Span] = []
        dropped: set[tuple[str, str]] = set()  # (short form, concept IRI) defined otherwise
        for lf, sf in find_pairs(doc):
            added.extend(self._bind(doc, lf, sf, spans, dropped))
        if added or dropped:
            keep = [s for s in spans if not any(_overlaps(s, a) for a in added)
                    and (s.text.rstrip("s"), s.kb_id_) not in dropped and (s.text, s.kb_id_) not in dropped]
            doc.spans[SPANS_KEY] = filter_spans(added + keep)
        return doc

    def _bind(self, doc: Doc, lf: Span, sf: Span, spans: list[Span], dropped: set[tuple[str, str]]) -> list[Span]:
        target = _concept_of_long_form(lf, spans)
        if target is None:
            known = _covering(sf, spans)
            if known is not None and self._fits(lf.text, known[1]):
                target = known
            elif known is not None:
                dropped.add((sf.text, known[1]))
        if target is None:
            ctype = self.rules.head_nouns.get(lf[-1].lower_)
            if ctype is None or lf[0].is_stop:
                return []
            iri = concept_iri(ctype, lf.text)
            new_concept(doc, iri, lf.text, ctype, sf.text)
            target = (ctype, iri)
        ctype, iri = target
        out = [s for s in spans if s.kb_id_ == iri and s.start == lf.start and s.end == lf.end]
        out = out or [Span(doc, lf.start, lf.end, label=ctype, kb_id=iri, span_id="abbreviation:long-form")]
        for start, end in _occurrences(doc, sf.text):
            out.append(Span(doc, start, end, label=ctype, kb_id=iri, span_id="abbreviation"))
        return out


    def _fits(self, long_form: str, iri: str) -> bool:
        """Does an unknown long form plausibly spell a label of this concept?"""
        norm = _norm(long_form)
        return any(SequenceMatcher(None, norm, label).ratio() >= 0.8 for label in self.labels.get(iri, []))


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower()).removesuffix("s")


def find_pairs(doc: Doc):
    """Yield (long form span, short form span) for each "long form (SF)" in the doc."""
    for tok in doc:
        if tok.text != "(" or tok.i + 2 >= len(doc):
            continue
        close = next((t.i for t in doc[tok.i + 1: tok.i + 4] if t.text in {")", ";", ","}), None)
        if close is None or doc[close].text != ")" or close == tok.i + 1:
            continue
        sf = doc[tok.i + 1: close]
        if not is_short_form(sf.text) or tok.i == 0:
            continue
        lf = _long_form(doc, tok.i, sf.text)
        if lf is not None:
            yield lf, sf


def _long_form(doc: Doc, paren: int, short: str) -> Span | None:
    n_letters = sum(ch.isalnum() for ch in short)
    window_start = max(doc[paren - 1].sent.start, paren - min(n_letters + 5, n_letters * 2) - 2)
    window = doc[window_start:paren]
    found = best_long_form(short, window.text)
    if not found or short.lower() in found.lower().split() or len(found) <= len(short):
        return None
    end_char = window.end_char
    span = doc.char_span(end_char - len(found), end_char, alignment_mode="expand")
    if span is None or span.text.startswith(("(", "-")) or "\n" in span.text:
        return None
    return span


def _concept_of_long_form(lf: Span, spans: list[Span]) -> tuple[str, str] | None:
    for s in spans:
        if s.end == lf.end and s.start <= lf.start:
            return s.label_, s.kb_id_
    return None


def _covering(sf: Span, spans: list[Span]) -> tuple[str, str] | None:
    for s in spans:
        if s.start <= sf.start and s.end >= sf.end:
            return s.label_, s.kb_id_
    return None


def _occurrences(doc: Doc, short: str):
    forms = {short, short + "s"}
    for tok in doc:
        if tok.text in forms:
            yield tok.i, tok.i + 1


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
