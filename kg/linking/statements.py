"""Typed relations a paper states, judged by a trained classifier.

A relation (method evaluatedOn dataset, method appliedTo modality, modality recordedFrom
brain region) is read from one sentence. The candidates of a paper are
- two concepts of the relation's types named in one sentence, and
- the paper's own subject (its proposed method; for recordedFrom, any of its data
  modalities) with an object named in a sentence where that subject is not: "We evaluate
  our approach on MNIST" states FFJORD evaluatedOn MNIST without naming FFJORD.
Each candidate is described by features (the words between the two names, negation before
the object, another subject closer to the object, a list of objects, the sentence's
self-reference or background words, the relation's cue words, which rule found each name,
...) and a logistic regression per relation gives the probability that the sentence states
it. The word lists are data (`kg:RelationFeatures` in ontology/rules.ttl); the weights are
package data (`kg/models/relations.json`), trained by `kg train-relations`
(kg/training/relations.py) on annotated papers.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from ..errors import KgError
from ..extraction.confidence import context_of
from ..extraction.rules import load_rules, rules_graph
from ..model import Mention
from ..namespaces import KG
from ..resources import relation_model_path

TYPED_RELATIONS = ("evaluatedOn", "appliedTo", "recordedFrom")
FORMAT = 1
_OWN_DETERMINERS = frozenset({"our", "proposed", "this"})
_TOKEN = re.compile(r"\w[\w\-'/.+]*\w|\w|[^\w\s]")


@dataclass(frozen=True)
class Relation:
    name: str
    subject_type: str
    object_type: str
    cues: frozenset[str]
    subject_families: frozenset[str] = frozenset()  # a modality subject's families allowed (empty: any)


@dataclass(frozen=True)
class Words:
    """The word lists the features read (ontology/rules.ttl)."""
    negation: frozenset[str]
    self_reference: frozenset[str]
    background: frozenset[str]
    stimulus: frozenset[str]
    proposal: frozenset[str]
    instrument: frozenset[str]  # phrases, lower case, words joined by one space
    own_work: frozenset[str]


@lru_cache(maxsize=1)
def load_relations() -> tuple[Relation, ...]:
    graph = rules_graph()
    out = []
    for name in TYPED_RELATIONS:
        node = KG[name]
        out.append(Relation(name, str(graph.value(node, KG.subjectType)), str(graph.value(node, KG.objectType)),
                            frozenset(str(o).lower() for o in graph.objects(node, KG.relationCue)),
                            frozenset(str(o) for o in graph.objects(node, KG.subjectFamily))))
    return tuple(out)


@lru_cache(maxsize=1)
def load_words() -> Words:
    graph, node = rules_graph(), KG.RelationFeatures

    def words(prop) -> frozenset[str]:
        return frozenset(str(o).lower() for o in graph.objects(node, prop))
    return Words(words(KG.negationCue), words(KG.selfReference), words(KG.backgroundCue),
                 words(KG.stimulusCue), frozenset(load_rules().proposal_verbs), words(KG.instrumentCue),
                 words(KG.ownWorkNoun))


@dataclass
class Occurrence:
    """One concept in one paper: its id, type, whether the paper proposes it, its mentions,
    and for a modality the labels of its topmost broader concepts in the vocabulary (its
    family: "neural recordings", "image", "text"; none for a concept no vocabulary knows)."""
    concept: str
    type: str
    mentions: Sequence[Mention]
    proposed: bool = False
    families: tuple[str, ...] = ()


def families(iri: str, broader: Callable[[str], Iterable[str]], label: Callable[[str], str | None]) -> tuple[str, ...]:
    """Labels of the topmost ancestors of `iri` (itself if it has none), through `broader`."""
    roots, seen, todo = set(), {iri}, [iri]
    while todo:
        node = todo.pop()
        parents = [p for p in broader(node) if label(p) is not None]
        if not parents:
            roots.add(label(node) or "")
        for p in parents:
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return tuple(sorted(r for r in roots if r))


@dataclass
class Candidate:
    """A pair of concepts a sentence may state a relation between, with its features."""
    relation: str
    subject: str
    object: str
    sentence: tuple[str, int, str]  # field, start, text
    features: list[str]
    probability: float = 0.0  # the classifier's
    confidence: float = 0.0  # the measured precision of pairs kept at that probability


@dataclass
class _Sentence:
    field: str
    start: int
    text: str
    tokens: list[tuple[int, int, str]] = field(default_factory=list)  # start, end (in the sentence), lower text
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # concept -> token ranges
    types: dict[str, str] = field(default_factory=dict)  # concept -> type

    def tokenize(self) -> None:
        self.tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(self.text)]

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens from the first ending after `start` to the last starting before `end`
        (at least one)."""
        first = bisect_right(self.tokens, start, key=lambda t: t[1])
        last = max(bisect_left(self.tokens, end, key=lambda t: t[0]), first)
        return first, max(last, first + 1)


def _rule_family(rule: str) -> str:
    return rule.split(":", 1)[0].split("+", 1)[0]


def candidates(occurrences: Sequence[Occurrence], relations: Sequence[Relation] | None = None) -> list[Candidate]:
    """Every candidate of one paper, with its features, in a stable order."""
    relations = load_relations() if relations is None else relations
    types = {occ.type for occ in occurrences}
    relations = [r for r in relations if r.subject_type in types and r.object_type in types]
    if not relations:  # most papers of a large corpus: nothing to read
        return []
    words = load_words()
    sentences: dict[tuple[str, int], _Sentence] = {}
    rules: dict[str, str] = {}
    names: dict[str, str] = {}
    family: dict[str, tuple[str, ...]] = {}
    for occ in occurrences:
        for m in occ.mentions:
            key = (m.field, m.sentence_start)
            s = sentences.get(key)
            if s is None:
                s = sentences[key] = _Sentence(m.field, m.sentence_start, m.sentence)
            s.spans.setdefault(occ.concept, []).append((m.start - m.sentence_start, m.end - m.sentence_start))
            s.types[occ.concept] = occ.type
        rules[occ.concept] = _rule_family(occ.mentions[0].rule) if occ.mentions else ""
        if occ.type == "modality" and occ.mentions:  # a small closed set: its name and family are features
            names[occ.concept] = occ.mentions[0].text.lower()
            family[occ.concept] = occ.families or ("unknown",)
    subject_types = {r.subject_type for r in relations}
    own = {occ.concept: _own_kind(occ, words) if occ.type in subject_types else () for occ in occurrences}
    context = "context:" + context_of(" ".join(s.text for s in sentences.values()).lower())
    by_type: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        by_type.setdefault(occ.type, []).append(occ)
    out: list[Candidate] = []
    for key in sorted(sentences):
        s = sentences[key]
        wanted = []  # (relation, objects, subjects named in the sentence, the paper's own named elsewhere)
        for rel in relations:
            objects = sorted(c for c, t in s.types.items() if t == rel.object_type)
            if not objects:
                continue
            inside = sorted(c for c, t in s.types.items() if t == rel.subject_type and _may_be_subject(rel, c, family))
            outside = sorted(o.concept for o in by_type.get(rel.subject_type, ())
                             if o.concept not in s.types and (own[o.concept] or rel.name == "recordedFrom")
                             and _may_be_subject(rel, o.concept, family))
            if any(subj != obj for subj in inside + outside for obj in objects):
                wanted.append((rel, objects, inside, outside))
        if not wanted:  # no pair to judge: the sentence is not read
            continue
        s.tokenize()
        toks = [t[2] for t in s.tokens]
        token_spans = {c: [s.token_range(a, b) for a, b in spans] for c, spans in s.spans.items()}
        for rel, objects, inside, outside in wanted:
            base = _sentence_features(rel, s, toks, words)
            for obj in objects:
                about_obj = _outside_features(base, toks, token_spans[obj][0], words) if outside else []
                for subj in inside + outside:
                    if subj == obj:
                        continue
                    inner = subj in s.types
                    feats = _features(rel, s, token_spans, subj, obj, inner, own[subj], rules, words, toks, base)
                    if not inner:
                        feats = about_obj + feats
                    for role, c in (("s", subj), ("o", obj)):
                        if c in names:
                            feats.append(f"{role}_name:{names[c]}")
                            feats += [f"{role}_family:{f}" for f in family[c]]
                    feats.append(context if subj in s.types else f"out:{context}")
                    out.append(Candidate(rel.name, subj, obj, (s.field, s.start, s.text), feats))
    return out


def _may_be_subject(rel: Relation, concept: str, family: dict[str, tuple[str, ...]]) -> bool:
    """Whether the relation's ontology allows this subject: for recordedFrom, a modality of a
    family that can be recorded from a region, or one no vocabulary knows ("unknown")."""
    if not rel.subject_families:
        return True
    families = family.get(concept, ("unknown",))
    return "unknown" in families or not rel.subject_families.isdisjoint(families)


def _own_kind(occ: Occurrence, words: Words) -> tuple[str, ...]:
    """How a concept is the paper's own: "proposed" (by the extraction's proposal rules, or
    named within four words after a proposal verb: "we propose FooNet"), "title_name" (the
    title begins with it and a colon) and "title" (named in the title)."""
    kinds = []
    if occ.proposed or any(_after_proposal(m, words) for m in occ.mentions):
        kinds.append("proposed")
    if any(m.field == "title" and m.start == 0 and m.sentence[m.end:m.end + 1] == ":" for m in occ.mentions):
        kinds.append("title_name")
    if any(m.field == "title" for m in occ.mentions):
        kinds.append("title")
    return tuple(kinds)


@lru_cache(maxsize=8)
def _any_of(strings: frozenset[str]) -> re.Pattern:
    """A pattern found wherever one of `strings` occurs (one scan instead of one per string)."""
    return re.compile("|".join(map(re.escape, sorted(strings))))


def _after_proposal(m: Mention, words: Words) -> bool:
    """A proposal verb at most three words before the mention, no comma between ("we
    propose a novel FooNet"; not the "convolutional network" of "we propose FooNet, a
    convolutional network")."""
    prefix = m.sentence[:m.start - m.sentence_start]
    if not _any_of(words.proposal).search(prefix.lower()):  # most mentions: no verb at all
        return False
    before = [w.lower() for w in _TOKEN.findall(prefix)][-4:]
    for i, w in enumerate(before):
        if w in words.proposal and not {",", ";", ":"} & set(before[i + 1:]):
            return True
    return False


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11+"


def _sentence_features(rel: Relation, s: _Sentence, toks: list[str], words: Words) -> list[str]:
    """The features a sentence gives every candidate of `rel` in it (made once per sentence)."""
    lower = set(toks)
    f = [f"field:{s.field}"]
    if lower & words.self_reference:
        f.append("self")
        if any(a in _OWN_DETERMINERS and words.own_work & set(toks[i + 1:i + 4]) for i, a in enumerate(toks)):
            f.append("self_phrase")  # "our approach", "the proposed model", "this new framework"
    if lower & words.background:
        f.append("background")
    if lower & rel.cues:
        f.append("cue")
    if lower & words.negation:
        f.append("negation_in_sentence")
    n_obj = sum(1 for c, t in s.types.items() if t == rel.object_type)
    n_subj = sum(1 for c, t in s.types.items() if t == rel.subject_type)
    f += [f"n_obj:{_bucket(n_obj)}", f"n_subj:{_bucket(n_subj)}"]
    return f + [f"w:{w}" for w in sorted(lower) if w.isalpha()]


def _outside_features(base: list[str], toks: list[str], o: tuple[int, int], words: Words) -> list[str]:
    """What a sentence says of an object whose subject it does not name ("out:" features,
    weighed apart from the pairs in one sentence; made once per object)."""
    f = base + _window("o", toks, o)
    if any(w in words.negation for w in toks[max(0, o[0] - 4):o[0]]):
        f.append("negation_before_o")
    if any(w in words.stimulus for w in toks[max(0, o[0] - 3):o[1] + 3]):
        f.append("stimulus_near_o")
    return ["bias", "outside"] + [f"out:{x}" for x in f]


def _features(rel: Relation, s: _Sentence, spans: dict[str, list[tuple[int, int]]], subj: str, obj: str,
              inside: bool, own: tuple[str, ...], rules: dict[str, str], words: Words, toks: list[str],
              base: list[str]) -> list[str]:
    f = [f"s_rule:{rules.get(subj, '')}", f"o_rule:{rules.get(obj, '')}"] + [f"own:{kind}" for kind in own]
    if not inside:
        return [f"out:{x}" for x in f]
    f = ["bias", *f, *base]
    # the two mentions closest to each other
    sa, oa = min(((a, b) for a in spans[subj] for b in spans[obj]), key=lambda p: (_gap(*p), p))
    lo, hi = (sa[1], oa[0]) if sa[0] <= oa[0] else (oa[1], sa[0])
    f.append("order:so" if sa[0] <= oa[0] else "order:os")
    f.append(f"dist:{_bucket(max(0, hi - lo))}")
    others = {c: t for c, t in s.types.items() if c not in (subj, obj)}
    between_types = set()
    for c, t in others.items():
        if any(lo <= a < hi for a, _ in spans[c]):
            between_types.add(t)
    between = []
    for i in range(lo, hi):
        between.append(toks[i])
    if hi - lo <= 12:
        f += [f"bw:{w}" for w in sorted(set(between))]
    else:
        f.append("bw:long")
    if set(between) & words.negation:
        f.append("negation_between")
    if any(w in words.negation for w in toks[max(lo if sa[0] <= oa[0] else 0, oa[0] - 4):oa[0]]):
        f.append("negation_before_o")
    if set(between) & rel.cues:
        f.append("cue_between")
    f += [f"between_type:{t}" for t in sorted(between_types)]
    rivals = [a for c, t in others.items() if t == rel.subject_type for a in spans[c]]
    if any(_gap(a, oa) < _gap(sa, oa) for a in rivals):
        f.append("closer_subject")
    if any(lo <= a[0] < hi for a in rivals):
        f.append("subject_between")
        # paired across a list: "BERT on IMDB and a CNN on MNIST" pairs BERT with IMDB only
        objects = [a for c, t in others.items() if t == rel.object_type for a in spans[c]]
        near_s = [a for a in objects if lo <= a[0] < hi]
        if sa[0] <= oa[0] and any(b[0] < a[0] for b in near_s for a in rivals if lo <= a[0] < hi):
            f.append("crossed")
        if sa[0] > oa[0] and any(a[0] < b[0] for b in near_s for a in rivals if lo <= a[0] < hi):
            f.append("crossed")
    if any(w in words.stimulus for w in toks[max(0, oa[0] - 3):oa[1] + 3]):
        f.append("stimulus_near_o")
    if any(w in words.stimulus for w in toks[max(0, sa[0] - 4):sa[1] + 4]):
        f.append("stimulus_near_s")
    before = toks[max(0, sa[0] - 3):sa[0]]
    if any(" ".join(before[i:]) in words.instrument for i in range(len(before))):
        f.append("instrument_s")
    f += _window("o", toks, oa) + _window("s", toks, sa)
    return f


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def _window(name: str, toks: list[str], span: tuple[int, int]) -> list[str]:
    a, b = span
    return [f"{name}-1:{toks[a - 1] if a >= 1 else '<s>'}", f"{name}-2:{toks[a - 2] if a >= 2 else '<s>'}",
            f"{name}+1:{toks[b] if b < len(toks) else '</s>'}"]


# Features that rule a candidate out whatever its probability: each names a way a sentence
# names two concepts without stating the relation, and each was measured not to lower
# cross-validated F1 (bench/relations.py prints the scores with and without them).
VETOES: dict[str, frozenset[str]] = {
    "evaluatedOn": frozenset({"negation_between", "negation_before_o", "out:negation_before_o", "crossed", "instrument_s"}),
    "appliedTo": frozenset({"negation_between", "negation_before_o", "out:negation_before_o", "crossed", "instrument_s"}),
    "recordedFrom": frozenset({"negation_between", "negation_before_o", "out:negation_before_o", "crossed",
                               "stimulus_near_s"}),
}


@dataclass
class RelationModel:
    """Weights of one logistic regression per relation, the probability each is kept at,
    and per relation the calibration that turns a probability into a confidence: steps
    (lowest probability, precision) measured on held-out papers (`training.relations.calibrate`)."""
    weights: dict[str, dict[str, float]]
    thresholds: dict[str, float]
    calibration: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "RelationModel":
        path = Path(path) if path is not None else relation_model_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise KgError(f"{path}: not a relation model ({e})") from None
        if data.get("format") != FORMAT:
            raise KgError(f"{path}: relation model format {data.get('format')!r}, expected {FORMAT}")
        return cls({r: v["weights"] for r, v in data["relations"].items()},
                   {r: v["threshold"] for r, v in data["relations"].items()},
                   {r: [tuple(step) for step in v.get("calibration", ())] for r, v in data["relations"].items()})

    def dumps(self) -> str:
        data = {"format": FORMAT, "relations": {
            r: {"threshold": self.thresholds[r], "weights": dict(sorted(self.weights[r].items())),
                **({"calibration": [list(step) for step in self.calibration[r]]} if self.calibration.get(r) else {})}
            for r in sorted(self.weights)}}
        return json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    def confidence(self, relation: str, probability: float) -> float:
        """The precision measured for pairs kept at this probability (the probability itself
        where the model has no calibration)."""
        steps = self.calibration.get(relation)
        if not steps:
            return probability
        value = steps[0][1]
        for low, precision in steps:
            if probability >= low:
                value = precision
        return value

    def probability(self, candidate: Candidate) -> float:
        w = self.weights.get(candidate.relation, {})
        z = sum(map(w.get, candidate.features, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def judge(self, found: Iterable[Candidate], vetoes: dict[str, frozenset[str]] = VETOES) -> Iterator[Candidate]:
        """The candidates the model keeps, each with its probability."""
        for c in found:
            if vetoes.get(c.relation, frozenset()).intersection(c.features):
                continue
            c.probability = self.probability(c)
            if c.probability >= self.thresholds.get(c.relation, 0.5):
                c.confidence = self.confidence(c.relation, c.probability)
                yield c
