"""Training the recognizer: gold projection, training, cross-validation, confidences.

Trains on the eight hand-made papers of tests/data/gold (seconds per model); the shipped
model's own quality is guarded in test_quality.py.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import InputError
from kg.extraction.confidence import Confidence, calibrate, producer
from kg.extraction.runner import ExtractorSpec, extractor_for
from kg.training import train
from kg.training.crossval import assign_folds, cross_validate, predict
from kg.training.gold import project, read_gold
from kg.training.score import score
from kg.training.train import to_doc
from kg.extraction.tokens import blank_english
from conftest import DATA

GOLD = DATA / "gold"


def test_forms_project_onto_every_whole_word_occurrence_longest_first():
    text = "A language model and a large language model; Language models differ from models."
    spans = project(text, {"method": ["language model|language models", "large language model"]})
    assert [text[a:b] for a, b, _ in spans] == ["language model", "large language model", "Language models"]


def test_span_corpus_short_forms_and_title_split():
    doc = read_gold([GOLD / "spans.jsonl"])[0]
    assert doc.title.endswith("globus pallidus.") and doc.abstract.startswith("The STh")
    assert [doc.text[a:b] for a, b, _ in doc.spans] == [
        "subthalamic nucleus", "STh", "globus pallidus", "STh", "substantia nigra"]
    assert doc.types == {"brain_region"}


def test_types_a_source_did_not_annotate_are_missing_not_absent():
    docs = read_gold([GOLD / "tiny.jsonl", GOLD / "spans.jsonl"])
    wt = [d for d in docs if d.source == "spans"][0]
    assert wt.missing == []  # no method/modality form of tiny.jsonl occurs in it
    docs = read_gold([GOLD / "spans.jsonl", GOLD / "spans_modalities.jsonl", GOLD / "tiny.jsonl"])
    wt = [d for d in docs if d.source == "spans"][0]
    assert wt.types == {"brain_region", "method", "modality"}
    assert ("Anterograde tracing", "modality") in {(wt.text[a:b], t) for a, b, t in wt.spans}
    ref = to_doc(blank_english(), wt)
    assert [(e.text, e.label_) for e in ref.ents][0] == ("Anterograde tracing", "modality")


def test_scores_are_reported_per_annotation_file(tmp_path):
    """WhiteText's regions and another file's modalities of the same abstract are scored
    apart, so annotations added beside a shared file never change the shared file's score."""
    more = tmp_path / "more.jsonl"
    more.write_text('{"id": "wt2", "method": [], "modality": ["immunohistochemistry"]}\n')
    spans = tmp_path / "spans.jsonl"
    spans.write_text((GOLD / "spans.jsonl").read_text() + json.dumps(
        {"id": "wt2", "text": "Immunohistochemistry of the amygdala. Cells were counted.",
         "entities": [{"start": 28, "end": 36, "label": "BrainRegion", "text": "amygdala"}]}) + "\n")
    docs = read_gold([spans, GOLD / "spans_modalities.jsonl", more])
    assert [(d.annotated_by("brain_region"), d.annotated_by("modality")) for d in docs] == [
        ("spans", "spans_modalities"), ("spans", "more")]
    preds = list(predict(docs, None))
    assert score(preds, source="spans")["modality"].gold == 0
    assert score(preds, source="spans")["brain_region"].gold == 4
    assert score(preds, source="spans_modalities")["modality"].gold == 1
    assert score(preds, source="more")["modality"].gold == 1
    assert score(preds)["modality"].gold == 2

def test_annotations_join_papers_of_texts_by_id(tmp_path):
    """Annotations of a corpus kept elsewhere name its papers by id, copying none of its text;
    their relations join by the same id."""
    from kg.model import Paper
    from kg.training.relations import read_relations
    papers = [Paper(title="A parser.", abstract="We train a maximum entropy model on the Penn Treebank .", id="P05-1"),
              Paper(title="Other.", abstract="Nothing here.", id="P05-2")]
    gold = tmp_path / "ours.jsonl"
    gold.write_text(json.dumps({"id": "P05-1", "method": ["maximum entropy model"], "dataset": ["Penn Treebank"],
                                "evaluated_on": [{"pair": ["maximum entropy model", "Penn Treebank"],
                                                  "evidence": "We train a maximum entropy model on the Penn Treebank ."}]})
                    + "\n" + json.dumps({"title": "Other.", "method": []}) + "\n")
    docs = read_gold([gold], texts=papers)
    assert [(d.key, d.source) for d in docs] == [("P05-1", "ours"), ("other", "ours")]
    assert [(docs[0].text[a:b], t) for a, b, t in docs[0].spans] == [
        ("maximum entropy model", "method"), ("Penn Treebank", "dataset")]
    rdocs = read_relations([gold], docs)
    assert [(r.doc.key, list(r.pairs)) for r in rdocs] == [
        ("P05-1", [("evaluatedOn", "maximum entropy model", "Penn Treebank")]), ("other", [])]
    gold.write_text(json.dumps({"id": "P05-9", "method": ["BERT"]}) + "\n")
    with pytest.raises(InputError, match=r'ours\.jsonl:1: a line needs "title" \(or the "id"'):
        read_gold([gold], texts=papers)


def test_missing_text_is_an_error_naming_file_and_line(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"title": "Known", "abstract": "x", "method": []}\n{"title": "Nowhere", "method": ["BERT"]}\n')
    with pytest.raises(InputError, match=r"g\.jsonl:2: no text for 'Nowhere'"):
        read_gold([gold])


def test_training_is_seeded_and_reproducible(tmp_path):
    a = train([GOLD / "tiny.jsonl"], tmp_path / "a", folds=0, epochs=2).model
    b = train([GOLD / "tiny.jsonl"], tmp_path / "b", folds=0, epochs=2).model
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert "performance" not in json.loads((a / "meta.json").read_text())


def test_trained_model_loads_and_runs_in_a_build(tmp_path):
    model = train([GOLD / "tiny.jsonl"], tmp_path / "model", folds=0, epochs=3).model
    papers = tmp_path / "p.jsonl"
    papers.write_text(json.dumps({"title": "GraphSAGE on PubMed", "abstract": "We train GraphSAGE on PubMed."}) + "\n")
    result = kg.build([papers], tmp_path / "out", model=model)
    rules = {m["rule"] for line in open(result.outputs["jsonl"]) for c in json.loads(line)["concepts"]
             for m in c["mentions"]}
    assert rules  # the build ran with the model in the pipeline
    spec = ExtractorSpec.from_files([], model=model)
    assert spec.fingerprint != ExtractorSpec.from_files([], model=False).fingerprint
    assert "ner" in extractor_for(spec).nlp.pipe_names


def test_cross_validation_scores_each_paper_once_with_a_model_that_did_not_see_it():
    docs = read_gold([GOLD / "tiny.jsonl"])
    folds = assign_folds(docs, 2, seed=0)
    assert sorted(set(folds)) == [0, 1] and assign_folds(list(reversed(docs)), 2) == list(reversed(folds))
    preds = cross_validate(docs, 2, epochs=1)
    assert [p.doc.key for p in preds] == [d.key for d in docs]
    assert [p.fold for p in preds] == folds
    counts = score(preds)
    assert counts["method"].gold == sum(len(d.concepts["method"]) for d in docs)


def test_folds_are_dealt_per_source_so_added_annotations_leave_them_in_place():
    docs = read_gold([GOLD / "tiny.jsonl"])
    more = read_gold([GOLD / "spans.jsonl"])
    folds = assign_folds(docs, 3)
    assert assign_folds(more + docs, 3)[len(more):] == folds == assign_folds(docs + more, 3)[:len(docs)]
    assert sorted(set(folds)) == [0, 1, 2]


def test_kg_train_cli_cross_validates_and_writes_confidences(tmp_path):
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train", str(GOLD / "tiny.jsonl"), "-o", str(out), "--folds", "2",
                                       "--epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "tiny: 2-fold cross-validated, rules + model, as built" in result.output
    assert "rules alone" in result.output
    tables = json.loads((out / "confidence.json").read_text())
    assert set(tables) == {"with_model", "rules_only", "min_confidence", "model_alone"}
    assert all(0 <= v <= 1 for t in ("with_model", "rules_only", "model_alone") for kinds in tables[t].values()
               for v in kinds.values())


def test_confidence_is_the_precision_of_a_kind_of_mention_in_its_context():
    judged = [("method", "vocab:methods.ttl+model", "other", True)] * 9
    judged += [("method", "vocab:methods.ttl+model", "other", False)]
    judged += [("method", "model", "other", True)] * 3 + [("method", "model", "other", False)] * 7
    judged += [("method", "model", "anatomy", True)] * 9 + [("method", "model", "anatomy", False)]
    judged += [("method", "abbreviation", "other", True)] + [("dataset", "model", "other", False)] * 2
    table = calibrate(judged)
    assert table["method"] == {"*": 0.71, "model": 0.6, "model@anatomy": 0.9, "model@other": 0.3,
                               "vocab+model": 0.9, "vocab+model@other": 0.9}  # 22 of 31 right
    conf = Confidence(table)
    assert conf("method", "vocab:methods.ttl+model", "other") == 0.9
    assert conf("method", "model", "anatomy") == 0.9 and conf("method", "model", "other") == 0.3
    assert conf("method", "abbreviation") == 0.71  # too rare to have its own figure: the type's
    assert conf("dataset", "model", "other") == 0.25  # too rare for the type: the kind over all types
    assert producer("new-name:title") == "new-name"


def test_a_concept_only_the_recognizer_found_is_kept_where_such_concepts_were_mostly_right():
    """Counted per concept and paper, as the scores count: a modality the recognizer alone
    found in an anatomy abstract is dropped when such concepts were right 40% of the time,
    even where its repeated mentions were right more often than not."""
    from kg.extraction.confidence import keep
    from kg.model import Concept, ConceptMentions, Mention

    def concept(label, ctype, rule, n=1):
        c = Concept(iri=f"https://example.org/{label}", type=ctype, label=label)
        return ConceptMentions(c, [Mention(text=label, field="abstract", start=0, end=1, sentence="",
                                           rule=rule, confidence=0.6) for _ in range(n)])

    found = [concept("HRP", "modality", "model", 3), concept("retina", "brain_region", "model"),
             concept("tract tracing", "modality", "vocab:modalities.ttl")]
    alone = {"modality": {"model@anatomy": 0.4}, "brain_region": {"model@anatomy": 0.59}}
    conf = Confidence({}, 0.5, alone)
    kept = keep(found, conf.minimum, lambda t: conf.alone(t, "anatomy"))
    assert [cm.concept.label for cm in kept] == ["retina", "tract tracing"]
    assert [cm.concept.label for cm in keep(found, 0.5)] == ["HRP", "retina", "tract tracing"]  # mentions at 0.6
    judged = [("modality", "model", "anatomy", ok) for ok in [True] * 4 + [False] * 6]
    assert calibrate(judged)["modality"]["model@anatomy"] == 0.4
    # a type's own record decides, in any context, before the figure over all types: a
    # dataset seen alone too rarely for a figure per context is judged by its own overall one
    alone = {"*": {"model@anatomy": 0.5, "model": 0.42}, "dataset": {"*": 0.0}, "brain_region": {"model@anatomy": 0.59}}
    conf = Confidence({}, 0.5, alone)
    assert [conf.alone(t, "anatomy") for t in ("dataset", "brain_region", "method")] == [0.0, 0.59, 0.5]
    found = [concept("FooBank", "dataset", "model"), concept("retina", "brain_region", "model")]
    assert [cm.concept.label for cm in keep(found, 0.5, lambda t: conf.alone(t, "anatomy"))] == ["retina"]

def test_model_and_no_model_options_exclude_each_other(tmp_path):
    result = CliRunner().invoke(main, ["build", str(GOLD), "-o", str(tmp_path), "--model", str(tmp_path), "--no-model"])
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_shipped_recognizer_loads_offline_and_finds_what_no_rule_knows():
    """A made-up anatomy abstract (no paper the model trained on): the sagulum is in no
    vocabulary, and the recognizer finds it as a brain region (in anatomy papers such
    regions were right more often than not); it agrees with the vocabulary's regions and
    tracing ("retrograde transport", a form of tract tracing)."""
    text = ("Injections into the nucleus of the lateral lemniscus and the ventral cochlear nucleus of cats "
            "labelled terminals in the paralemniscal zone and the sagulum; retrograde transport of Fluoro-Gold "
            "confirmed the projections.")
    found = kg.extract(text)
    by_text = {m["text"]: m for m in found}
    assert by_text["sagulum"]["type"] == "brain_region" and by_text["sagulum"]["rule"] == "model"
    assert by_text["ventral cochlear nucleus"]["rule"] == "vocab:brain_regions.ttl+model"
    assert by_text["retrograde transport"]["rule"] == "vocab:modalities.ttl+model"
    assert all(0 < m["confidence"] <= 1 for m in found)
    assert by_text["ventral cochlear nucleus"]["confidence"] > by_text["sagulum"]["confidence"]
    assert "sagulum" not in {m["text"] for m in kg.extract(text, model=False)}


def test_a_rule_match_widens_to_the_recognizers_entity_around_it():
    """The annotators' mention is the entity: "hierarchical variational autoencoders" for a
    vocabulary match of "variational autoencoders"; a brain region takes words after it
    too. Not over a function word, another match or a negating "non-"."""
    from spacy.tokens import Span

    from kg.extraction.recognizer import _widened
    doc = blank_english()("We train hierarchical variational autoencoders and non-transformer models and "
                          "These autoencoders in the zone of the medulla")
    at = {t.text: t.i for t in doc}
    vae = Span(doc, at["variational"], at["autoencoders"] + 1, label="method")
    free = [False] * len(doc)
    assert _widened(vae, Span(doc, at["hierarchical"], vae.end + 1, label="method"), free) == (at["hierarchical"], vae.end)
    taken = list(free)
    taken[at["hierarchical"]] = True
    assert _widened(vae, Span(doc, at["hierarchical"], vae.end, label="method"), taken) == (vae.start, vae.end)
    transformer = Span(doc, at["transformer"], at["transformer"] + 1, label="method")
    assert _widened(transformer, Span(doc, at["non"], at["transformer"] + 2, label="method"), free) == (
        transformer.start, transformer.end)
    these = [t.i for t in doc if t.text == "autoencoders"][-1]
    ae = Span(doc, these, these + 1, label="method")
    assert _widened(ae, Span(doc, these - 1, these + 1, label="method"), free) == (these, these + 1)
    medulla = Span(doc, len(doc) - 1, len(doc), label="brain_region")
    zone = Span(doc, medulla.start - 3, len(doc), label="brain_region")
    assert _widened(medulla, zone, free) == (zone.start, zone.end)
