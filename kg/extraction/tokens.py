"""A doc's tokens as arrays, computed once per doc and shared by every component.

Iterating a spaCy `Doc` in Python makes a `Token` object per token; when each component
did that (and `doc.text`, and `span.sent`, which walk tokens too), the components cost
ten times the tokenizer (profile in the README). Here a doc is read once with
`Doc.to_array` into numpy arrays of string hashes and offsets: components look words up
by hash over the whole doc at once and touch `Token` objects only where something matched.
The sentence boundaries (`kg_sentences`) are set from the same arrays.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from functools import cached_property

import numpy as np
import spacy
from spacy.attrs import IDX, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline.sentencizer import Sentencizer
from spacy.strings import StringStore
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

_KEY = "kg_tokens"
_TEXT = "kg_text"
_NOT_START = np.uint64(2**64 - 1)  # SENT_START -1 (not a sentence start) as `Doc.from_array` takes it


class Tokens:
    """The arrays of one doc: ORTH and LOWER hashes, character offsets, sentences.

    Plain lists, not numpy: docs are a few hundred tokens, where a list scan with a set
    test beats a vectorised call's overhead. Only what every doc needs is read: each
    attribute read costs as much as a scan (lexeme flags are asked of single tokens)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.orth, self.lower, self.idx = doc.to_array([ORTH, LOWER, IDX]).T.tolist()
        self.sent_starts: list[int] = [0]  # token index of each sentence start
        self._sentence_chars: dict[int, tuple[int, int]] = {}  # by sentence start

    @cached_property
    def text(self) -> str:
        """The doc's text: the string it was made from when `keep_text` saw it, since
        `Doc.text` joins every token again."""
        return self.doc.user_data.get(_TEXT) or self.doc.text

    @cached_property
    def lower_text(self) -> str:
        return self.text.lower()

    @cached_property
    def orth_set(self) -> frozenset[int]:
        return frozenset(self.orth)

    @cached_property
    def lower_set(self) -> frozenset[int]:
        return frozenset(self.lower)

    @cached_property
    def line_breaks(self) -> list[int]:
        """Tokens holding a line break (spaCy keeps line breaks as whitespace tokens):
        found in the text, then the token at each one's offset."""
        text, idx, found = self.text, self.idx, []
        at = text.find("\n")
        while at >= 0:
            i = bisect_right(idx, at) - 1
            if not found or found[-1] != i:
                found.append(i)
            at = text.find("\n", at + 1)
        return found

    def is_space(self, i: int) -> bool:
        return self.doc[i].is_space

    def where(self, hashes: frozenset[int], attr: str = "lower") -> list[int]:
        """Indices of tokens whose ORTH or LOWER hash is one of `hashes`, in order. Most
        asks find nothing: the set intersection answers those without a scan."""
        values, present = (self.orth, self.orth_set) if attr == "orth" else (self.lower, self.lower_set)
        found: list[int] = []
        for word in present & hashes:  # a word or two of a doc's few hundred, mostly
            at = -1
            for _ in range(values.count(word)):  # list scans in C, no call per token
                at = values.index(word, at + 1)
                found.append(at)
        return sorted(found)

    def find(self, words: list[int]) -> list[int]:
        """Start indices of the token sequence with these ORTH hashes."""
        n, orth = len(words), self.orth
        return [i for i in self.where(frozenset(words[:1]), "orth") if orth[i:i + n] == words]

    def first_line_end(self) -> int:
        """Index of the first token holding a line break (the end of the title), or len."""
        return self.line_breaks[0] if self.line_breaks else len(self.orth)

    def set_sentence_starts(self, starts: list[int]) -> None:
        """Sentence boundaries (sorted token indices); forgets bounds found for old ones."""
        self.sent_starts = starts
        self._sentence_chars.clear()

    def sentence_start(self, token: int) -> int:
        """Token index where the sentence of `token` starts."""
        return self.sent_starts[bisect_right(self.sent_starts, token) - 1]

    def sentence_end(self, token: int) -> int:
        """Token index just past the sentence of `token`."""
        k = bisect_right(self.sent_starts, token)
        return self.sent_starts[k] if k < len(self.sent_starts) else len(self.orth)

    def sentence_chars(self, token: int) -> tuple[int, int]:
        """(start, end) characters of the sentence of `token`, without surrounding space;
        found once per sentence (each mention, and the filters, ask for theirs)."""
        start = self.sentence_start(token)
        found = self._sentence_chars.get(start)
        if found is None:
            found = self._sentence_chars[start] = self._chars_of(start, self.sentence_end(token))
        return found

    def _chars_of(self, start: int, end: int) -> tuple[int, int]:
        while start < end - 1 and self.is_space(start):
            start += 1
        while end - 1 > start and self.is_space(end - 1):
            end -= 1
        last = self.doc[end - 1]
        return self.idx[start], last.idx + len(last.text)


def tokens(doc: Doc) -> Tokens:
    """The doc's arrays, made on first use."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = Tokens(doc)
    return found


def text_of(span: Span) -> str:
    """`span.text`, cut from the doc's text: `Span.text` makes a `Token` per token and joins them."""
    return tokens(span.doc).text[span.start_char:span.end_char]


def blank_english() -> Language:
    """spaCy's blank English, with "(" glued between letters split off ("nucleus(STh)",
    as some abstracts and WhiteText write a defined short form): the extractor's and the
    recognizer's training data's tokenizer."""
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Za-z])\((?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def keep_text(nlp: Language) -> None:
    """Make `nlp` remember each doc's input text (see `Tokens.text`)."""
    make_doc = nlp.make_doc

    def make_and_keep(text: str) -> Doc:
        doc = make_doc(text)
        doc.user_data[_TEXT] = text
        return doc

    nlp.make_doc = make_and_keep


def form_tokenizer(nlp: Language) -> Tokenizer:
    """A tokenizer for vocabulary forms and names, sharing `nlp`'s vocab (so hashes match).

    Not `nlp.tokenizer`: tokenizing tens of thousands of short forms with the pipeline's
    tokenizer leaves its cache in a state that makes it 4-5 times slower on every later doc
    (measured with spaCy 3.8; see the README's profile)."""
    return spacy.blank("en", vocab=nlp.vocab).tokenizer


def hashes(strings: StringStore, words: Iterable[str]) -> frozenset[int]:
    """Hashes of words, to look tokens up by (see `Tokens.where`)."""
    return frozenset(strings.add(w) for w in words)


@Language.factory("kg_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> "Sentences":
    return Sentences(nlp)


class Sentences:
    """spaCy's sentencizer rule, plus a break after a blank line (title | abstract).

    A sentence ends after a run of sentence-final punctuation; the next token that is not
    punctuation starts the next one. The same rule as `Sentencizer` with its default
    characters, run over the few punctuation tokens instead of every token.
    """

    def __init__(self, nlp: Language):
        self.final = hashes(nlp.vocab.strings, Sentencizer.default_punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        t = tokens(doc)
        n = len(t.orth)
        if n == 0:
            return doc
        starts = {0}
        for i in t.where(self.final, "orth"):
            j = i + 1
            while j < n and (t.orth[j] in self.final or doc[j].is_punct):
                j += 1
            if j < n:
                starts.add(j)
        starts.update(i + 1 for i in t.line_breaks if i + 1 < n)
        t.set_sentence_starts(sorted(starts))
        flags = np.full((n, 1), _NOT_START, dtype=np.uint64)
        flags[t.sent_starts, 0] = 1
        doc.from_array([SENT_START], flags)
        return doc


