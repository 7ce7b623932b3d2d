"""Region phrases: anatomical names built from parts, beyond what a vocabulary lists.

Neuroanatomy names regions compositionally ("dorsal accessory olive", "ventromedial
nucleus", "nucleus tractus solitarii", "area 3b"), far more than any list holds. These
rules find such phrases from word lists in ontology/rules.ttl, only in abstracts that
are about anatomy (a vocabulary brain region or a kg:regionContext word occurs), and make
each a brain-region concept. A vocabulary match of the same span wins; a longer phrase
wins over a vocabulary match inside it ("dorsal cochlear nucleus" over "cochlear nucleus").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from ..namespaces import KG
from .matcher import SPANS_KEY
from .names import new_concept
from .rules import rules_graph
from .tokens import hashes, tokens

LATIN = r"^[a-z]{2,}(is|us|i|ae|um|ium|ali|alis|aris|ensis|ata|atus)$"
NUMBERED = r"^\d{1,2}[a-z]{0,2}$"
SINGULAR = {"nuclei": "nucleus", "subnuclei": "subnucleus", "cortices": "cortex", "gyri": "gyrus",
            "sulci": "sulcus", "ganglia": "ganglion", "laminae": "lamina", "colliculi": "colliculus"}


@dataclass(frozen=True)
class RegionRules:
    heads: frozenset[str]
    modifiers: frozenset[str]
    context: frozenset[str]


@lru_cache(maxsize=1)
def load_region_rules() -> RegionRules:
    graph = rules_graph()
    node = KG.RegionPhrases

    def words(prop: URIRef) -> frozenset[str]:
        return frozenset(str(o).lower() for o in graph.objects(node, prop) if " " not in str(o) and "-" not in str(o))

    return RegionRules(words(KG.regionHead), words(KG.regionModifier), words(KG.regionContext))


@Language.factory("kg_region_phrases", assigns=["doc.spans"], requires=["doc.spans"])
def make_region_phrases(nlp: Language, name: str) -> "RegionPhraseFinder":
    return RegionPhraseFinder(nlp, load_region_rules())


class RegionPhraseFinder:
    """Adds brain-region spans for anatomical phrases in anatomy abstracts."""

    def __init__(self, nlp: Language, rules: RegionRules):
        self.rules = rules
        self.context = hashes(nlp.vocab.strings, rules.context)
        self.heads = hashes(nlp.vocab.strings, [*rules.heads, *SINGULAR, "nucleus", "area", "areas", "field"])
        mods, heads = sorted(rules.modifiers), sorted(rules.heads)
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("modifier-head", [[{"LOWER": {"IN": mods}, "OP": "+"}, {"LOWER": {"IN": heads}}]], greedy="LONGEST")
        self.matcher.add("latin", [[{"LOWER": {"IN": ["nucleus", "nuclei"]}},
                                    {"LOWER": {"REGEX": LATIN}, "IS_STOP": False, "OP": "+"}]], greedy="LONGEST")
        self.matcher.add("numbered", [[{"LOWER": {"IN": ["area", "areas", "field"]}}, {"LOWER": {"REGEX": NUMBERED}}]])
        self.matcher.add("coordinated", [[{"LOWER": {"IN": mods}}, {"LOWER": {"IN": ["and", "or"]}},
                                          {"LOWER": {"IN": mods}, "OP": "+"}, {"LOWER": {"IN": heads}}]], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(SPANS_KEY, []))
        if not self._about_anatomy(doc, spans) or not tokens(doc).where(self.heads):
            return doc  # every rule ends in (or starts with) a head word
        added = []
        for key, start, end in self.matcher(doc):
            rule = doc.vocab.strings[key]
            span, label = self._phrase(doc, rule, start, end)
            if any(s.start <= span.start and s.end >= span.end and (rule != "coordinated" or len(s) > 1) for s in spans):
                continue  # a vocabulary match (or a longer one) already covers it
            iri = concept_iri("brain_region", label)
            new_concept(doc, iri, label, "brain_region")
            added.append(Span(doc, span.start, span.end, label="brain_region", kb_id=iri, span_id=f"region-phrase:{rule}"))
        if added:
            doc.spans[SPANS_KEY] = filter_spans(added + spans)
        return doc

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


def _singular(word: str) -> str:
    if word in SINGULAR:
        return SINGULAR[word]
    return word[:-1] if word.endswith("s") and not word.endswith(("ss", "us")) else word
