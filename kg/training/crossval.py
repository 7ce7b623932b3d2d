"""Cross-validation: every annotated paper is predicted by a model that never saw it.

Papers are split into k folds by a seeded shuffle of their keys (ids or normalised titles),
so the folds do not depend on file order. For each fold a recognizer is trained on the
other folds and the whole extraction pipeline (rules, vocabularies and that model) runs on
the held-out papers. The predictions feed the scores `bench/extraction.py` prints and the
confidence each kind of mention gets (`confidence.py`).
"""
from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..extraction.confidence import MIN_CONFIDENCE, Confidence, calibrate, context_of, keep
from ..extraction.pipeline import Extractor
from ..model import ConceptMentions
from .gold import GoldDoc
from .train import train_recognizer


@dataclass
class Prediction:
    """What extraction found in one held-out paper."""

    doc: GoldDoc
    fold: int
    found: list[ConceptMentions]


def assign_folds(docs: Sequence[GoldDoc], k: int, seed: int = 0) -> list[int]:
    """The fold of each doc: each source's keys sorted, shuffled with `seed`, dealt
    round-robin. Dealt per source, so adding an annotation file leaves the folds of the
    others' papers where they were, and a score measures the data added, not a new draw."""
    by_source: dict[str, set[str]] = {}
    for d in docs:
        by_source.setdefault(d.source, set()).add(d.key)
    fold_of: dict[str, int] = {}
    for source in sorted(by_source):
        keys = sorted(key for key in by_source[source] if key not in fold_of)
        random.Random(seed).shuffle(keys)
        fold_of.update({key: i % k for i, key in enumerate(keys)})
    return [fold_of[d.key] for d in docs]


def cross_validate(docs: Sequence[GoldDoc], k: int = 5, *, seed: int = 0, epochs: int | None = None,
                   jobs: int = 1) -> list[Prediction]:
    """Held-out predictions for every doc, in input order; `jobs` folds train at once."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    folds = assign_folds(docs, k, seed)
    args = [(list(docs), folds, i, seed, epochs) for i in range(k)]
    if jobs > 1:
        with ProcessPoolExecutor(min(jobs, k)) as pool:
            results = list(pool.map(_run_fold, *zip(*args)))
    else:
        results = [_run_fold(*a) for a in args]
    out: dict[int, Prediction] = {}
    for fold_results in results:
        out.update(fold_results)
    return [out[i] for i in range(len(docs))]


def _run_fold(docs: list[GoldDoc], folds: list[int], fold: int, seed: int,
              epochs: int | None) -> dict[int, Prediction]:
    train = [d for d, f in zip(docs, folds) if f != fold]
    held = [i for i, f in enumerate(folds) if f == fold]
    with tempfile.TemporaryDirectory(prefix=f"kg-fold{fold}-") as tmp:
        model = train_recognizer(train, Path(tmp) / "model", seed=seed, epochs=epochs)
        extractor = Extractor(model=model)
        found = extractor.extract(docs[i].paper for i in held)
        return {i: Prediction(docs[i], fold, concepts) for i, (_, concepts) in zip(held, found)}


def with_confidence(preds: Sequence[Prediction], minimum: float = MIN_CONFIDENCE) -> list[Prediction]:
    """The predictions as the shipped pipeline would give them: each fold's mentions get
    confidences calibrated on the other folds only, and untrusted concepts are dropped."""
    from .score import judged_concepts, judged_mentions

    out = list(preds)
    for fold in sorted({p.fold for p in preds}):
        others = [p for p in preds if p.fold != fold]
        conf = Confidence(calibrate(judged_mentions(others)), minimum, calibrate(judged_concepts(others)))
        for i, p in enumerate(preds):
            if p.fold == fold:
                context = context_of(p.doc.text.lower())
                found = [ConceptMentions(cm.concept, [replace(m, confidence=conf(cm.concept.type, m.rule, context))
                                                      for m in cm.mentions], cm.proposed) for cm in p.found]
                out[i] = Prediction(p.doc, fold, keep(found, conf.minimum, lambda t: conf.alone(t, context)))
    return out


def predict(docs: Sequence[GoldDoc], model: Path | None) -> Iterator[Prediction]:
    """Predictions of one extractor (a model, or rules alone with None) for every doc."""
    extractor = Extractor(model=model)
    for doc, (_, found) in zip(docs, extractor.extract(d.paper for d in docs)):
        yield Prediction(doc, -1, found)
