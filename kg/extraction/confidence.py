"""How far to trust a mention: the measured precision of the kind of evidence behind it.

A mention's confidence is the share of mentions of its type and kind that were right when
the pipeline ran on annotated papers it had not been trained on (`kg train`
cross-validates and writes the table into the model as `confidence.json`). The kind is the
rule's family (`vocab`, `abbreviation`, `new-name`, `model`, ...), whether the recognizer
agreed (`vocab+model`: agreement is worth more), and the paper's context: `anatomy` when it
names a word of experimental neuroanatomy (`kg:anatomyCue` in ontology/rules.ttl),
`other` otherwise, since the recognizer is right more often in one than in the other.
A kind seen too rarely in cross-validation takes the figure of the same kind over all
types, then of the kind without its context, then of its type.

The table has one part for builds with the recognizer and one for rules alone
(`--no-model`), measured on the same papers. A concept only the recognizer found is kept
when one of its mentions reaches `MIN_CONFIDENCE`: where the recognizer alone was wrong
more often than right in cross-validation (machine-learning methods: 0.43), it adds
nothing; what the rules find is kept as without the recognizer, with its confidence.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from ..model import ConceptMentions
from ..namespaces import KG
from .rules import rules_graph

FILE = "confidence.json"
MODEL = "model"  # the rule of a mention only the recognizer found
AGREED = "+" + MODEL
MIN_CONFIDENCE = 0.5  # with the recognizer, a concept is kept when some mention of it reaches this
MIN_COUNT = 10  # judgements a kind needs to have a figure of its own
ANY = "*"


def producer(rule: str) -> str:
    """The family of a rule: "vocab:methods.ttl+model" -> "vocab+model"."""
    agreed = rule.endswith(AGREED)
    family = rule.removesuffix(AGREED).split(":", 1)[0]
    return family + AGREED if agreed else family


@lru_cache(maxsize=1)
def _anatomy() -> re.Pattern:
    words = sorted(str(o).lower() for o in rules_graph().objects(KG.RegionPhrases, KG.anatomyCue))
    return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, words)))


def context_of(lower_text: str) -> str:
    """"anatomy" for a paper (its lower-case text) that names a word of neuroanatomy."""
    return "anatomy" if _anatomy().search(lower_text) else "other"


def _keys(ctype: str, rule: str, context: str) -> list[tuple[str, str]]:
    """Where to look a mention's figure up, most specific first."""
    kind = producer(rule)
    keys = [(ctype, f"{kind}@{context}"), (ANY, f"{kind}@{context}"), (ctype, kind), (ANY, kind)]
    if kind.endswith(AGREED):
        keys.append((ctype, kind.removesuffix(AGREED)))
    return keys + [(ctype, ANY)]


class Confidence:
    """Looks up a mention's confidence by type, rule and the paper's context."""

    def __init__(self, table: dict[str, dict[str, float]] | None = None, minimum: float = 0.0,
                 alone: dict[str, dict[str, float]] | None = None):
        self.table = table or {}
        self.minimum = minimum  # concepts none of whose mentions reach it are dropped (`keep`)
        self.alone_table = alone or {}  # per concept: how often one only the recognizer found was right
        self._found: dict[tuple[str, str, str], float | None] = {}  # lookups made: a few dozen rules

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
        return cls(tables.get("with_model"), tables.get("min_confidence", MIN_CONFIDENCE), tables.get("model_alone"))

    def __call__(self, ctype: str, rule: str, context: str = "other") -> float | None:
        key = (ctype, rule, context)
        if key not in self._found:
            self._found[key] = self._look_up(ctype, rule, context)
        return self._found[key]

    def _look_up(self, ctype: str, rule: str, context: str) -> float | None:
        return _first(self.table, _keys(ctype, rule, context))

    def alone(self, ctype: str, context: str = "other") -> float | None:
        """The share of concepts of `ctype` found by the recognizer alone (no rule) that were
        right, in papers of `context`: what `keep` decides by. The type's own record decides
        (its figure in that context, else over all contexts); the figure over all types only
        for a type never seen alone: brain regions being often right in anatomy papers says
        nothing of a dataset found there."""
        kind = f"{MODEL}@{context}"
        return _first(self.alone_table, [(ctype, kind), (ctype, MODEL), (ctype, ANY), (ANY, kind), (ANY, MODEL)])


def _first(table: dict[str, dict[str, float]], keys: list[tuple[str, str]]) -> float | None:
    """The figure of the first of `keys` (group, kind) that `table` has."""
    for group, kind in keys:
        value = table.get(group, {}).get(kind)
        if value is not None:
            return value
    return None


def keep(found: list[ConceptMentions], minimum: float,
         alone: Callable[[str], float | None] | None = None) -> list[ConceptMentions]:
    """The concepts a rule found, and those only the recognizer found where such concepts
    of their type were right at least `minimum` of the time in the paper's context (`alone`,
    counted per concept and paper as the scores are); without that figure, where some
    mention is trusted at least `minimum` (unknown counts as trusted)."""
    if minimum <= 0:
        return found
    out = []
    for cm in found:
        if any(m.rule != MODEL for m in cm.mentions):
            out.append(cm)
            continue
        share = alone(cm.concept.type) if alone is not None else None
        if share is not None:
            if share >= minimum:
                out.append(cm)
        elif any(m.confidence is None or m.confidence >= minimum for m in cm.mentions):
            out.append(cm)
    return out


def calibrate(judged: Iterable[tuple[str, str, str, bool]], min_count: int = MIN_COUNT) -> dict[str, dict[str, float]]:
    """The table from (type, rule, context, right) judgements: precision per type and kind,
    and per kind over all types ("*"), rounded to two places; a kind seen fewer than
    `min_count` times gets no figure of its own (the lookup falls back)."""
    counts: dict[str, dict[str, list[int]]] = {}
    for ctype, rule, context, right in judged:
        kind = producer(rule)
        for group, key in ((ctype, f"{kind}@{context}"), (ctype, kind), (ctype, ANY),
                           (ANY, f"{kind}@{context}"), (ANY, kind)):
            c = counts.setdefault(group, {}).setdefault(key, [0, 0])
            c[0] += right
            c[1] += 1
    return {group: {key: round(ok / n, 2) for key, (ok, n) in sorted(kinds.items()) if n >= min_count or key == ANY}
            for group, kinds in sorted(counts.items())}
