"""The extraction pipeline: spaCy's blank English tokenizer plus our components.

`build_pipeline` assembles it once per process; `Extractor` runs it over papers in
batches and turns each doc's spans into per-paper concept mentions with their evidence.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from ..model import Concept, ConceptMentions, Mention, Paper
from ..resources import model_dir
from . import abbreviations, filters, names, recognizer, regions  # noqa: F401  (registers the factories)
from .matcher import get_spans
from .identity import NEW_CONCEPTS
from .names import PROPOSED
from .confidence import Confidence, context_of, keep
from .recognizer import add_recognizer
from .tokens import Tokens, blank_english, form_tokenizer, keep_text, text_of, tokens
from .vocab import Vocabulary, load_vocabulary

EXTRACTOR_VERSION = "2"  # 2: identity rules (kg/extraction/identity.py)
MAX_TEXT = 100_000  # characters of one doc; longer papers are extracted in pieces


def build_pipeline(vocabulary: Vocabulary, model: Path | None = None) -> Language:
    """Blank English + sentences [+ trained recognizer] + vocabulary matcher + abbreviations
    + new names + region phrases [+ the recognizer's entities merged in] + filters: the
    rules decide first, the recognizer confirms them and adds what they did not find."""
    nlp = blank_english()
    keep_text(nlp)
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_vocab_matcher").add_vocabulary(vocabulary)
    nlp.add_pipe("kg_abbreviations").add_vocabulary(vocabulary)
    nlp.add_pipe("kg_new_names").add_vocabulary(vocabulary)
    nlp.add_pipe("kg_region_phrases").add_vocabulary(vocabulary)
    if model is not None:
        add_recognizer(nlp, model, before="kg_vocab_matcher")
        nlp.add_pipe("kg_recognizer_spans").add_vocabulary(vocabulary)
    nlp.add_pipe("kg_availability_filter")
    return nlp


class Extractor:
    """Finds concept mentions in papers; holds the compiled pipeline."""

    def __init__(self, vocab_files: Iterable[Path] = (), batch_size: int = 64, builtin: bool = True,
                 model: Path | None = None):
        self.vocabulary = load_vocabulary(vocab_files, builtin=builtin)
        self.nlp = build_pipeline(self.vocabulary, model)
        self.confidence = Confidence.load(model, model_dir())
        self.batch_size = batch_size

    @cached_property
    def form_tokenizer(self) -> Tokenizer:
        """For names matched after extraction (`works.py`); made once per process."""
        return form_tokenizer(self.nlp)

    def extract(self, papers: Iterable[Paper]) -> Iterator[tuple[Paper, list[ConceptMentions]]]:
        """Yield each paper with the concepts it mentions, in input order. A paper longer
        than `MAX_TEXT` characters is extracted in pieces (`extract_long`)."""
        pairs = ((text, (p, False)) if len(text := p.text) <= MAX_TEXT else ("", (p, True)) for p in papers)
        for doc, (paper, long) in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            found = self.extract_long(paper) if long else self.concepts_of(doc, paper)
            doc.user_data.clear()  # what components kept there points back at the doc: freed now, not by a collection
            yield paper, found

    def extract_long(self, paper: Paper) -> list[ConceptMentions]:
        """A paper too long for one doc (spaCy refuses a million characters, and the
        recognizer's memory grows with the text), extracted in pieces cut at sentence
        ends, its mentions' offsets those of the whole field."""
        grouped: dict[str, ConceptMentions] = {}
        for piece, field, offset in pieces(paper, MAX_TEXT):
            doc = self.nlp(piece.text)
            for cm in self.concepts_of(doc, piece):
                mentions = [replace(m, field=field, start=m.start + offset, end=m.end + offset,
                                    sentence_start=m.sentence_start + offset) for m in cm.mentions]
                known = grouped.setdefault(cm.concept.iri, ConceptMentions(cm.concept, proposed=cm.proposed))
                known.mentions.extend(mentions)
            doc.user_data.clear()
        return list(grouped.values())

    def extract_text(self, text: str) -> list[ConceptMentions]:
        """Extract from free text (used by `kg extract`); the text counts as an abstract."""
        paper = Paper(title="", abstract=text)
        if len(paper.text) > MAX_TEXT:
            return self.extract_long(paper)
        return self.concepts_of(self.nlp(paper.text), paper)

    def concepts_of(self, doc: Doc, paper: Paper) -> list[ConceptMentions]:
        new = doc.user_data.get(NEW_CONCEPTS, {})
        proposed = doc.user_data.get(PROPOSED, set())
        grouped: dict[str, ConceptMentions] = {}
        t = tokens(doc)
        context = context_of(t.lower_text) if self.confidence.table else ""
        for span in sorted(get_spans(doc), key=lambda s: s.start):
            iri, ctype, rule = span.kb_id_, span.label_, span.id_
            if iri not in grouped:
                grouped[iri] = ConceptMentions(self._concept(iri, ctype, text_of(span), new), proposed=iri in proposed)
            grouped[iri].mentions.append(mention_of(span, paper, rule, self.confidence(ctype, rule, context), t))
        return keep(list(grouped.values()), self.confidence.minimum, lambda ctype: self.confidence.alone(ctype, context))

    def _concept(self, iri: str, ctype: str, text: str, new: dict) -> Concept:
        known = self.vocabulary.concepts.get(iri)
        if known is not None:
            return known
        label, _, alts, broader = new.get(iri, (text, ctype, (), ()))
        return Concept(iri=iri, type=ctype, label=label, alt_labels=tuple(alts), broader=broader, source="paper")


def pieces(paper: Paper, size: int) -> Iterator[tuple[Paper, str, int]]:
    """(piece, field, offset of the piece in that field): the title, then the abstract, in
    pieces of at most `size` characters cut after a sentence end (or else a space)."""
    for field, text in (("title", paper.title), ("abstract", paper.abstract)):
        start = 0
        while start < len(text):
            end = _cut(text, start, size)
            chunk = text[start:end]
            yield (Paper(title=chunk) if field == "title" else Paper(title="", abstract=chunk)), field, start
            start = end


def _cut(text: str, start: int, size: int) -> int:
    if len(text) - start <= size:
        return len(text)
    window = text[start:start + size]
    for found in (_SENTENCE_END.search(window[::-1]), re.search(r"\s", window[::-1])):
        if found and found.start() < size // 2:
            return start + size - found.start()
    return start + size


_SENTENCE_END = re.compile(r"\s[.!?]")  # reversed text: a space after a sentence's last mark


def mention_of(span: Span, paper: Paper, rule: str | None = None, confidence: float | None = None,
               t: Tokens | None = None) -> Mention:
    """A Mention for a span of `paper.text`: offsets into its field, sentence, rule, confidence
    (`t`: the doc's arrays, where the caller has them)."""
    offset = paper.abstract_offset
    first, last = span.start_char, span.end_char  # each read looks the tokens up again
    field, base = ("title", 0) if first < offset or not paper.abstract else ("abstract", offset)
    t = t or tokens(span.doc)  # its text is `paper.text`, made once
    start, end = t.sentence_chars(span.start)
    return Mention(
        text=t.text[first:last], field=field, start=first - base, end=last - base,
        sentence=t.text[start:end], rule=rule or span.id_, sentence_start=start - base, confidence=confidence,
    )
