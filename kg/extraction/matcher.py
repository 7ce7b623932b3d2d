"""The vocabulary matcher: a spaCy component that finds vocabulary terms in a doc.

Two PhraseMatchers (exact for acronyms and names with inner capitals, lower-case for the
rest) compiled once from the vocabularies. Terms that are ambiguous carry context words;
such a match is kept only when the doc contains one of them. Results go to
`doc.spans["kg"]`: label = concept type, kb_id = concept IRI, id = the rule (the
vocabulary file) that produced it.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from .identity import ConceptIndex, new_concept, suffix_kinds
from .tokens import form_tokenizer, hashes, tokens
from .variants import label_variants
from .vocab import VERSIONED, Vocabulary

_HYPHEN = get_string_id("-")  # a glued suffix follows one (`_versioned`)

SPANS_KEY = "kg"
_SPAN_LIST = "kg_span_list"


def get_spans(doc: Doc) -> list[Span]:
    """`doc.spans["kg"]` as a list of `Span` objects, made once per change.

    Why: a `SpanGroup` holds structs and makes new `Span` objects on every read, and each
    component and the extractor read the group (about 5% of extraction). The list is kept
    with the group it was read from, so a group set by other code is read again; callers
    build new lists rather than change this one (a changed length is read again too)."""
    group = doc.spans.get(SPANS_KEY)
    if group is None:
        return []
    kept = doc.user_data.get(_SPAN_LIST)
    if kept is None or kept[0] is not group or len(kept[1]) != len(group):
        kept = doc.user_data[_SPAN_LIST] = (group, list(group))
    return kept[1]


def set_spans(doc: Doc, spans: list[Span]) -> None:
    """Set `doc.spans["kg"]`, keeping `spans` as the list `get_spans` returns."""
    doc.spans[SPANS_KEY] = spans
    doc.user_data[_SPAN_LIST] = (doc.spans[SPANS_KEY], list(spans))


@dataclass(frozen=True)
class _Target:
    iri: str
    ctype: str
    context: frozenset[str]
    rule: str
    words: frozenset[int] = frozenset()  # context words and their plurals, as ORTH hashes
    phrases: tuple[str, ...] = ()  # context phrases, found in the lower-case text


@Language.factory("kg_vocab_matcher", assigns=["doc.spans"], default_config={"spans_key": SPANS_KEY})
def make_vocab_matcher(nlp: Language, name: str, spans_key: str) -> "VocabMatcher":
    return VocabMatcher(nlp, name, spans_key=spans_key)


class VocabMatcher:
    """Finds vocabulary terms; data comes in through `initialize(vocabulary=...)`."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY):
        self.nlp, self.name, self.spans_key = nlp, name, spans_key
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.not_within = PhraseMatcher(nlp.vocab, attr="LOWER")  # idioms: "received attention"
        self.idiom_iris: frozenset[str] = frozenset()
        self.targets: dict[int, _Target] = {}
        self.index = ConceptIndex([], {})

    def initialize(self, get_examples=None, *, nlp: Language | None = None, vocabulary: Vocabulary | None = None) -> None:
        if vocabulary is not None:
            self.add_vocabulary(vocabulary)

    def add_vocabulary(self, vocabulary: Vocabulary) -> None:
        """Compile every term of the vocabulary into the matchers (forms tokenized by
        `form_tokenizer`, never the pipeline's own tokenizer)."""
        tokenizer = form_tokenizer(self.nlp)
        self.index = ConceptIndex.of(vocabulary)
        seen: set[tuple[str, str, bool]] = set()
        for term in vocabulary.terms:
            concept = vocabulary.concepts[term.iri]
            words = [w for w in term.context if " " not in w and "-" not in w]
            target = _Target(term.iri, concept.type, term.context, "vocab:" + _file_of(concept.iri, vocabulary),
                             hashes(self.nlp.vocab.strings, [*words, *(w + "s" for w in words)]),
                             tuple(sorted(term.context.difference(words))))
            key = f"{term.iri}|{','.join(sorted(term.context))}"
            self.targets[self.nlp.vocab.strings.add(key)] = target
            forms = [f for f in sorted(label_variants(term.text, term.case_sensitive)) if (f, term.iri, term.case_sensitive) not in seen]
            seen.update((f, term.iri, term.case_sensitive) for f in forms)
            matcher = self.exact if term.case_sensitive else self.lower
            matcher.add(key, list(tokenizer.pipe(forms)))
        for iri, phrases in sorted(vocabulary.not_within.items()):
            self.not_within.add(iri, list(tokenizer.pipe(phrases)))
        self.idiom_iris = frozenset(vocabulary.not_within)

    def __call__(self, doc: Doc) -> Doc:
        spans, versions = [], []
        matches = sorted(self.exact(doc) + self.lower(doc), key=lambda m: (m[1], m[2], m[0]))
        idioms: dict[str, list[tuple[int, int]]] = {}
        orth = tokens(doc).orth
        if any(self.targets[key].iri in self.idiom_iris for key, _, _ in matches):  # rare: a few concepts have idioms
            for key, start, end in self.not_within(doc):
                idioms.setdefault(self.nlp.vocab.strings[key], []).append((start, end))
        for key, start, end in matches:
            target = self.targets[key]
            if target.context and not _in_context(target, doc, start, end):
                continue
            if any(s <= start and end <= e for s, e in idioms.get(target.iri, ())):
                continue
            span = Span(doc, start, end, label=target.ctype, kb_id=target.iri, span_id=target.rule)
            if (target.ctype in VERSIONED and end + 1 < len(orth) and orth[end] == _HYPHEN
                    and (versioned := self._versioned(doc, span)) is not None):
                versions.append(versioned)
            else:
                spans.append(span)
        doc.spans[self.spans_key] = filter_spans(spans + versions)  # a vocabulary match of a whole name wins
        return doc

    def _versioned(self, doc: Doc, span: Span) -> Span | None:
        """A model or dataset name with a glued suffix: "Llama2" + "-13B" (a size: the same
        model), "THINGS" + "-EEG2", "LLaVA" + "-NeXT-8B", "GPT" + "-5" (a version or derived
        work: another concept, under this one). None when nothing is glued on."""
        end, label = span.end, None
        while (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
               and not doc[end].whitespace_ and (kinds := suffix_kinds(doc[end + 1].text, span.label_))):
            named = [i for i, kind in enumerate(kinds) if kind == "version"]
            if named:  # "NeXT-8B" is one token: the name up to its last version part
                label = doc[span.start:end + 1].text + "-".join(doc[end + 1].text.split("-")[:named[-1] + 1])
            end += 2
        if end == span.end:
            return None
        iri = span.kb_id_
        if label is not None:
            iri = self.index.get(span.label_, label)
            if iri is None:
                iri = concept_iri(span.label_, label)
                new_concept(doc, iri, label, span.label_, broader=span.kb_id_)
        return Span(doc, span.start, end, label=span.label, kb_id=iri, span_id=span.id_)


def _in_context(target: _Target, doc: Doc, start: int, end: int) -> bool:
    """True when a context term occurs outside the matched span itself.

    Single words (or their plural) are looked up by token; phrases ("graph neural") in the text.
    """
    t = tokens(doc)
    if any(not start <= i < end for i in t.where(target.words)):
        return True
    if target.phrases:
        span_start, span_end = t.idx[start], doc[end - 1].idx + len(doc[end - 1])
        return any(not span_start <= i < span_end for term in target.phrases for i in _find_all(t.lower_text, term))
    return False


def _find_all(text: str, term: str):
    i = text.find(term)
    while i >= 0:
        yield i
        i = text.find(term, i + 1)


def _file_of(iri: str, vocabulary: Vocabulary) -> str:
    return vocabulary.sources.get(iri, "vocabulary")
