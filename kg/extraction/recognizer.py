"""The trained recognizer's place in the pipeline: its entities become concept mentions.

The recognizer (spaCy `tok2vec` + `ner`, trained by `kg train` on annotated abstracts) runs
before the rule components and writes `doc.ents`. `kg_recognizer_spans` runs after the
rule components (vocabulary, abbreviations, new names, region phrases) and merges the two:
- where an entity overlaps a vocabulary match of its type, the match stays (the vocabulary
  names the concept) and its rule says both found it (`vocab:methods.ttl+model`);
- an entity no match covers is named through the vocabulary (its text, case and a plural
  aside, is a label of a concept of its type), or else becomes a concept of the paper
  (`model`), as an abbreviation or a new name does; a short form defined right after it
  ("Deep Equilibrium Models (DEQs)") joins that concept wherever it occurs;
- an entity whose text the vocabulary gives another type was left out by the matcher on
  purpose (an ambiguous label without its context words), so it is dropped; so is a
  generic phrase the rules never make a concept of ("neural network"), a URL, and the
  function words at an entity's edges.
The availability filter then runs over the merged spans.
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from .abbreviations import occurrences
from .confidence import AGREED, MODEL
from .matcher import get_spans, set_spans
from .identity import identity_key, new_concept
from .pairs import find_pairs
from .rules import Rules, load_rules
from .tokens import text_of
from .vocab import Vocabulary

_EDGE_PUNCT = frozenset("-,.;:/")


@Language.factory("kg_recognizer_spans", assigns=["doc.spans"], requires=["doc.ents", "doc.spans"])
def make_recognizer_spans(nlp: Language, name: str) -> "RecognizerSpans":
    return RecognizerSpans(load_rules())


class RecognizerSpans:
    """Merges the recognizer's entities into the rule components' spans."""

    def __init__(self, rules: Rules) -> None:
        self.generic = rules.not_a_concept  # phrases no rule makes a concept of
        self.names: dict[tuple[str, str], str] = {}  # (type, normalised label) -> concept IRI
        self.types: dict[str, set[str]] = {}  # normalised label -> types the vocabulary gives it

    def add_vocabulary(self, vocabulary: Vocabulary) -> None:
        for term in sorted(vocabulary.terms, key=lambda t: (t.iri, t.text)):
            ctype = vocabulary.concepts[term.iri].type
            key = normalise(term.text)
            self.names.setdefault((ctype, key), term.iri)
            self.types.setdefault(key, set()).add(ctype)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        spans = list(get_spans(doc))
        added: list[Span] = []
        owner: list[int | None] = [None] * len(doc)  # the rule span each token is in
        for i, s in enumerate(spans):
            owner[s.start:s.end] = [i] * len(s)
        taken = [o is not None for o in owner]
        for ent in doc.ents:
            hits = sorted({i for i in owner[ent.start:ent.end] if i is not None})
            if hits:
                for i in hits:
                    s = spans[i]
                    if s.label_ == ent.label_ and not s.id_.endswith(AGREED):
                        start, end = _widened(s, ent, taken) if len(hits) == 1 else (s.start, s.end)
                        spans[i] = Span(doc, start, end, label=s.label, kb_id=s.kb_id, span_id=s.id_ + AGREED)
                continue
            span = self._concept_span(doc, ent)
            if span is not None:
                added.append(span)
        if added:
            added += _short_forms(doc, added, taken)
        set_spans(doc, filter_spans(spans + added))
        return doc

    def _concept_span(self, doc: Doc, ent: Span) -> Span | None:
        ent = _trimmed(ent)
        if ent is None:
            return None
        text = text_of(ent)
        if text.lower() in self.generic or "://" in text:
            return None
        key = normalise(text)
        iri = self.names.get((ent.label_, key))
        if iri is None:
            if self.types.get(key):
                return None
            iri = concept_iri(ent.label_, text)
            new_concept(doc, iri, text, ent.label_)
        return Span(doc, ent.start, ent.end, label=ent.label_, kb_id=iri, span_id=MODEL)


def _short_forms(doc: Doc, added: list[Span], taken: list[bool]) -> list[Span]:
    """Occurrences of a short form defined after a long form the model found, that no
    rule has taken: "Deep Equilibrium Models (DEQs) ... DEQs" (Schwartz-Hearst pairs)."""
    by_end = {s.end: s for s in added}
    out = []
    for lf, sf in find_pairs(doc):
        long = by_end.get(lf.end)
        if long is None or long.start < lf.start:
            continue
        for start, end in occurrences(doc, text_of(sf)):
            if not any(taken[start:end]):
                out.append(Span(doc, start, end, label=long.label, kb_id=long.kb_id, span_id=MODEL))
    return out


def _widened(span: Span, ent: Span, taken: list[bool]) -> tuple[int, int]:
    """The bounds of a rule's match widened to the recognizer's entity around it, where
    the entity adds words the annotators count as part of the mention: modifiers before
    it ("deep CNNs", "hierarchical variational autoencoders", "Langevin Markov chain Monte
    Carlo"), and for a brain region words after it too ("zone of the medulla"). Not over
    another match or a function word at the entity's edge ("These autoencoders"), and not
    after a negating "non-" ("non-Transformer")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start < span.start and (doc[start].is_stop or doc[start].text in _EDGE_PUNCT):
        start += 1
    if span.label_ != "brain_region":
        end = span.end
    if start > span.start or end < span.end or any(taken[start:span.start]) or any(taken[span.end:end]):
        return span.start, span.end
    negated = span.start >= 2 and doc[span.start - 1].text == "-" and doc[span.start - 2].lower_ == "non"
    if start < span.start and negated:
        return span.start, span.end
    while end > span.end and (doc[end - 1].is_stop or doc[end - 1].text in _EDGE_PUNCT):
        end -= 1
    return start, end


def _trimmed(ent: Span) -> Span | None:
    """The entity without lower-case function words or dangling punctuation at its edges
    ("reasoning chains using" -> "reasoning chains", "-learning" -> "learning"); None if
    nothing is left."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and ((doc[start].is_lower and doc[start].is_stop) or doc[start].text in _EDGE_PUNCT):
        start += 1
    while end > start and ((doc[end - 1].is_lower and doc[end - 1].is_stop) or doc[end - 1].text in _EDGE_PUNCT):
        end -= 1
    if start == end:
        return None
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label)


def normalise(text: str) -> str:
    """Case, hyphens, a final plural and "pre-trained" do not change which label a text is
    (`identity.identity_key`)."""
    return identity_key(text)


def add_recognizer(nlp: Language, model_dir: Path, before: str) -> None:
    """Add the trained tok2vec and ner of `model_dir` to `nlp`, before component `before`."""
    trained = spacy.load(model_dir, exclude=["tokenizer"])
    for name in trained.pipe_names:
        nlp.add_pipe(name, source=trained, before=before)
