"""New names: methods and datasets a paper introduces that no vocabulary knows.

Cues, all read from ontology/rules.ttl: a name before the title's colon ("LILO: Learning
Interpretable Libraries..."), a name after a proposal verb ("we propose CoreInfer"), after
a naming word ("called X", "dubbed X"), a name before a dataset word ("the UCF101
dataset"), a name in apposition to a kind ("Sparsey, a model of ...", "our method, VoxMol,
..."), a name the work is evaluated on ("experiments on WN18RR show": a dataset) and a
name listed beside one known or found ("VisualBERT and LXMERT": LXMERT is of VisualBERT's
type). A name is a token that looks like one: inner capitals, all capitals or digits (a
capitalised word will do in apposition, away from a sentence's start). Every occurrence
of the name in the doc becomes a mention; names from the first three cues, and an
apposition after a proposal verb, are marked as proposed by the paper.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..linking.iris import concept_iri
from .identity import new_concept
from .matcher import get_spans, set_spans
from .pairs import find_pairs
from .rules import Rules, load_rules
from .tokens import Tokens, hashes, text_of, tokens

PROPOSED = "kg_proposed"  # doc.user_data key: set of concept IRIs the paper proposes
_NAMEISH = re.compile(r"^(?=.*[A-Za-z])(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]+\d+[A-Za-z0-9]*)$")
_MAX_NAME_TOKENS = 4
_MAX_KEPT = 100_000  # answers of `looks_like_name` kept (a few MB)
_HYPHEN, _OPEN, _CLOSE, _COMMA = get_string_id("-"), get_string_id("("), get_string_id(")"), get_string_id(",")
_LIST_WORDS = frozenset(get_string_id(w) for w in ("and", "or"))
_THE = get_string_id("the")
_MAX_LISTED = 6  # names followed along one list
_CLAUSE_PUNCT = frozenset(get_string_id(c) for c in ",.;:")  # a name after a proposal verb comes before these


def looks_like_name(text: str, rules: Rules) -> bool:
    """A token or hyphen compound that reads as a name: "LILO", "CoreInfer", "GPT-4",
    "E-iSpec", "Mamba-2"; not a modifier compound such as "post-RGB" or "LLM-based".
    Answers are kept with the rules: the same few thousand words are asked of every doc."""
    found = rules.name_like.get(text)
    if found is None:
        if len(rules.name_like) >= _MAX_KEPT:
            rules.name_like.clear()
        found = rules.name_like[text] = _looks_like_name(text, rules)
    return found


def _looks_like_name(text: str, rules: Rules) -> bool:
    if text in rules.not_a_name or len(text) < 2 or rules.not_a_name_pattern.match(text):
        return False
    parts = [p for p in re.split(r"[-_.]", text) if p]
    if not parts:
        return False
    if len(parts) == 1:
        return bool(_NAMEISH.match(text))
    if parts[0].islower() or (parts[-1].isalpha() and parts[-1].islower()):
        return False
    return any(_NAMEISH.match(p) for p in parts) or (
        any(p.isdigit() for p in parts) and bool(_NAMEISH.match("".join(parts))))


def looks_like_coined(text: str, rules: Rules) -> bool:
    """After "called"/"named": any capitalised token or compound ("Explanation-Refiner")."""
    return looks_like_name(text, rules) or (
        text[:1].isupper() and text not in rules.not_a_name and text.lower() not in rules.not_a_concept
        and not rules.not_a_name_pattern.match(text) and len(text) > 2)


@Language.factory("kg_new_names", assigns=["doc.spans"], requires=["doc.spans"])
def make_new_names(nlp: Language, name: str) -> "NewNameFinder":
    return NewNameFinder(load_rules(), nlp.vocab.strings)


class NewNameFinder:
    """Adds spans for names a paper introduces; vocabulary spans take precedence."""

    def __init__(self, rules: Rules, strings: StringStore):
        self.rules = rules
        self.pref_labels: dict[str, str] = {}
        self.naming, self.proposal = hashes(strings, rules.naming_cues), hashes(strings, rules.proposal_verbs)
        self.cues = self.naming | self.proposal
        self.dataset_heads, self.method_heads = hashes(strings, rules.dataset_cues), hashes(strings, rules.method_cues)
        self.heads = self.dataset_heads | self.method_heads
        self.articles = hashes(strings, ["a", "an"])
        self.our = hashes(strings, ["our"])
        self.kinds = {get_string_id(w): ctype for w, ctype in rules.appositive_heads.items()}
        self.proposers = hashes(strings, ["we", "paper", "work", "study"])  # "we propose", "this paper presents"
        self.on = hashes(strings, ["on"])
        self.evaluation = hashes(strings, rules.evaluation_cues)
        self.not_evaluated = hashes(strings, rules.not_evaluation)

    def add_vocabulary(self, vocabulary) -> None:
        """Preferred labels: a known concept with a capitalised one is a named work."""
        self.pref_labels = {iri: c.label for iri, c in vocabulary.concepts.items()}

    def _proper(self, iri: str) -> bool:
        """"Mamba", "TensorFlow", "BERT" name works; "attention mechanism" does not."""
        return self.pref_labels.get(iri, "")[:1].isupper()

    def __call__(self, doc: Doc) -> Doc:
        spans = get_spans(doc)
        found: list[tuple[Span, str, str, bool]] = []  # (name span, type, rule, proposed)
        found += self._title_name(doc)
        found += self._cued_names(doc)
        found += self._headed_names(doc)
        found += self._appositive_names(doc)
        found += self._evaluated_names(doc)
        found += self._listed_names(doc, [(sp.start, sp.end, sp.label_) for sp in spans]
                                    + [(name.start, name.end, ctype) for name, ctype, _, _ in found])
        added: list[Span] = []
        defined = {text_of(sf) for _, sf in find_pairs(doc)}
        for name, ctype, rule, proposed in found:
            if text_of(name) in defined:
                continue  # a defined short form: the abbreviation rule decided about it
            existing = _same(name, spans + added)
            if existing is not None:
                # A known concept is the paper's own only when its title is named for it
                # ("Mamba: Linear-Time ..."); "we propose an LLM-based ..." is not a proposal.
                if proposed and rule == "new-name:title" and (existing.start, existing.end) == (name.start, name.end):
                    doc.user_data.setdefault(PROPOSED, set()).add(existing.kb_id_)
                continue
            iri = concept_iri(ctype, text_of(name))
            new_concept(doc, iri, text_of(name), ctype)
            if proposed:
                doc.user_data.setdefault(PROPOSED, set()).add(iri)
            added += [Span(doc, s, e, label=ctype, kb_id=iri, span_id=rule) for s, e in _occurrences(doc, name)]
        if added:
            set_spans(doc, filter_spans(spans + added))
        return doc

    def _title_name(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        t = tokens(doc)
        end = t.first_line_end()
        title = t.text[:t.idx[end]] if end < len(t.idx) else t.text  # `doc[:end].text` walks the tokens
        colon = title.find(":")
        if colon <= 0:
            return []
        start = title.rfind(". ", 0, colon) + 2 if ". " in title[:colon] else 0
        name = doc.char_span(start, colon, alignment_mode="contract")
        if name is None or len(name) > _MAX_NAME_TOKENS or text_of(name).lower() in self.rules.not_a_title_name:
            return []
        known = [sp for sp in get_spans(doc) if (sp.start, sp.end) == (name.start, name.end)]
        if known and known[0].label_ in {"method", "dataset"} and self._proper(known[0].kb_id_):
            return [(name, known[0].label_, "new-name:title", True)]  # "Mamba: Linear-Time ..."
        if not all(tok.text[0].isupper() or tok.is_digit or tok.text in "-" for tok in name) or name[0].is_stop:
            return []
        if not any(looks_like_name(text_of(compound_at(doc, tok.i)), self.rules) for tok in name):
            return []
        if len(text_of(name).split()) == 1 and not looks_like_name(text_of(name), self.rules):
            return []
        rest = title[colon + 1:].lower()
        ctype = "dataset" if any(cue in rest.split() for cue in self.rules.dataset_cues) else "method"
        return [(name, ctype, "new-name:title", True)]

    def _cued_names(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        out = []
        t = tokens(doc)
        for i in t.where(self.cues):
            if t.lower[i] in self.naming:
                window = doc[i + 1: i + 3]
                rule = "new-name:called"
                name = self._first_name(window, coined=True)
            elif t.lower[i] in self.proposal and i > 0 and t.lower[i - 1] in self.proposers:
                window = doc[i + 1: min(i + 12, t.sentence_end(i))]
                rule = "new-name:proposal"
                name = self._first_name(window)
            else:
                continue
            if name is not None:
                following = text_of(doc[name.end: name.end + 3]).lower().split()
                ctype = "dataset" if any(w in self.rules.dataset_cues for w in following + text_of(window).lower().split()[:3]) else "method"
                out.append((name, ctype, rule, True))
        return out

    def _first_name(self, window: Span, coined: bool = False) -> Span | None:
        """The first name in the window; after a naming word, a run of capitalised words."""
        test = looks_like_coined if coined else looks_like_name
        doc = window.doc
        t = tokens(doc)
        for i in range(window.start, window.end):  # by hash and offset: no Span per token tried
            if t.orth[i] in _CLAUSE_PUNCT and i > window.start + 1:
                return None
            if i > 0 and t.orth[i - 1] == _OPEN:
                continue  # a short form being defined: the abbreviation rule owns it
            end = compound_end(doc, i)
            last = doc[end - 1]
            if not test(t.text[t.idx[i]:last.idx + len(last)], self.rules):
                continue
            name = doc[i:end]
            while coined and name.end < len(doc) and name.end - name.start < _MAX_NAME_TOKENS:
                more = compound_at(doc, name.end)
                if not (text_of(more)[:1].isupper() and more[0].is_alpha):
                    break
                name = doc[name.start:more.end]
            return name
        return None

    def _headed_names(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        """A name right before a dataset word ("the UCF101 dataset") or a method word
        ("the ATON models"): a concept the paper uses, not necessarily its own."""
        out = []
        t = tokens(doc)
        for i in t.where(self.heads):
            low = t.lower[i]
            ctype = "dataset" if low in self.dataset_heads else "method" if low in self.method_heads else None
            if ctype is None or i == 0:
                continue
            start = compound_start(doc, i - 1)
            if looks_like_name(t.text[t.idx[start]:t.idx[i]].rstrip(), self.rules):  # up to the head word, no space
                out.append((doc[start:i], ctype, f"new-name:{ctype}", False))
        return out

    def _appositive_names(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        """A name in apposition to its kind: "Sparsey, a model of cortical memory",
        "Concordia, a library for ..." (the kind's head noun within five words of the
        article, ending its phrase), and "our method, VoxMol, ...". A capitalised word is
        a name here unless it starts its sentence."""
        out = []
        t = tokens(doc)
        text = t.lower_text
        for i in (t.where(self.articles) if ", a " in text or ", an " in text else ()):  # the string test spares most docs a scan
            if i < 2 or t.orth[i - 1] != _COMMA:
                continue
            head = next((j for j in range(i + 1, min(i + 6, len(doc))) if t.lower[j] in self.kinds
                         or t.orth[j] in _CLAUSE_PUNCT or t.orth[j] == _HYPHEN), None)
            if head is None or t.lower[head] not in self.kinds or (head + 1 < len(doc) and t.orth[head + 1] == _HYPHEN):
                continue
            name = self._name_before(doc, i - 1)
            if name is not None:
                proposed = (name.start >= 2 and t.lower[name.start - 1] in self.proposal
                            and doc[name.start - 2].lower_ == "we")
                out.append((name, self.kinds[t.lower[head]], "new-name:appositive", proposed))
        for i in (t.where(self.our) if "our " in text else ()):  # "our method, VoxMol, generates ..."
            if i + 3 < len(doc) and t.lower[i + 1] in self.kinds and t.orth[i + 2] == _COMMA:
                end = compound_end(doc, i + 3)
                if end < len(doc) and t.orth[end] == _COMMA and looks_like_coined(text_of(doc[i + 3:end]), self.rules):
                    out.append((doc[i + 3:end], self.kinds[t.lower[i + 1]], "new-name:appositive", True))
        return out

    def _evaluated_names(self, doc: Doc) -> list[tuple[Span, str, str, bool]]:
        """A name right after "on" in a phrase of evaluation is a dataset: "experiments on
        WN18RR show", "achieves 91% on FooQA" (an evaluation word within the four words
        before "on", none of "based on", "built on", "runs on")."""
        out = []
        t = tokens(doc)
        if t.lower_set.isdisjoint(self.evaluation):
            return out
        for i in t.where(self.on):
            if i == 0 or i + 1 >= len(doc) or t.lower[i - 1] in self.not_evaluated:
                continue
            sentence = t.sentence_start(i)
            if not any(t.lower[j] in self.evaluation for j in range(max(sentence, i - 4), i)):
                continue
            start = i + 2 if t.lower[i + 1] == _THE and i + 2 < len(doc) else i + 1
            end = compound_end(doc, start)
            if end < len(doc) and (t.lower[end] in self.heads or doc[end].text[:1].isupper() or t.orth[end] == _OPEN):
                continue  # "on the FooBar dataset" (the dataset rule's), "on Foo Bar", a definition
            if self._listable(doc, start, end):
                out.append((doc[start:end], "dataset", "new-name:evaluated", False))
        return out

    def _name_before(self, doc: Doc, end: int) -> Span | None:
        """The name ending just before token `end`: a name-like compound, or capitalised
        words (up to four) not at the sentence's start."""
        t = tokens(doc)
        start = compound_start(doc, end - 1)
        if looks_like_name(text_of(doc[start:end]), self.rules):
            return doc[start:end]
        sentence = t.sentence_start(end - 1)
        while (start > sentence and end - start < _MAX_NAME_TOKENS and doc[start - 1].text[:1].isupper()
               and doc[start - 1].is_alpha and not doc[start - 1].is_stop):
            start -= 1
        name = doc[start:end]
        if start == sentence or name[0].is_stop or not all(tok.text[:1].isupper() or tok.text == "-" for tok in name):
            return None
        if start - 2 >= sentence and doc[start - 1].is_stop and doc[start - 2].text[:1].isupper():
            return None  # part of a longer name with a small word in it: "Table as Thought"
        return name if looks_like_coined(text_of(name), self.rules) else None

    def _listed_names(self, doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[Span, str, str, bool]]:
        """Names listed beside a known method or dataset take its type: "VisualBERT and
        LXMERT", "GLOW, RealNVP and FFJORD" (followed along the list both ways; only
        name-like tokens: inner capitals, all capitals, digits)."""
        out = []
        t = tokens(doc)
        known = sorted({(s, e, ctype) for s, e, ctype in spans if ctype in ("method", "dataset")})
        if not known:
            return out
        taken = {(s, e) for s, e, _ in known}
        for start, end, ctype in known:
            for step in (1, -1):
                if not _separator(t, end if step > 0 else start - 1):
                    continue  # most names stand in no list: skipped at once
                s, e = start, end
                for _ in range(_MAX_LISTED):
                    nxt = self._list_neighbour(doc, s, e, step)
                    if nxt is None or nxt in taken:
                        break
                    s, e = nxt
                    if any(a <= s < b or a < e <= b for a, b in taken):
                        break
                    taken.add(nxt)
                    out.append((doc[s:e], ctype, "new-name:list", False))
        return out

    def _list_neighbour(self, doc: Doc, start: int, end: int, step: int) -> tuple[int, int] | None:
        """The name-like compound next to doc[start:end] across a list separator (",", "and",
        "or", ", and"), after it (step 1) or before it (step -1)."""
        t = tokens(doc)
        if step > 0:
            i = end
            if i < len(doc) and t.orth[i] == _COMMA:
                i += 1
            if i < len(doc) and t.lower[i] in _LIST_WORDS:
                i += 1
            if i == end or i >= len(doc) or t.orth[i - 1] == _COMMA and i + 1 == len(doc):
                return None
            j = compound_end(doc, i)
            if t.orth[i - 1] == _COMMA and not _separator(t, j, closing=True):
                return None  # "On ImageNet-1K, Meta-SpikeFormer achieves": a clause, not a list
            if j < len(doc) and (t.lower[j] in self.heads or t.orth[j] == _OPEN or doc[j].text[:1].isupper()
                                 or not doc[j - 1].whitespace_ and doc[j].is_alpha):
                return None  # "BERT and the GLUE benchmark", a short form's definition, "MCL JVC", "ZINC250K"
            return (i, j) if self._listable(doc, i, j) else None
        i = start
        if i > 0 and t.lower[i - 1] in _LIST_WORDS:
            i -= 1
        if i > 0 and t.orth[i - 1] == _COMMA:
            i -= 1
        if i == start or i == 0 or i == start - 1 and t.orth[i] == _COMMA and not _separator(t, end, closing=True):
            return None
        s = compound_start(doc, i - 1)
        return (s, i) if self._listable(doc, s, i) else None

    def _listable(self, doc: Doc, start: int, end: int) -> bool:
        """A name-like compound that stands alone: not glued to a word before it, and not a
        short acronym after a modifier ("offline RL", "graph CNN": a phrase, not a name)."""
        text = text_of(doc[start:end])
        if not looks_like_name(text, self.rules):
            return False
        if start == 0:
            return True
        before = doc[start - 1]
        if not before.whitespace_ and before.is_alpha:
            return False
        return not (len(text) <= 3 and text.isupper() and before.is_lower and before.is_alpha and not before.is_stop)


def _separator(t: Tokens, i: int, closing: bool = False) -> bool:
    """A list separator at token i: ",", "and", "or" (and ")" when `closing`: after a comma
    it says the comma joined items of a list)."""
    return 0 <= i < len(t.orth) and (t.orth[i] == _COMMA or t.lower[i] in _LIST_WORDS
                                      or closing and t.orth[i] == _CLOSE)


def compound_at(doc: Doc, i: int) -> Span:
    """The token at i plus tokens glued to it by '-' ("E-iSpec", "Explanation-Refiner")."""
    return doc[i:compound_end(doc, i)]


def compound_end(doc: Doc, i: int) -> int:
    """Where `compound_at(doc, i)` ends; hyphens found by hash, so most calls make no Token."""
    orth, end = tokens(doc).orth, i + 1
    while end + 1 < len(orth) and orth[end] == _HYPHEN and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 2
    return end


def compound_start(doc: Doc, i: int) -> int:
    """Where the compound ending at token i starts: tokens glued before it by '-' ("MNIST-Nd")."""
    orth, start = tokens(doc).orth, i
    while start - 2 >= 0 and orth[start - 1] == _HYPHEN and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
        start -= 2
    return start


def _same(name: Span, spans: list[Span]) -> Span | None:
    for s in spans:
        if s.start <= name.start and s.end >= name.end:
            return s
    return None


def _occurrences(doc: Doc, name: Span):
    words = [t.orth for t in name]
    for i in tokens(doc).find(words):
        yield i, i + len(words)
