"""Concept-to-concept relations with strength: association measures and typed relations.

Co-occurrence counts say how often; NPMI and lift say how much more often than chance,
so "methods used with fMRI" can rank by association rather than by frequency. Typed
relations (method evaluatedOn dataset, method appliedTo modality, modality recordedFrom
brain region) are the pairs a trained classifier reads as stated by a sentence
(`statements.py`); each keeps those sentences as evidence, with the classifier's confidence.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import networkx as nx

from ..model import Concept, ConceptMentions
from .statements import Candidate, Occurrence, RelationModel, candidates, families

MODEL_RULE = "relation-classifier"


def npmi(n_ab: int, n_a: int, n_b: int, n: int) -> float:
    """Normalised pointwise mutual information of two concepts over n papers, in [-1, 1]."""
    if n_ab == 0:
        return -1.0
    p_ab, p_a, p_b = n_ab / n, n_a / n, n_b / n
    if p_ab == 1.0:
        return 1.0
    return math.log(p_ab / (p_a * p_b)) / -math.log(p_ab)


def lift(n_ab: int, n_a: int, n_b: int, n: int) -> float:
    """Observed over expected co-occurrence: n_ab * n / (n_a * n_b)."""
    return n_ab * n / (n_a * n_b) if n_a and n_b else 0.0


def add_associations(graph: nx.MultiDiGraph) -> None:
    """Put NPMI and lift on every co-occurrence edge."""
    n = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "paper" and not d.get("stub"))
    for a, b, key, data in graph.edges(keys=True, data=True):
        if key == "cooccurs":
            n_a, n_b = graph.nodes[a]["papers"], graph.nodes[b]["papers"]
            data["npmi"] = round(npmi(data["weight"], n_a, n_b, n), 4)
            data["lift"] = round(lift(data["weight"], n_a, n_b, n), 4)


def stated_relations(found: Sequence[ConceptMentions], known: Mapping[str, Concept],
                     model: RelationModel | None = None) -> list[Candidate]:
    """The relations one paper's concepts (as extraction found them) are stated in, each a
    kept candidate with its probability, in a stable order. `known`: the vocabulary's
    concepts, for the families of modalities."""
    model = model or RelationModel.load()
    return list(model.judge(candidates([occurrence(cm, known) for cm in found])))


def occurrence(cm: ConceptMentions, known: Mapping[str, Concept]) -> Occurrence:
    """A paper's concept as the relation classifier reads it."""
    fam = families(cm.concept.iri, lambda c: known[c].broader if c in known else (),
                   lambda c: known[c].label if c in known else None) if cm.concept.type == "modality" else ()
    return Occurrence(cm.concept.iri, cm.concept.type, cm.mentions, cm.proposed, fam)


def add_typed_relations(graph: nx.MultiDiGraph, model: RelationModel | None = None) -> None:
    """Add the typed relations the papers state (`statements.py`), each edge with the
    sentences that state it (evidence, each with a confidence: the precision measured on
    held-out papers for pairs the classifier kept at that probability), the number of
    papers, and the highest of those confidences.

    Evidence is gathered per (subject, object, relation) first and the edges added once: a
    relation between two common concepts has thousands of sentences in a large corpus.
    """
    model = model or RelationModel.load()
    found: dict[tuple[str, str, str], dict[tuple, dict]] = {}
    nodes = graph.nodes

    @lru_cache(maxsize=None)
    def family_of(concept: str) -> tuple[str, ...]:
        return families(concept, lambda c: nodes[c].get("broader", ()) if c in nodes else (),
                        lambda c: nodes[c]["label"] if c in nodes else None)
    for paper, targets in sorted(graph.adjacency()):
        occurrences = [Occurrence(c, nodes[c]["type"], keys["mentions"]["mentions"], keys["mentions"]["proposed"],
                                  family_of(c) if nodes[c]["type"] == "modality" else ())
                       for c, keys in sorted(targets.items()) if "mentions" in keys]
        if len(occurrences) < 2:
            continue
        for c in model.judge(candidates(occurrences)):
            field, start, sentence = c.sentence
            evidence = found.setdefault((c.subject, c.object, c.relation), {})
            known = evidence.get((paper, field, start))
            if known is None or known["confidence"] < round(c.confidence, 3):  # calibration never falls as p rises
                evidence[(paper, field, start)] = dict(
                    paper=paper, field=field, start=start, end=start + len(sentence), sentence=sentence,
                    rule=MODEL_RULE, confidence=round(c.confidence, 3))
    graph.add_edges_from((subj, obj, name, {"kind": name, "evidence": list(evidence.values()),
                                            "papers": len({paper for paper, _, _ in evidence}),
                                            "confidence": max(e["confidence"] for e in evidence.values())})
                         for (subj, obj, name), evidence in sorted(found.items()))
