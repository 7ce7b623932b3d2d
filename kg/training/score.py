"""Paper-level scores of predictions against annotated papers.

The definitions are those of the project's shared scorers (`score_mentions.py`,
`score_external.py`): a predicted concept is right when its label or a mention's text
equals a surface form of an annotated concept of its type after normalisation (case,
punctuation, hyphens, articles, a plural "s"); an annotated concept is found when some
predicted concept matches it. `lenient` also accepts one containing the other as whole
words. Only the types a paper's source annotated are scored on it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..extraction.confidence import MODEL, context_of
from ..model import CONCEPT_TYPES
from .crossval import Prediction


def norm(text: str) -> str:
    text = re.sub(r"[^\w\s]", " ", text.lower().replace("-", " ").replace("_", " "))
    out = []
    for w in text.split():
        if w in ("the", "a", "an"):
            continue
        if len(w) > 3 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def _contains(a: str, b: str) -> bool:
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


@dataclass
class Counts:
    right: int = 0  # predicted concepts that match
    predicted: int = 0
    found: int = 0  # annotated concepts matched
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _matches(forms: set[str], gold: set[str], lenient: bool) -> bool:
    if lenient:
        return any(_contains(f, g) for f in forms for g in gold)
    return bool(forms & gold)


def judge(pred: Prediction, ctype: str, lenient: bool = False) -> tuple[list[tuple[object, bool]], list[bool]]:
    """For one paper and type: each predicted concept with whether it is right, and for
    each annotated concept whether it was found."""
    gold = [{norm(f) for f in entry.split("|") if f.strip()} - {""} for entry in pred.doc.concepts.get(ctype, [])]
    predicted = []
    for cm in pred.found:
        if cm.concept.type != ctype:
            continue
        forms = ({norm(cm.concept.label)} | {norm(m.text) for m in cm.mentions}) - {""}
        predicted.append((cm, forms))
    right = [(cm, any(_matches(forms, g, lenient) for g in gold)) for cm, forms in predicted]
    found = [any(_matches(forms, g, lenient) for _, forms in predicted) for g in gold]
    return right, found


def score(preds: Iterable[Prediction], lenient: bool = False, source: str | None = None) -> dict[str, Counts]:
    """Counts per type over the papers whose source annotated that type; with `source`,
    only the types that file (its stem) annotated."""
    out = {t: Counts() for t in CONCEPT_TYPES}
    for pred in preds:
        for ctype in CONCEPT_TYPES:
            if ctype not in pred.doc.types or source is not None and pred.doc.annotated_by(ctype) != source:
                continue
            right, found = judge(pred, ctype, lenient)
            c = out[ctype]
            c.right += sum(ok for _, ok in right)
            c.predicted += len(right)
            c.found += sum(found)
            c.gold += len(found)
    return out


def _judged(preds: Iterable[Prediction]) -> Iterator[tuple[str, str, object, bool]]:
    """(type, context, concept, right) for every predicted concept of a type its paper's
    source annotated. A third-party corpus's spans follow its own conventions ("left dorsal
    part of the X"): there a concept of the types it annotated is right when it matches
    leniently."""
    for pred in preds:
        context = context_of(pred.doc.text.lower())
        for ctype in CONCEPT_TYPES:
            if ctype in pred.doc.types:
                for cm, ok in judge(pred, ctype, lenient=not pred.doc.by_guidelines(ctype))[0]:
                    yield ctype, context, cm, ok


def judged_mentions(preds: Iterable[Prediction]) -> Iterator[tuple[str, str, str, bool]]:
    """(type, rule, context, right) for every mention, right when its concept is (for calibration)."""
    for ctype, context, cm, ok in _judged(preds):
        for m in cm.mentions:
            yield ctype, m.rule, context, ok


def judged_concepts(preds: Iterable[Prediction]) -> Iterator[tuple[str, str, str, bool]]:
    """(type, "model", context, right) for every concept only the recognizer found, judged
    once per paper as the scores judge it (what `keep` decides by)."""
    for ctype, context, cm, ok in _judged(preds):
        if all(m.rule == MODEL for m in cm.mentions):
            yield ctype, MODEL, context, ok


def format_scores(title: str, counts: dict[str, Counts], types: Iterable[str] = CONCEPT_TYPES) -> str:
    lines = [title, f"{'type':<13}{'precision':>10}{'recall':>8}{'f1':>7}{'pred':>7}{'gold':>7}"]
    for t in types:
        c = counts[t]
        if c.gold or c.predicted:
            lines.append(f"{t:<13}{c.precision:>10.3f}{c.recall:>8.3f}{c.f1:>7.3f}{c.predicted:>7}{c.gold:>7}")
    return "\n".join(lines)
