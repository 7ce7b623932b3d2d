"""Concept-to-concept relations with strength: association measures and typed relations.

Co-occurrence counts say how often; NPMI and lift say how much more often than chance,
so "methods used with fMRI" can rank by association rather than by frequency. Typed
relations (method evaluatedOn dataset, method appliedTo modality, modality recordedFrom
brain region) come from sentences that name both concepts with a cue word of the relation
(ontology/rules.ttl); each keeps those sentences as evidence.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
from ..namespaces import KG
from ..extraction.rules import rules_graph

TYPED_RELATIONS = ("evaluatedOn", "appliedTo", "recordedFrom")
_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Relation:
    name: str
    subject_type: str
    object_type: str
    cues: frozenset[str]


@lru_cache(maxsize=1)
def load_relations() -> tuple[Relation, ...]:
    graph = rules_graph()
    out = []
    for name in TYPED_RELATIONS:
        node = KG[name]
        out.append(Relation(name, str(graph.value(node, KG.subjectType)), str(graph.value(node, KG.objectType)),
                            frozenset(str(o).lower() for o in graph.objects(node, KG.relationCue))))
    return tuple(out)


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


def add_typed_relations(graph: nx.MultiDiGraph) -> None:
    """Add typed relation edges from sentences that state them.

    Evidence is gathered per (subject, object, relation) first and the edges added once: a
    relation between two common concepts has thousands of sentences in a large corpus.
    """
    relations = load_relations()
    found: dict[tuple[str, str, str], dict[tuple, dict]] = {}
    for paper, sentences in _sentences(graph).items():
        for (field, start, sentence), concepts in sentences.items():
            possible = [rel for rel in relations if rel.subject_type in concepts and rel.object_type in concepts]
            if not possible:  # most sentences: their words need not be read
                continue
            words = {w.lower() for w in _WORD.findall(sentence)}
            for rel in possible:
                if not rel.cues & words:
                    continue
                for subj in concepts.get(rel.subject_type, []):
                    for obj in concepts.get(rel.object_type, []):
                        evidence = found.setdefault((subj, obj, rel.name), {})
                        evidence.setdefault((paper, field, start), dict(
                            paper=paper, field=field, start=start, end=start + len(sentence),
                            sentence=sentence, rule=f"relation:{rel.name}"))
    graph.add_edges_from((subj, obj, name, {"kind": name, "evidence": list(evidence.values()),
                                            "papers": len({paper for paper, _, _ in evidence})})
                         for (subj, obj, name), evidence in found.items())


def _sentences(graph: nx.MultiDiGraph) -> dict:
    """paper -> (field, sentence start, sentence) -> type -> [concept], papers and concepts in IRI order."""
    out: dict = {}
    nodes = graph.nodes
    for paper, targets in sorted(graph.adjacency()):
        sentences: dict = defaultdict(lambda: defaultdict(list))
        for concept in sorted(c for c, keys in targets.items() if "mentions" in keys):
            ctype = nodes[concept]["type"]
            for m in targets[concept]["mentions"]["mentions"]:
                concepts = sentences[(m.field, m.sentence_start, m.sentence)][ctype]
                if concept not in concepts[-1:]:
                    concepts.append(concept)
        if sentences:
            out[paper] = sentences
    return out
