"""The word lists extraction rules read from `ontology/rules.ttl`.

Head nouns decide the type of an unknown long form; cue verbs and naming words find a
paper's own names. Loaded once per process and cached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef

from ..namespaces import KG
from ..resources import ontology_dir
from .vocab import CLASS_TYPES


@dataclass(frozen=True)
class Rules:
    head_nouns: dict[str, str]  # lower-case head noun -> concept type
    proposal_verbs: frozenset[str]
    naming_cues: frozenset[str]
    dataset_cues: frozenset[str]
    method_cues: frozenset[str]
    evaluation_cues: frozenset[str]
    not_evaluation: frozenset[str]  # "based" in "based on FooNet"
    appositive_heads: dict[str, str]  # lower-case noun -> type: "X, a library for ..."
    not_a_name: frozenset[str]
    not_a_name_pattern: re.Pattern
    not_a_title_name: frozenset[str]
    not_a_concept: frozenset[str]
    availability_cues: tuple[str, ...]
    name_like: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)  # `looks_like_name`'s answers


@lru_cache(maxsize=1)
def rules_graph() -> Graph:
    """ontology/rules.ttl, parsed once per process for every rule that reads it."""
    return Graph().parse(ontology_dir() / "rules.ttl", format="turtle")


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    graph = rules_graph()
    heads: dict[str, str] = {}
    for cls, ctype in CLASS_TYPES.items():
        for noun in _words(graph, cls, KG.headNoun):
            heads.setdefault(noun.lower(), ctype)
    node = KG.ExtractionRules
    return Rules(
        head_nouns=heads,
        proposal_verbs=frozenset(w.lower() for w in _words(graph, node, KG.proposalVerb)),
        naming_cues=frozenset(w.lower() for w in _words(graph, node, KG.namingCue)),
        dataset_cues=frozenset(w.lower() for w in _words(graph, node, KG.datasetCue)),
        method_cues=frozenset(w.lower() for w in _words(graph, node, KG.methodCue)),
        evaluation_cues=frozenset(w.lower() for w in _words(graph, node, KG.evaluationCue)),
        not_evaluation=frozenset(w.lower() for w in _words(graph, node, KG.notAnEvaluation)),
        appositive_heads={
            **{w.lower(): "method" for w in [*_words(graph, node, KG.methodCue), *_words(graph, node, KG.appositiveMethodHead)]},
            **{w.lower(): "dataset" for w in _words(graph, node, KG.datasetCue)}},
        not_a_name=frozenset(_words(graph, node, KG.notAName)),
        not_a_name_pattern=re.compile("|".join(_words(graph, node, KG.notANamePattern)) or "$^"),
        not_a_title_name=frozenset(w.lower() for w in _words(graph, node, KG.notATitleName)),
        not_a_concept=frozenset(w.lower() for w in _words(graph, node, KG.notAConcept)),
        availability_cues=tuple(w.lower() for w in _words(graph, node, KG.availabilityCue)),
    )


def _words(graph: Graph, node: URIRef, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(node, prop))
