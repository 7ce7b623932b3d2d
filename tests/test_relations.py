"""Typed relations: what the shipped classifier reads from hand-made sentences (negation,
roles, lists, stimuli), how it is trained (`kg train-relations`) and where its confidence
goes (graph, RDF). Its cross-validated quality is printed by bench/relations.py."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace

import kg
from kg.cli import main
from kg.errors import InputError
from kg.linking.statements import Occurrence, RelationModel, candidates
from kg.model import Mention
from kg.training.gold import read_gold
from kg.training.relations import fit, oracle_occurrences, read_relations
from conftest import DATA

GOLD = DATA / "gold"
KGNS = Namespace("https://w3id.org/kg/ontology#")


def stated(text: str) -> set[tuple[str, str, str]]:
    return {(r["subject"], r["relation"], r["object"]) for r in kg.api.extract_relations(text)}


def test_a_negated_dataset_is_not_evaluated_on():
    found = stated("We propose FooNet, a convolutional neural network for image classification. "
                   "We evaluate FooNet on CIFAR-10 without any pretraining on ImageNet.")
    assert ("FooNet", "evaluatedOn", "CIFAR-10") in found
    assert ("FooNet", "evaluatedOn", "ImageNet") not in found


def test_a_library_or_optimizer_is_not_what_is_evaluated():
    found = stated("We propose FooNet, a convolutional neural network for image classification. "
                   "FooNet is implemented in PyTorch and trained with backpropagation on CIFAR-10.")
    assert ("FooNet", "evaluatedOn", "CIFAR-10") in found
    assert not {s for s, r, o in found if r == "evaluatedOn"} & {"PyTorch", "backpropagation"}


def test_lists_pair_each_method_with_its_own_dataset():
    found = stated("We fine-tune BERT on SQuAD and train a convolutional neural network on MNIST.")
    assert {("BERT", "evaluatedOn", "SQuAD"), ("convolutional neural network", "evaluatedOn", "MNIST")} <= found
    assert ("BERT", "evaluatedOn", "MNIST") not in found


def test_stimuli_shown_are_not_recorded_from_a_region():
    found = stated("Natural movies were shown to the mouse while we recorded calcium imaging from the retina.")
    assert ("calcium imaging", "recordedFrom", "retina") in found
    assert ("video", "recordedFrom", "retina") not in found


def test_only_a_recordable_modality_is_recorded_from_a_region():
    """The ontology's recordedFrom takes a modality of a family that can be recorded, imaged,
    traced or stained from tissue (`kg:subjectFamily`), or one no vocabulary knows: source
    code named beside cortical areas is no candidate at all, single units and tracers are."""
    s = "Modules modeled on the prefrontal cortex and motor cortex generate source code."
    occ = [Occurrence("code", "modality", [mention("source code", s)], families=("code",)),
           Occurrence("pfc", "brain_region", [mention("prefrontal cortex", s)]),
           Occurrence("m1", "brain_region", [mention("motor cortex", s)])]
    assert [c for c in candidates(occ) if c.relation == "recordedFrom"] == []
    for families in (("neural recordings",), ("tract tracing",), ()):  # () : a paper's own name for it
        occ[0] = Occurrence("data", "modality", [mention("source code", s)], families=families)
        assert {c.object for c in candidates(occ) if c.relation == "recordedFrom"} == {"pfc", "m1"}
    found = stated("CortexCoder generates source code with modules modeled on the prefrontal cortex.")
    assert not any(r == "recordedFrom" for _, r, _ in found)
    found = stated("We recorded single units in the prefrontal cortex of two monkeys.")
    assert ("single-unit recordings", "recordedFrom", "prefrontal cortex") in found


def test_the_papers_own_method_is_related_through_our_approach():
    found = stated("We propose FooNet, a convolutional neural network for image classification. "
                   "We evaluate our approach on CIFAR-10.")
    assert ("FooNet", "evaluatedOn", "CIFAR-10") in found  # named in another sentence
    assert ("convolutional neural network", "evaluatedOn", "CIFAR-10") not in found  # what it is, not it


def mention(text: str, sentence: str, field: str = "abstract", rule: str = "vocab:x") -> Mention:
    start = sentence.index(text)
    return Mention(text=text, field=field, start=start, end=start + len(text), sentence=sentence, rule=rule)


def test_candidates_name_the_words_that_decide():
    s = "We fine-tune BERT on SQuAD and train a CNN on MNIST without ImageNet."
    occ = [Occurrence("bert", "method", [mention("BERT", s)]), Occurrence("cnn", "method", [mention("CNN", s)])]
    occ += [Occurrence(d.lower(), "dataset", [mention(d, s)]) for d in ("SQuAD", "MNIST", "ImageNet")]
    found = {(c.subject, c.object): c.features for c in candidates(occ) if c.relation == "evaluatedOn"}
    assert "crossed" in found[("bert", "mnist")] and "crossed" not in found[("bert", "squad")]
    assert "negation_before_o" in found[("cnn", "imagenet")]
    assert "bw:on" in found[("bert", "squad")] and "dist:1" in found[("bert", "squad")]


def test_training_is_reproducible_and_learns_the_annotated_pairs():
    docs = read_gold([GOLD / "tiny.jsonl"])
    rdocs = read_relations([GOLD / "tiny_relations.jsonl"], docs)
    assert len(rdocs) == 8 and ("evaluatedOn", "GraphSAGE", "Cora") in rdocs[0].pairs
    oracle_occurrences(rdocs)
    first, second = fit(rdocs).dumps(), fit(rdocs).dumps()
    assert first == second
    model = fit(rdocs)
    kept = {(c.relation, c.subject, c.object) for r in rdocs for c in model.judge(r.candidates)}
    assert ("evaluatedOn", "method:graphsage", "dataset:cora") in kept


def test_train_relations_command_writes_a_model_build_can_use(tmp_path):
    out = tmp_path / "relations.json"
    result = CliRunner().invoke(main, ["train-relations", str(GOLD / "tiny.jsonl"), "-r", str(GOLD / "tiny_relations.jsonl"),
                                       "-o", str(out), "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "evaluatedOn" in result.output and "wrote" in result.output
    model = RelationModel.load(out)
    assert set(model.weights) == {"evaluatedOn", "appliedTo", "recordedFrom"}
    assert json.loads(out.read_text())["format"] == 1


def test_relations_for_an_unknown_paper_name_the_file_and_line(tmp_path):
    bad = tmp_path / "rel.jsonl"
    bad.write_text('{"title": "GraphSAGE on Cora", "evaluated_on": []}\n{"title": "No such paper"}\n')
    with pytest.raises(InputError, match=r"rel\.jsonl:2"):
        read_relations([bad], read_gold([GOLD / "tiny.jsonl"]))


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "relations.json"
    bad.write_text("{not json")
    with pytest.raises(kg.errors.KgError, match="not a relation model"):
        RelationModel.load(bad)


def test_relation_evidence_carries_the_classifiers_confidence_into_rdf(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text(json.dumps({"title": "FooNet", "abstract": "We propose FooNet, a convolutional neural network. "
                                  "FooNet achieves 95% accuracy on CIFAR-10."}) + "\n")
    kg.build([papers], tmp_path / "out")
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    rows = list(g.query("""PREFIX kg: <https://w3id.org/kg/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?c ?rule WHERE { ?st rdf:predicate kg:evaluatedOn ; kg:evidence ?e . ?e kg:confidence ?c ; kg:rule ?rule }"""))
    steps = {precision for _, precision in RelationModel.load().calibration["evaluatedOn"]}
    assert rows and all(float(c) in steps and str(rule) == "relation-classifier" for c, rule in rows)


def test_confidence_is_the_precision_measured_at_that_probability():
    from kg.training.relations import calibrate
    # 60 held-out pairs: right one time in five below 0.7, four in five above, one odd bin
    judged = [("evaluatedOn", 0.5 + i / 200, i % 5 == 0) for i in range(40)]
    judged += [("evaluatedOn", 0.75 + i / 200, i % 5 != 0) for i in range(40)]
    judged += [("appliedTo", 0.9, True)] * 10  # too few pairs: no calibration
    steps = calibrate(judged, min_bin=20)
    assert steps == {"evaluatedOn": [(0.5, 0.2), (0.75, 0.8)]}
    model = RelationModel({}, {}, steps)
    assert model.confidence("evaluatedOn", 0.6) == 0.2 and model.confidence("evaluatedOn", 0.99) == 0.8
    assert model.confidence("appliedTo", 0.93) == 0.93  # uncalibrated: the probability stands
    worse = [("appliedTo", 0.5 + i / 100, i < 20) for i in range(40)]  # right only at low probability
    assert calibrate(worse, min_bin=20) == {"appliedTo": [(0.5, 0.5)]}  # pooled: never falls as p rises


def test_the_shipped_calibration_never_falls_as_probability_rises():
    for rel, steps in RelationModel.load().calibration.items():
        assert len(steps) >= 2 and [p for p, _ in steps] == sorted(p for p, _ in steps)
        assert [c for _, c in steps] == sorted(c for _, c in steps), rel
