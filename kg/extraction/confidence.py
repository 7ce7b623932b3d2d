"""How far to trust a mention: the measured precision of the kind of evidence behind it.

A mention's confidence is the share of mentions of its type and producer that were right
when the pipeline ran on annotated papers it had not been trained on (`kg train`
cross-validates and writes the table into the model as `confidence.json`). The producer is
the rule's family (`vocab`, `abbreviation`, `new-name`, `model`, ...) and whether the
recognizer agreed (`vocab+model`): agreement is measured separately because it is worth more.
A kind never seen in cross-validation gets the type's overall precision. The table has
one part for builds with the recognizer and one for rules alone (`--no-model`), measured
on the same papers. With the recognizer, a concept none of whose mentions reaches
`MIN_CONFIDENCE` is dropped: the kinds of evidence that were wrong more often than right
in cross-validation do not make a concept alone (rules alone, `--no-model`, drop nothing).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..model import ConceptMentions

FILE = "confidence.json"
AGREED = "+model"
MIN_CONFIDENCE = 0.5  # with the recognizer, a concept is kept when some mention of it reaches this


def producer(rule: str) -> str:
    """The family of a rule: "vocab:methods.ttl+model" -> "vocab+model"."""
    agreed = rule.endswith(AGREED)
    family = rule.removesuffix(AGREED).split(":", 1)[0]
    return family + AGREED if agreed else family


class Confidence:
    """Looks up a mention's confidence by type and rule."""

    def __init__(self, table: dict[str, dict[str, float]] | None = None, minimum: float = 0.0):
        self.table = table or {}
        self.minimum = minimum  # concepts none of whose mentions reach it are dropped (`keep`)

    @classmethod
    def load(cls, model_dir: Path | None, shipped: Path) -> "Confidence":
        """The table for a pipeline with the model in `model_dir`, or for rules alone
        (None: the shipped model's measurement of the rules)."""
        path = (model_dir or shipped) / FILE
        if not path.is_file():
            return cls()
        tables = json.loads(path.read_text(encoding="utf-8"))
        if model_dir is None:
            return cls(tables.get("rules_only"))
        return cls(tables.get("with_model"), tables.get("min_confidence", MIN_CONFIDENCE))

    def __call__(self, ctype: str, rule: str) -> float | None:
        by_kind = self.table.get(ctype)
        if not by_kind:
            return None
        kind = producer(rule)
        if kind in by_kind:
            return by_kind[kind]
        if kind.endswith(AGREED) and kind.removesuffix(AGREED) in by_kind:
            return by_kind[kind.removesuffix(AGREED)]
        return by_kind.get("*")


def keep(found: list[ConceptMentions], minimum: float) -> list[ConceptMentions]:
    """The concepts some mention of which is trusted at least `minimum` (unknown counts as trusted)."""
    if minimum <= 0:
        return found
    return [cm for cm in found if any(m.confidence is None or m.confidence >= minimum for m in cm.mentions)]


def calibrate(judged: Iterable[tuple[str, str, bool]], min_count: int = 10) -> dict[str, dict[str, float]]:
    """The table from (type, rule, correct) judgements: precision per type and producer,
    rounded to two places; kinds seen fewer than `min_count` times fall back to the type's
    figure ("*")."""
    counts: dict[str, dict[str, list[int]]] = {}
    for ctype, rule, correct in judged:
        kinds = counts.setdefault(ctype, {})
        for kind in {producer(rule), "*"}:
            c = kinds.setdefault(kind, [0, 0])
            c[0] += correct
            c[1] += 1
    return {ctype: {kind: round(ok / n, 2) for kind, (ok, n) in sorted(kinds.items()) if n >= min_count or kind == "*"}
            for ctype, kinds in sorted(counts.items())}
