"""Training and measuring the relation classifier (kg/linking/statements.py).

Annotated relations (`relations_train.jsonl`: `{"title", "evaluated_on": [{"pair": [m, d],
"evidence": sentence}], "applied_to": [...], "recorded_from": [...]}`, or the same with an
`"id"` of a span-annotated paper, as `whitetext_modalities.jsonl`) are joined to their
annotated papers (`read_gold`). The candidates of a paper come from its concepts:
- `oracle`: the annotated concepts, projected onto the text (what the classifier alone
  can do), or
- an `Extractor`: the concepts the build finds (end to end: what a user gets).
A candidate is a positive example when its pair is annotated and its sentence is the
annotated evidence, a negative one when the pair is not annotated; an annotated pair
seen in another sentence teaches nothing (the annotation names one sentence per pair).

Scores are paper-level: a predicted pair is right when its two concepts match the two of an
annotated pair (a mention or label equal to one of the annotated surface forms after
`score.norm`), an annotated pair is found when some predicted pair matches it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from ..errors import InputError
from ..extraction.pipeline import Extractor, mention_of
from ..extraction.tokens import blank_english
from ..extraction.vocab import load_vocabulary
from ..linking.relations import occurrence
from ..model import ConceptMentions
from ..linking.statements import TYPED_RELATIONS, VETOES, Candidate, Occurrence, RelationModel, candidates
from .crossval import assign_folds
from .gold import GoldDoc, _lines, title_key
from .score import Counts, norm

KEYS = {"evaluated_on": "evaluatedOn", "applied_to": "appliedTo", "recorded_from": "recordedFrom"}
L2 = 1.0
THRESHOLD = 0.5
MIN_BIN = 30  # held-out pairs per calibration step


@dataclass
class RelationDoc:
    """One annotated paper with its annotated relations: (relation, subject, object) -> evidence."""
    doc: GoldDoc
    source: str = ""  # the relations file (its stem) that annotated it: scores are reported per file
    pairs: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    gold_of: dict[str, set[str]] = field(default_factory=dict)  # concept -> the annotated concepts it is
    candidates: list[Candidate] = field(default_factory=list)


def read_relations(paths: Iterable[str | Path], docs: Sequence[GoldDoc]) -> list[RelationDoc]:
    """The annotated papers of `docs` that some relations file covers, with their pairs."""
    by_key = {d.key: d for d in docs}
    out: dict[str, RelationDoc] = {}
    for path in map(Path, paths):
        for line, row in _lines(path):
            key = str(row["id"]) if "id" in row else title_key(str(row.get("title", "")))
            doc = by_key.get(key)
            if doc is None:
                raise InputError(path, line=line, message="no annotated paper with this title or id in the gold files")
            rdoc = out.setdefault(key, RelationDoc(doc, path.stem))
            for name, rel in KEYS.items():
                for item in row.get(name, []):
                    pair = item.get("pair") if isinstance(item, dict) else None
                    if not (isinstance(pair, list) and len(pair) == 2):
                        raise InputError(path, line=line, message=f'each "{name}" item needs a "pair" of two names')
                    rdoc.pairs.setdefault((rel, pair[0], pair[1]), []).append(str(item.get("evidence", "")))
    return [out[d.key] for d in docs if d.key in out]


def _canonical(doc: GoldDoc) -> dict[tuple[str, str], str]:
    """(type, normalised surface form) -> the concept's id, "type:normalised canonical form"."""
    out: dict[tuple[str, str], str] = {}
    for ctype, entries in doc.concepts.items():
        for entry in entries:
            names = [f.strip() for f in entry.split("|") if f.strip()]
            for f in names:
                out.setdefault((ctype, norm(f)), f"{ctype}:{norm(names[0])}")
    return out


def oracle_occurrences(rdocs: Sequence[RelationDoc]) -> None:
    """Each doc's annotated concepts as occurrences (ids "type:normalised canonical form");
    a modality's family is that of the vocabulary concept with one of its names."""
    nlp = blank_english()
    nlp.add_pipe("kg_sentences")
    known = load_vocabulary().concepts
    modality = {norm(name): iri for iri, c in sorted(known.items()) if c.type == "modality"
                for name in (c.label, *c.alt_labels)}
    for r in rdocs:
        doc, paper, canonical = nlp(r.doc.text), r.doc.paper, _canonical(r.doc)
        found: dict[str, Occurrence] = {}
        for start, end, ctype in r.doc.spans:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            text = norm(r.doc.text[start:end])
            concept = canonical.get((ctype, text), f"{ctype}:{text}")
            occ = found.setdefault(concept, Occurrence(concept, ctype, []))
            occ.mentions.append(mention_of(span, paper, rule="gold"))
            if ctype == "modality" and not occ.families and text in modality:
                occ.families = occurrence(ConceptMentions(known[modality[text]]), known).families
        r.occurrences = sorted(found.values(), key=lambda o: o.concept)
        r.gold_of = {c: {c} for c in found}
        r.candidates = candidates(r.occurrences)


def extracted_occurrences(rdocs: Sequence[RelationDoc], extractor: Extractor) -> None:
    """Each doc's concepts as the extractor finds them, matched to the annotated ones."""
    papers = [r.doc.paper for r in rdocs]
    for r, (_, found) in zip(rdocs, extractor.extract(papers)):
        r.occurrences = [occurrence(cm, extractor.vocabulary.concepts) for cm in found]
        canonical = _canonical(r.doc)
        r.gold_of = {}
        for cm in found:
            forms = {norm(m.text) for m in cm.mentions} | {norm(cm.concept.label)}
            r.gold_of[cm.concept.iri] = {canonical[(cm.concept.type, f)] for f in forms
                                         if (cm.concept.type, f) in canonical}
        r.candidates = candidates(r.occurrences)


def _gold_pairs(r: RelationDoc) -> dict[tuple[str, str, str], list[str]]:
    types = {"evaluatedOn": ("method", "dataset"), "appliedTo": ("method", "modality"),
             "recordedFrom": ("modality", "brain_region")}
    canonical = _canonical(r.doc)

    def concept(ctype: str, name: str) -> str:
        return canonical.get((ctype, norm(name)), f"{ctype}:{norm(name)}")
    return {(rel, concept(types[rel][0], s), concept(types[rel][1], o)): ev for (rel, s, o), ev in r.pairs.items()}


def _same_sentence(a: str, b: str) -> bool:
    a, b = " ".join(a.split()), " ".join(b.split())
    return bool(a and b) and (a in b or b in a)


def label(r: RelationDoc) -> list[float | None]:
    """1, 0, or None (teaches nothing) for each of the doc's candidates."""
    gold = _gold_pairs(r)
    out: list[float | None] = []
    for c in r.candidates:
        keys = [(c.relation, s, o) for s in r.gold_of.get(c.subject, ()) for o in r.gold_of.get(c.object, ())]
        evidence = [e for k in keys for e in gold.get(k, ())]
        if not any(k in gold for k in keys):
            out.append(0.0)
        elif any(_same_sentence(e, c.sentence[2]) for e in evidence):
            out.append(1.0)
        else:
            out.append(None)
    return out


def fit(rdocs: Sequence[RelationDoc], l2: float = L2, threshold: float = THRESHOLD) -> RelationModel:
    """One L2-regularised logistic regression per relation, by L-BFGS from zero weights:
    the same examples give the same weights (rounded to 5 decimals)."""
    weights: dict[str, dict[str, float]] = {}
    for rel in TYPED_RELATIONS:
        rows, y = [], []
        for r in rdocs:
            for c, lab in zip(r.candidates, label(r)):
                if c.relation == rel and lab is not None:
                    rows.append(c.features)
                    y.append(lab)
        weights[rel] = _logistic(rows, np.array(y), l2) if rows and 0 < sum(y) < len(y) else {"bias": 0.0}
    return RelationModel(weights, {rel: threshold for rel in TYPED_RELATIONS})


def _logistic(rows: list[list[str]], y: np.ndarray, l2: float) -> dict[str, float]:
    names = sorted({f for row in rows for f in row})
    index = {f: i for i, f in enumerate(names)}
    indptr, indices = [0], []
    for row in rows:
        indices.extend(sorted({index[f] for f in row}))
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(names)))
    penalised = np.array([0.0 if f == "bias" else 1.0 for f in names])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * np.sum(penalised * w * w))
        return value, x.T @ (p - y) + l2 * penalised * w
    result = optimize.minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B",
                               options={"maxiter": 1000})
    return {f: round(float(w), 5) for f, w in zip(names, result.x) if abs(w) >= 1e-5}


def predicted_pairs(r: RelationDoc, model: RelationModel, vetoes: dict[str, frozenset[str]] = VETOES
                    ) -> dict[tuple[str, str, str], float]:
    """(relation, subject, object) -> the highest probability of a kept candidate."""
    out: dict[tuple[str, str, str], float] = {}
    for c in model.judge(r.candidates, vetoes):
        key = (c.relation, c.subject, c.object)
        out[key] = max(out.get(key, 0.0), c.probability)
    return out


def _hits(r: RelationDoc, gold: dict, rel: str, s: str, o: str) -> set[tuple[str, str, str]]:
    """The annotated pairs a predicted (rel, s, o) matches: its concepts' annotated forms."""
    return {(rel, gs, go) for gs in r.gold_of.get(s, ()) for go in r.gold_of.get(o, ())} & gold.keys()


def score(rdocs: Sequence[RelationDoc], predictions: Sequence[dict[tuple[str, str, str], float]],
          annotated_only: bool = False) -> dict[str, Counts]:
    """Paper-level counts per relation. `annotated_only` leaves out predicted pairs with a
    concept that matches no annotated one: what is left are the relation's own errors."""
    counts = {rel: Counts() for rel in TYPED_RELATIONS}
    for r, pred in zip(rdocs, predictions):
        gold = _gold_pairs(r)
        matched: set[tuple[str, str, str]] = set()
        for (rel, s, o) in pred:
            if annotated_only and not (r.gold_of.get(s) and r.gold_of.get(o)):
                continue
            hits = _hits(r, gold, rel, s, o)
            counts[rel].predicted += 1
            counts[rel].right += bool(hits)
            matched |= hits
        for key in gold:
            counts[key[0]].gold += 1
            counts[key[0]].found += key in matched
    return counts


def judged_pairs(rdocs: Sequence[RelationDoc], predictions: Sequence[dict[tuple[str, str, str], float]]
                 ) -> Iterator[tuple[str, float, bool]]:
    """(relation, probability, right) for every predicted pair of every paper."""
    for r, pred in zip(rdocs, predictions):
        gold = _gold_pairs(r)
        for (rel, s, o), p in sorted(pred.items()):
            hits = _hits(r, gold, rel, s, o)
            yield rel, p, bool(hits)


def calibrate(judged: Iterable[tuple[str, float, bool]], min_bin: int = MIN_BIN) -> dict[str, list[tuple[float, float]]]:
    """Per relation, steps (lowest probability, precision) from held-out judged pairs: the
    pairs sorted by probability, cut into bins of `min_bin` or more, each bin's precision,
    then adjacent bins pooled until precision never falls as probability rises (isotonic
    regression, pool-adjacent-violators). A relation with fewer than `min_bin` pairs gets
    none (its probabilities stand)."""
    by_rel: dict[str, list[tuple[float, bool]]] = {}
    for rel, p, ok in judged:
        by_rel.setdefault(rel, []).append((p, ok))
    out = {}
    for rel, pairs in sorted(by_rel.items()):
        if len(pairs) < min_bin:
            continue
        pairs.sort()
        bins: list[list[float]] = []  # [lowest probability, right, count]
        for i in range(0, len(pairs), min_bin):
            chunk = pairs[i:i + min_bin]
            if len(chunk) < min_bin and bins:
                bins[-1][1] += sum(ok for _, ok in chunk)
                bins[-1][2] += len(chunk)
            else:
                bins.append([chunk[0][0], sum(ok for _, ok in chunk), len(chunk)])
        pooled: list[list[float]] = []
        for b in bins:
            pooled.append(list(b))
            while len(pooled) > 1 and pooled[-2][1] / pooled[-2][2] >= pooled[-1][1] / pooled[-1][2]:
                last = pooled.pop()
                pooled[-1][1] += last[1]
                pooled[-1][2] += last[2]
        out[rel] = [(round(low, 4), round(right / count, 3)) for low, right, count in pooled]
    return out


def cross_validate(rdocs: Sequence[RelationDoc], k: int = 5, seed: int = 0, l2: float = L2,
                   threshold: float = THRESHOLD, train_on: Sequence[RelationDoc] | None = None,
                   vetoes: dict[str, frozenset[str]] = VETOES) -> list[dict[tuple[str, str, str], float]]:
    """Held-out predicted pairs of every doc. `train_on`, aligned with `rdocs`, gives the
    examples each fold trains on (e.g. annotated concepts while predicting on extracted ones)."""
    train_on = rdocs if train_on is None else train_on
    folds = assign_folds([r.doc for r in rdocs], k, seed)
    out: list[dict] = [{} for _ in rdocs]
    for fold in range(k):
        model = fit([t for t, f in zip(train_on, folds) if f != fold], l2, threshold)
        for i, (r, f) in enumerate(zip(rdocs, folds)):
            if f == fold:
                out[i] = predicted_pairs(r, model, vetoes)
    return out


def format_counts(title: str, counts: dict[str, Counts]) -> str:
    lines = [title, f"  {'relation':<14}{'P':>6}{'R':>6}{'F1':>6}{'pred':>7}{'gold':>7}"]
    for rel, c in counts.items():
        lines.append(f"  {rel:<14}{c.precision:>6.3f}{c.recall:>6.3f}{c.f1:>6.3f}{c.predicted:>7}{c.gold:>7}")
    return "\n".join(lines)


@dataclass
class RelationResult:
    model: RelationModel
    docs: list[RelationDoc]
    predictions: list[dict[tuple[str, str, str], float]]  # held-out, when cross-validated

    def scores(self) -> dict[str, Counts]:
        return score(self.docs, self.predictions)


def train_relations(gold: Iterable[str | Path], relations: Iterable[str | Path], out: str | Path,
                    texts: Sequence = (), *, folds: int = 5, seed: int = 0) -> RelationResult:
    """Train the relation classifier on the annotated concepts and relations and write it to
    `out` (JSON, the same inputs give the same bytes). With `folds` >= 2, cross-validate
    first: the result holds every paper's held-out predicted pairs, and the model the
    calibration of its confidences measured on them."""
    from .gold import read_gold

    docs = read_gold(gold, texts)
    rdocs = read_relations(relations, docs)
    if not rdocs:
        raise InputError(Path(next(iter(relations), "relations")), "no annotated relations for the gold papers")
    oracle_occurrences(rdocs)
    predictions = cross_validate(rdocs, folds, seed) if folds >= 2 else []
    model = fit(rdocs)
    if predictions:
        model.calibration = calibrate(judged_pairs(rdocs, predictions))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(model.dumps(), encoding="utf-8")
    return RelationResult(model, rdocs, predictions)
