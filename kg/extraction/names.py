"""New names: methods and datasets a paper introduces that no vocabulary knows.

Cues, all read from ontology/rules.ttl: a name before the title's colon ("LILO: Learning
Interpretable Libraries..."), a name after a proposal verb ("we propose CoreInfer"), after
a naming word ("called X", "dubbed X"), and a name before a dataset word ("the UCF101
dataset"). A name is a token that looks like one: inner capitals, all capitals or digits.
Every occurrence of the name in the doc becomes a mention; names from the first three cues
are marked as proposed by the paper.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from .matcher import SPANS_KEY
from .rules import Rules, load_rules

NEW_CONCEPTS = "kg_new_concepts"  # doc.user_data key: iri -> (label, type, alt labels)
PROPOSED = "kg_proposed"  # doc.user_data key: set of concept IRIs the paper proposes
_NAMEISH = re.compile(r"^(?=.*[A-Za-z])(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]+\d+[A-Za-z0-9]*)$")
_MAX_NAME_TOKENS = 4


def new_concept(doc: Doc, iri: str, label: str, ctype: str, alt: str | None = None) -> None:
    """Record a concept found in this doc (not in any vocabulary)."""
    known = doc.user_data.setdefault(NEW_CONCEPTS, {})
    old = known.get(iri)
    alts = set(old[2]) if old else set()
    if alt:
        alts.add(alt)
    known[iri] = (old[0] if old else label, ctype, tuple(sorted(alts)))


def looks_like_name(text: str, rules: Rules) -> bool:
    """A token that reads as a name: "LILO", "CoreInfer", "GPT-4", "E-iSpec"."""
    if text in rules.not_a_name or len(text) < 2 or rules.not_a_name_pattern.match(text):
        return False
    return bool(_NAMEISH.match(re.sub(r"[-_.]", "", text)))


@Language.factory("kg_new_names", assigns=["doc.spans"], requires=["doc.spans"])
def make_new_names(nlp: Language, name: str) -> "NewNameFinder":
    return NewNameFinder(load_rules())


class NewNameFinder:
    """Adds spans for names a paper introduces; vocabulary spans take precedence."""

    def __init__(self, rules: Rules):
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(SPANS_KEY, []))
        found: list[tuple[Span, str, str, bool]] = []  # (name span, type, rule, proposed)
        found += self._title_name(doc)
        found += self._cued_names(doc)
        found += self._dataset_names(doc)
        added: list[Span] = []
        for name, ctype, rule, proposed in found:
            existing = _same(name, spans + added)
            if existing is not None:
                if proposed:
                    doc.user_data.setdefault(PROPOSED, set()).add(existing.kb_id_)
                continue
            iri = concept_iri(ctype, name.text)
            new_concept(doc, iri, name.text, ctype)
            if proposed:
                doc.user_data.setdefault(PROPOSED, set()).add(iri)
            added += [Span(doc, s, e, label=ctype, kb_id=iri, span_id=rule) for s, e in _occurrences(doc, name)]
        if added:
            doc.spans[SPANS_KEY] = filter_spans(spans + added)
        return doc

    def _title_name(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        title_end = doc.text.find("\n\n")
        title = doc.text if title_end < 0 else doc.text[:title_end]
        colon = title.find(":")
        if colon <= 0:
            return []
        name = doc.char_span(0, colon, alignment_mode="contract")
        if name is None or len(name) > _MAX_NAME_TOKENS or name.text.lower() in self.rules.not_a_title_name:
            return []
        if not all(t.text[0].isupper() or t.is_digit or t.text in "-" for t in name):
            return []
        if not any(looks_like_name(t.text, self.rules) for t in name) and len(name) > 1:
            return []
        if len(name) == 1 and not looks_like_name(name.text, self.rules):
            return []
        rest = title[colon + 1:].lower()
        ctype = "dataset" if any(cue in rest.split() for cue in self.rules.dataset_cues) else "method"
        return [(name, ctype, "new-name:title", True)]

    def _cued_names(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        out = []
        for tok in doc:
            low = tok.lower_
            if low in self.rules.naming_cues:
                window = doc[tok.i + 1: tok.i + 3]
                rule = "new-name:called"
            elif low in self.rules.proposal_verbs and tok.i > 0 and doc[tok.i - 1].lower_ in {"we", "paper", "work", "study"}:
                window = doc[tok.i + 1: min(tok.i + 12, tok.sent.end)]
                rule = "new-name:proposal"
            else:
                continue
            name = self._first_name(window)
            if name is not None:
                following = doc[name.end: name.end + 3].text.lower().split()
                ctype = "dataset" if any(w in self.rules.dataset_cues for w in following + window.text.lower().split()[:3]) else "method"
                out.append((name, ctype, rule, True))
        return out

    def _first_name(self, window: Span) -> Span | None:
        for tok in window:
            if tok.text in {",", ".", ";", ":"} and tok.i > window.start + 1:
                return None
            if looks_like_name(tok.text, self.rules):
                return window.doc[tok.i: tok.i + 1]
        return None

    def _dataset_names(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        out = []
        for tok in doc:
            if tok.lower_ not in self.rules.dataset_cues or tok.i == 0:
                continue
            prev = doc[tok.i - 1]
            if looks_like_name(prev.text, self.rules):
                out.append((doc[prev.i: prev.i + 1], "dataset", "new-name:dataset", False))
        return out


def _same(name: Span, spans: list[Span]) -> Span | None:
    for s in spans:
        if s.start <= name.start and s.end >= name.end:
            return s
    return None


def _occurrences(doc: Doc, name: Span):
    words = [t.text for t in name]
    n = len(words)
    for i in range(len(doc) - n + 1):
        if doc[i].text == words[0] and [t.text for t in doc[i: i + n]] == words:
            yield i, i + n
