"""Training the recognizer from annotated abstracts, and measuring it honestly.

`train` reads annotations (`gold.py`), cross-validates (`crossval.py`: every paper scored by
a model that never saw it, `score.py`), calibrates each kind of mention's confidence from
those held-out predictions (`extraction/confidence.py`), then trains on every paper
(`train.py`) and writes the model with its confidence table.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..extraction.confidence import FILE as CONFIDENCE_FILE
from ..extraction.confidence import MIN_CONFIDENCE, calibrate
from ..model import CONCEPT_TYPES, Paper
from .crossval import Prediction, cross_validate, predict, with_confidence
from .gold import GoldDoc, read_gold
from .score import Counts, judged_concepts, judged_mentions, score
from .train import train_recognizer

__all__ = ["TrainResult", "train", "read_gold", "cross_validate", "score", "GoldDoc", "Prediction"]


@dataclass
class TrainResult:
    """The model written, and what cross-validation measured on the way."""

    model: Path
    docs: list[GoldDoc]
    raw: list[Prediction] = field(default_factory=list)  # held-out, model and rules, every concept
    predictions: list[Prediction] = field(default_factory=list)  # the same, as the pipeline keeps them
    rules: list[Prediction] = field(default_factory=list)  # the same papers, rules alone
    seconds: float = 0.0

    def scores(self, source: str, which: str = "model", lenient: bool = False) -> dict[str, Counts]:
        """Cross-validated counts against one annotation file (its stem; the types it
        annotated): "model" (the pipeline as shipped), "raw" (every concept the rules and
        the model found) or "rules" (rules alone)."""
        preds = {"model": self.predictions, "raw": self.raw, "rules": self.rules}[which]
        return score(preds, lenient, source)

    @property
    def sources(self) -> list[str]:
        """The annotation files (stems), in the order read."""
        return list(dict.fromkeys(d.annotated_by(t) for d in self.docs for t in CONCEPT_TYPES if t in d.types))

    def types_of(self, source: str) -> list[str]:
        """The types `source` annotated."""
        return [t for t in CONCEPT_TYPES if any(t in d.types and d.annotated_by(t) == source for d in self.docs)]


def train(gold: Iterable[str | Path], out: str | Path, texts: Sequence[Paper] = (), *, folds: int = 5,
          seed: int = 0, epochs: int | None = None, jobs: int = 1) -> TrainResult:
    """Train the recognizer on `gold` and write it to `out`; with `folds` >= 2, first
    cross-validate, and write the confidence table measured there."""
    start = time.perf_counter()
    docs = read_gold(gold, texts)
    result = TrainResult(Path(out), docs)
    if folds >= 2:
        result.raw = cross_validate(docs, folds, seed=seed, epochs=epochs, jobs=jobs)
        result.predictions = with_confidence(result.raw)
        result.rules = list(predict(docs, None))
    train_recognizer(docs, out, seed=seed, epochs=epochs)
    if folds >= 2:
        tables = {"with_model": calibrate(judged_mentions(result.raw)), "min_confidence": MIN_CONFIDENCE,
                  "model_alone": calibrate(judged_concepts(result.raw)),
                  "rules_only": calibrate(judged_mentions(result.rules))}
        (Path(out) / CONFIDENCE_FILE).write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    result.seconds = time.perf_counter() - start
    return result
