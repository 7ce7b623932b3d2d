"""Filters that drop matches whose sentence says they are not what the work uses.

An availability statement ("All source code and data are available at ...") names code
and data as artefacts being shared; the data modalities it mentions are not data the
work records or processes, so they are dropped. The cue phrases are in ontology/rules.ttl.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .matcher import get_spans, set_spans
from .rules import Rules, load_rules
from .tokens import tokens

DROPPED_IN_AVAILABILITY = frozenset({"modality"})


@Language.factory("kg_availability_filter", assigns=["doc.spans"], requires=["doc.spans"])
def make_availability_filter(nlp: Language, name: str) -> "AvailabilityFilter":
    return AvailabilityFilter(load_rules())


class AvailabilityFilter:
    def __init__(self, rules: Rules):
        self.cues = rules.availability_cues

    def __call__(self, doc: Doc) -> Doc:
        spans = get_spans(doc)
        t = tokens(doc)
        keep = [s for s in spans if s.label_ not in DROPPED_IN_AVAILABILITY
                or not self._is_availability(t.text[slice(*t.sentence_chars(s.start))])]
        if len(keep) != len(spans):
            set_spans(doc, keep)
        return doc

    def _is_availability(self, sentence: str) -> bool:
        lower = sentence.lower()
        return any(cue in lower for cue in self.cues)
