"""Scores of the relation classifier (kg/linking/statements.py), cross-validated.

    python bench/relations.py [--shared ../shared] [--folds 5]

Prints, for each annotated source (`relations_train.jsonl`: 383 machine-learning papers;
`whitetext_modalities.jsonl`: 120 neuroanatomy abstracts, recordedFrom only;
`annotations/whitetext_modalities_more.jsonl`: 562 more WhiteText abstracts annotated in this
repository, trained on like the others and reported apart), paper-level precision and recall
of each typed relation:
- annotated concepts: the candidates come from the annotated concepts (what the classifier
  alone does);
- end to end: the candidates come from what the build extracts with rules and vocabularies
  (`--no-model`: the shipped recognizer was trained on these papers, so its concepts would
  flatter the scores), the classifier trained on annotated concepts of the other folds;
- the rule the classifier replaces (two concepts in a sentence with a cue word), on the
  same extracted concepts.
Every score is on papers the classifier did not see (k folds, seeded). Then, for annotated
concepts, what a user filtering on `kg:confidence` gets: each fold's pairs take the
confidence calibrated on the other folds' held-out pairs, and for each cut-off the precision
and recall of the pairs at or above it, with their mean confidence (calibrated when the two
agree). Then the shipped classifier on papers it never saw: the 500 SciERC abstracts of
`annotations/scierc.jsonl` (annotated in this repository by our guidelines; texts in
`../shared/dated`), with annotated concepts and end to end with the shipped recognizer (never
trained on them either), at the shipped threshold and at confidence >= 0.8. Last it trains
the shipped classifier twice from the same inputs and says whether the bytes are identical.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.api import read_corpus  # noqa: E402
from kg.extraction.pipeline import Extractor  # noqa: E402
from kg.linking.statements import RelationModel  # noqa: E402
from kg.resources import model_dir  # noqa: E402
from kg.training import relations as R  # noqa: E402
from kg.training.crossval import assign_folds  # noqa: E402
from kg.training.gold import read_gold  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    gold, external = Path(args.shared) / "gold", Path(args.shared) / "external"
    more = ROOT / "annotations" / "whitetext_modalities_more.jsonl"
    gold_files = [gold / "train.jsonl", external / "whitetext_dev.jsonl", gold / "whitetext_modalities.jsonl", more]
    relation_files = [gold / "relations_train.jsonl", gold / "whitetext_modalities.jsonl", more]
    papers = [p for _, p in read_corpus([ROOT / "examples" / "corpus"]).papers]
    docs = read_gold(gold_files, papers)

    annotated = R.read_relations(relation_files, docs)
    R.oracle_occurrences(annotated)
    extracted = R.read_relations(relation_files, docs)
    started = time.perf_counter()
    R.extracted_occurrences(extracted, Extractor(model=None))
    print(f"papers: {len(annotated)}; extraction {time.perf_counter() - started:.0f} s\n")

    runs = {
        "annotated concepts": R.cross_validate(annotated, args.folds),
        "annotated concepts, no vetoes": R.cross_validate(annotated, args.folds, vetoes={}),
        "end to end (rules-only extraction)": R.cross_validate(extracted, args.folds, train_on=annotated),
        "cue-word rule, end to end": [cue_rule(r) for r in extracted],
    }
    for source in dict.fromkeys(r.source for r in annotated):
        for what, predictions in runs.items():
            rdocs = annotated if what.startswith("annotated") else extracted
            chosen = [i for i, r in enumerate(rdocs) if r.source == source]
            counts = R.score([rdocs[i] for i in chosen], [predictions[i] for i in chosen])
            print(R.format_counts(f"{source}: {what}, {args.folds}-fold cross-validated", counts) + "\n")
            if what.startswith("end to end"):
                counts = R.score([rdocs[i] for i in chosen], [predictions[i] for i in chosen], annotated_only=True)
                print(R.format_counts(f"{source}: {what}, only pairs of two annotated concepts", counts) + "\n")

    for source in dict.fromkeys(r.source for r in annotated):
        chosen = [i for i, r in enumerate(annotated) if r.source == source]
        print(by_confidence(annotated, runs["annotated concepts"], chosen, args.folds, source) + "\n")

    print(scierc_held_out(Path(args.shared)) + "\n")

    digests = []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "relations.json"
            R.train_relations(gold_files, relation_files, out, papers, folds=args.folds)
            digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    shipped = hashlib.sha256((ROOT / "kg" / "models" / "relations.json").read_bytes()).hexdigest()
    print(f"retrained twice: byte-identical {'yes' if digests[0] == digests[1] else 'NO'}; "
          f"same as the shipped kg/models/relations.json: {'yes' if digests[0] == shipped else 'NO'}")


def scierc_held_out(shared: Path) -> str:
    """The shipped classifier on the SciERC abstracts annotated here: never trained on."""
    papers = [p for _, p in read_corpus([shared / "dated" / "scierc_dated.jsonl"]).papers]
    docs = read_gold([ROOT / "annotations" / "scierc.jsonl"], papers)
    model = RelationModel.load()
    lines = []
    for what in ("annotated concepts", "end to end (shipped recognizer)"):
        rdocs = R.read_relations([ROOT / "annotations" / "scierc.jsonl"], docs)
        if what == "annotated concepts":
            R.oracle_occurrences(rdocs)
        else:
            R.extracted_occurrences(rdocs, Extractor(model=model_dir()))
        predictions = [R.predicted_pairs(r, model) for r in rdocs]
        for cut in (None, 0.8):
            kept = predictions if cut is None else [
                {key: p for key, p in pairs.items() if model.confidence(key[0], p) >= cut} for pairs in predictions]
            counts = R.score(rdocs, kept)
            counts.pop("recordedFrom")
            title = f"scierc (held out, {len(rdocs)} papers): the shipped classifier, {what}"
            lines.append(R.format_counts(title + ("" if cut is None else f", confidence >= {cut}"), counts))
    return "\n\n".join(lines)


def by_confidence(rdocs, predictions, chosen: list[int], k: int, source: str) -> str:
    """Precision and recall of the pairs whose cross-fitted confidence reaches each cut-off."""
    folds = assign_folds([r.doc for r in rdocs], k)
    confident: list[dict] = [{} for _ in rdocs]
    for fold in range(k):
        others = [i for i, f in enumerate(folds) if f != fold]
        model = RelationModel({}, {}, R.calibrate(R.judged_pairs([rdocs[i] for i in others],
                                                                 [predictions[i] for i in others])))
        for i, f in enumerate(folds):
            if f == fold:
                confident[i] = {key: model.confidence(key[0], p) for key, p in predictions[i].items()}
    lines = [f"{source}: by kg:confidence (calibrated on the other folds), annotated concepts",
             f"  {'relation':<14}{'cut-off':>8}{'P':>6}{'R':>6}{'pairs':>7}{'mean conf':>10}"]
    for rel in R.TYPED_RELATIONS:
        for cut in (0.5, 0.6, 0.7, 0.8, 0.9):
            kept = [{key: c for key, c in confident[i].items() if c >= cut} for i in chosen]
            counts = R.score([rdocs[i] for i in chosen], kept)[rel]
            values = [c for pairs in kept for key, c in pairs.items() if key[0] == rel]
            if counts.gold and values:
                lines.append(f"  {rel:<14}{cut:>8.1f}{counts.precision:>6.2f}{counts.recall:>6.2f}"
                             f"{counts.predicted:>7}{sum(values) / len(values):>10.2f}")
    return "\n".join(lines)


def cue_rule(r: R.RelationDoc) -> dict[tuple[str, str, str], float]:
    """The rule before the classifier: both concepts in one sentence that has a cue word."""
    return {(c.relation, c.subject, c.object): 1.0 for c in r.candidates
            if "outside" not in c.features and "cue" in c.features}


if __name__ == "__main__":
    main()
