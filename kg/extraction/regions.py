"""Region phrases: anatomical names built from parts, beyond what a vocabulary lists.

Neuroanatomy names regions compositionally ("dorsal accessory olive", "ventromedial
nucleus", "nucleus tractus solitarii", "area 3b"), far more than any list holds. These
rules find such phrases from word lists in ontology/rules.ttl, only in abstracts that
are about anatomy (a vocabulary brain region or a kg:regionContext word occurs), and make
each a brain-region concept. A vocabulary match of the same span wins; a longer phrase
wins over a vocabulary match inside it ("dorsal cochlear nucleus" over "cochlear nucleus").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from ..namespaces import KG
from .matcher import get_spans, set_spans
from .identity import ConceptIndex, new_concept
from .rules import rules_graph
from .tokens import hashes, tokens

LATIN = r"^[a-z]{2,}(is|us|i|ae|um|ium|ali|alis|aris|ensis|ata|atus)$"
NUMBERED = r"^\d{1,2}[a-z]{0,2}$"
_LATIN, _NUMBERED = re.compile(LATIN), re.compile(NUMBERED)
SINGULAR = {"nuclei": "nucleus", "subnuclei": "subnucleus", "cortices": "cortex", "gyri": "gyrus",
            "sulci": "sulcus", "ganglia": "ganglion", "laminae": "lamina", "colliculi": "colliculus"}


@dataclass(frozen=True)
class RegionRules:
    heads: frozenset[str]
    modifiers: frozenset[str]
    context: frozenset[str]
    positions: frozenset[str] = frozenset()  # "caudal", "left": where in a region
    parts: frozenset[str] = frozenset()  # "part", "portion": "the caudal part of X"


@lru_cache(maxsize=1)
def load_region_rules() -> RegionRules:
    graph = rules_graph()
    node = KG.RegionPhrases

    def words(prop: URIRef) -> frozenset[str]:
        return frozenset(str(o).lower() for o in graph.objects(node, prop) if " " not in str(o) and "-" not in str(o))

    return RegionRules(words(KG.regionHead), words(KG.regionModifier), words(KG.regionContext),
                       words(KG.regionPosition), words(KG.regionPart))


@Language.factory("kg_region_phrases", assigns=["doc.spans"], requires=["doc.spans"])
def make_region_phrases(nlp: Language, name: str) -> "RegionPhraseFinder":
    return RegionPhraseFinder(nlp, load_region_rules())


class RegionPhraseFinder:
    """Adds brain-region spans for anatomical phrases in anatomy abstracts."""

    def __init__(self, nlp: Language, rules: RegionRules):
        self.rules = rules
        self.context = hashes(nlp.vocab.strings, rules.context)
        self.heads = hashes(nlp.vocab.strings, [*rules.heads, *SINGULAR, "nucleus", "area", "areas", "field"])
        strings = nlp.vocab.strings
        self.mods, self.head_words = hashes(strings, rules.modifiers), hashes(strings, rules.heads)
        self.nucleus, self.area = hashes(strings, ["nucleus", "nuclei"]), hashes(strings, ["area", "areas", "field"])
        self.conjunctions = hashes(strings, ["and", "or"])
        self.positions, self.parts = hashes(strings, rules.positions), hashes(strings, rules.parts)
        self.sub_parts = hashes(strings, [w for w in rules.parts if w.startswith("sub")])
        self.of, self.the = hashes(strings, ["of"]), hashes(strings, ["the"])
        self.index = ConceptIndex([], {})

    def add_vocabulary(self, vocabulary) -> None:
        """Vocabulary regions, so a phrase that spells one ("visual area") is that region."""
        self.index = ConceptIndex.of(vocabulary)

    def __call__(self, doc: Doc) -> Doc:
        spans = get_spans(doc)
        if not self._about_anatomy(doc, spans) or not tokens(doc).where(self.heads):
            return doc  # every rule ends in (or starts with) a head word
        added = []
        for rule, start, end in self._matches(doc):
            span, label = self._phrase(doc, rule, start, end)
            if any(s.start <= span.start and s.end >= span.end and (rule != "coordinated" or len(s) > 1) for s in spans):
                continue  # a vocabulary match (or a longer one) already covers it
            iri = self.index.get("brain_region", label)  # "visual area": a label's singular
            if iri is None:
                iri = concept_iri("brain_region", label)
                new_concept(doc, iri, label, "brain_region")
            added.append(Span(doc, span.start, span.end, label="brain_region", kb_id=iri, span_id=f"region-phrase:{rule}"))
        if added:
            spans = filter_spans(added + spans)
        widened = self._with_positions(doc, spans)
        if added or widened is not None:
            set_spans(doc, widened or spans)
        return doc

    def _with_positions(self, doc: Doc, spans: list[Span]) -> list[Span] | None:
        """Brain-region spans widened to the left over where in the region they are:
        "caudal medulla oblongata", "the rostral part of the nucleus of the solitary tract",
        "subnuclei of the NTS" (positions alone, or a part noun with at least one position
        or a sub- noun, then "of", "the"). The concept and the rule stay the region's. None
        when no span changes."""
        t = tokens(doc)
        lower = t.lower
        out, previous_end, changed = [], 0, False
        for span in sorted(spans, key=lambda s: s.start):
            start = span.start
            if span.label_ == "brain_region":
                i = start - 1 if start > 0 and lower[start - 1] in self.the else start
                if i > 1 and lower[i - 1] in self.of and lower[i - 2] in self.parts:
                    j = i - 2
                    while j > 0 and lower[j - 1] in self.positions:
                        j -= 1
                    if j < i - 2 or lower[i - 2] in self.sub_parts:
                        start = j
                while start > 0 and lower[start - 1] in self.positions:
                    start -= 1
                start = max(start, previous_end, t.sentence_start(span.start))
            if start != span.start:
                span = Span(doc, start, span.end, label=span.label, kb_id=span.kb_id, span_id=span.id_)
                changed = True
            out.append(span)
            previous_end = span.end
        return out if changed else None

    def _matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(rule, start, end) of the four phrase rules, as spaCy's Matcher gave them with
        these patterns (greedy="LONGEST" for all but "numbered"), found from the head words
        outward: the Matcher tried every pattern at every token, a third of extraction's time.

        - modifier-head: modifier+ head ("dorsal cochlear nucleus")
        - latin: nucleus|nuclei, then Latin-looking words that are not stop words
        - numbered: area|areas|field, then a number ("area 3b")
        - coordinated: modifier (and|or) modifier+ head ("cochlear and vestibular nuclei")
        """
        t = tokens(doc)
        lower, n = t.lower, len(t.lower)
        found: dict[str, list[tuple[int, int]]] = {"modifier-head": [], "latin": [], "coordinated": []}
        numbered = []
        for h in t.where(self.head_words):
            start = h
            while start > 0 and lower[start - 1] in self.mods:
                start -= 1
            found["modifier-head"] += [(s, h + 1) for s in range(start, h)]
            # "mod and|or mod+ head": and/or is no modifier, so it stands right before the run
            if 2 <= start < h and lower[start - 1] in self.conjunctions and lower[start - 2] in self.mods:
                found["coordinated"].append((start - 2, h + 1))
        for i in t.where(self.nucleus):
            end = i + 1
            while end < n and _LATIN.match(doc[end].lower_) and not doc[end].is_stop:
                end += 1
            found["latin"] += [(i, e) for e in range(i + 2, end + 1)]
        for i in t.where(self.area):
            if i + 1 < n and _NUMBERED.match(doc[i + 1].lower_):
                numbered.append(("numbered", i, i + 2))
        return numbered + [(rule, s, e) for rule in _by_first_end(found) for s, e in _longest(found[rule])]

    def _about_anatomy(self, doc: Doc, spans: list[Span]) -> bool:
        return any(s.label_ == "brain_region" for s in spans) or bool(tokens(doc).where(self.context))

    @staticmethod
    def _phrase(doc: Doc, rule: str, start: int, end: int) -> tuple[Span, str]:
        """The span to mark and the concept label (singular, lower case)."""
        head = doc[end - 1].lower_
        if rule == "coordinated":  # "cochlear and vestibular nuclei": the first conjunct
            return doc[start:start + 1], f"{doc[start].lower_} {_singular(head)}"
        if rule == "latin":
            return doc[start:end], " ".join(["nucleus", *(t.lower_ for t in doc[start + 1:end])])
        if rule == "numbered":
            return doc[start:end], f"{_singular(doc[start].lower_)} {doc[end - 1].lower_}"
        words = [t.lower_ for t in doc[start:end - 1]] + [_singular(head)]
        return doc[start:end], " ".join(words)


def _longest(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's greedy="LONGEST" filter: longest first (then earliest), no overlaps."""
    taken: set[int] = set()
    kept = []
    for start, end in sorted(set(pairs), key=lambda p: (p[1] - p[0], -p[0]), reverse=True):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return kept


def _by_first_end(found: dict[str, list[tuple[int, int]]]) -> list[str]:
    """Rules in the order the Matcher reports them: by their earliest match's end."""
    return sorted((rule for rule in found if found[rule]), key=lambda r: min(e for _, e in found[r]))


def _singular(word: str) -> str:
    if word in SINGULAR:
        return SINGULAR[word]
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us")) else word
