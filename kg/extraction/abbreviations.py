"""Abbreviations: "long form (SF)" binds SF to the long form's concept in this abstract.

The pairing is the Schwartz & Hearst (2003) algorithm (pairs.py). If the
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
from .matcher import get_spans, set_spans
from .identity import ConceptIndex, new_concept
from .names import looks_like_name
from .pairs import find_pairs
from .rules import Rules, load_rules
from .tokens import hashes, text_of, tokens
from .vocab import Vocabulary



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
        self.index = ConceptIndex([], {})

    def add_vocabulary(self, vocabulary: Vocabulary) -> None:
        """Labels per concept, to check that a long form fits a known short form."""
        self.index = ConceptIndex.of(vocabulary)
        for term in vocabulary.terms:
            self.labels.setdefault(term.iri, []).append(_norm(term.text))

    def __call__(self, doc: Doc) -> Doc:
        spans = get_spans(doc)
        added: list[Span] = []
        dropped: set[tuple[str, str]] = set()  # (short form, concept IRI) defined otherwise
        for lf, sf in find_pairs(doc):
            added.extend(self._bind(doc, lf, sf, spans, dropped))
        if added or dropped:
            keep = [s for s in spans if not any(_overlaps(s, a) for a in added) and not _dropped(s, dropped)]
            set_spans(doc, filter_spans(added + keep))
        return doc

    def _bind(self, doc: Doc, lf: Span, sf: Span, spans: list[Span], dropped: set[tuple[str, str]]) -> list[Span]:
        short, long = text_of(sf), text_of(lf)
        target = self._concept_of_long_form(lf, short, spans)
        if target is None:
            known = _covering(sf, spans)
            if known is not None and self._fits(long, known[1]):
                target = known
            elif known is not None:
                dropped.add((short, known[1]))
        if target is None:
            ctype = self._new_type(lf, sf)
            if ctype is None:
                return []
            label, alt = (short, long) if self._coined(short) else (long, short)
            iri = self.index.get(ctype, long)  # "pre-trained language models (PLMs)": a known concept
            if iri is None:
                iri = concept_iri(ctype, label)
                new_concept(doc, iri, label, ctype, alt)
            target = (ctype, iri)
        ctype, iri = target
        # the long form's mention: the match that ends with it ("self supervised learning (SSL)",
        # where the pairing found "supervised learning"), else the long form itself
        out = [s for s in spans if s.kb_id_ == iri and s.start <= lf.start and s.end == lf.end][:1]
        out = out or [Span(doc, lf.start, lf.end, label=ctype, kb_id=iri, span_id="abbreviation:long-form")]
        for start, end in occurrences(doc, short):
            out.append(Span(doc, start, end, label=ctype, kb_id=iri, span_id="abbreviation"))
        return out


    def _concept_of_long_form(self, lf: Span, short: str, spans: list[Span]) -> tuple[str, str] | None:
        """The concept of the match that ends with the long form; where that match starts
        earlier and only the long form spells the short form ("deep reinforcement learning
        (RL)"), the concept the long form itself names, if the vocabulary has one."""
        for s in spans:
            if s.end == lf.end and s.start <= lf.start:
                if s.start < lf.start and _spells(text_of(lf), short) and not _spells(text_of(s), short):
                    iri = self.index.get(s.label_, text_of(lf))
                    if iri is not None:
                        return s.label_, iri
                return s.label_, s.kb_id_
        return None

    def _new_type(self, lf: Span, sf: Span) -> str | None:
        """Type of a new concept defined here: by the long form's head noun, or "method"
        for a mixed-case coined name ("BrainDiVE", "LogiCoT") whatever the head."""
        if lf[0].is_stop or text_of(lf).lower() in self.rules.not_a_concept:
            return None
        ctype = self.rules.head_nouns.get(lf[-1].lower_)
        if ctype is None and self._coined(text_of(sf)):
            ctype = "method"
        return ctype

    def _coined(self, short: str) -> bool:
        """A mixed-case name ("BrainDiVE", "LogiCoT"), not an acronym or "post-AGB"."""
        core = short[:-1] if short.endswith("s") and short[:-1].isupper() else short  # "BCIs" is an acronym
        return bool(re.search(r"[a-z]", core) and re.search(r"[A-Z]", core)) and looks_like_name(short, self.rules)

    def _fits(self, long_form: str, iri: str) -> bool:
        """Does an unknown long form plausibly spell a label of this concept?"""
        norm = _norm(long_form)
        return any(SequenceMatcher(None, norm, label).ratio() >= 0.8 for label in self.labels.get(iri, []))


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower()).removesuffix("s")


def _spells(text: str, short: str) -> bool:
    """Do the initials of `text` spell `short` ("reinforcement learning", "RL")?"""
    letters = re.sub(r"[^a-z0-9]", "", (short[:-1] if short.endswith("s") and short[:-1].isupper() else short).lower())
    return "".join(w[0] for w in re.split(r"[\s\-]+", text.lower()) if w) == letters


def _covering(sf: Span, spans: list[Span]) -> tuple[str, str] | None:
    for s in spans:
        if s.start <= sf.start and s.end >= sf.end:
            return s.label_, s.kb_id_
    return None


def occurrences(doc: Doc, short: str):
    for i in tokens(doc).where(hashes(doc.vocab.strings, (short, short + "s")), "orth"):
        yield i, i + 1


def _dropped(span: Span, dropped: set[tuple[str, str]]) -> bool:
    """A match of a short form (or its plural) that was defined as something else here."""
    if not dropped:
        return False
    text = text_of(span)
    return (text.rstrip("s"), span.kb_id_) in dropped or (text, span.kb_id_) in dropped


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
