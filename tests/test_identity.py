"""Concept identity (kg/extraction/identity.py): variants are one concept, versions are not.

Hand-made names ("Zorblax", "Quxbench", "frobnicated widget network") through the real
extractor, so no vocabulary entry decides the outcome by accident.
"""
from __future__ import annotations

import pytest

import kg
from kg.extraction import Extractor
from kg.extraction.identity import identity_key, split_versions, version_key
from kg.linking.iris import concept_iri
from kg.model import Paper

VOCAB = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kg:   <https://w3id.org/kg/ontology#> .
@prefix m:    <https://w3id.org/kg/concept/method/> .
@prefix d:    <https://w3id.org/kg/concept/dataset/> .

m:zorblax a kg:Method ; skos:prefLabel "Zorblax" ; skos:altLabel "Zorblax-7B", "Zorblax-70B" .
m:widget-net a kg:Method ; skos:prefLabel "widget network" .
d:quxbench a kg:Dataset ; skos:prefLabel "Quxbench" ;
    skos:altLabel "Quxbench 2014", "Quxbench'14", "Quxbench 2015", "Quxbench-NeXT" .
"""


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    path = tmp_path_factory.mktemp("vocab") / "made_up.ttl"
    path.write_text(VOCAB, encoding="utf-8")
    return Extractor([path], builtin=False)


def concepts(extractor, text: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """{mention text: (concept IRI, broader)} for one abstract."""
    paper = Paper(title="", abstract=text)
    return {m.text: (cm.concept.iri, cm.concept.broader)
            for cm in extractor.concepts_of(extractor.nlp(paper.text), paper) for m in cm.mentions}


def iri_of(text: str, form: str) -> str:
    return next(m["iri"] for m in kg.extract(text, model=False) if m["text"] == form)


def test_plural_acronym_is_the_acronym():
    assert concept_iri("method", "PLMs") == concept_iri("method", "PLM")
    assert identity_key("FWNs") == identity_key("FWN")
    one = iri_of("We train frobnicated widget networks (FWNs) on toys. FWNs win.", "FWNs")
    other = iri_of("A frobnicated widget network (FWN) is small.", "FWN")
    assert one == other


def test_pretrained_x_is_x():
    assert identity_key("Pre-trained Language Models") == identity_key("language model")
    assert iri_of("We probe pre-trained language models (PLMs). PLMs know facts.", "PLMs") == \
        iri_of("We probe language models.", "language models")


def test_size_suffix_is_the_same_model(made_up):
    out = concepts(made_up, "Zorblax-Large beats Zorblax-NeXT-8B, Zorblax and Zorblax-7B here.")
    assert out["Zorblax-Large"][0] == out["Zorblax"][0] == out["Zorblax-7B"][0]
    assert out["Zorblax-NeXT-8B"][0] == concept_iri("method", "Zorblax-NeXT")  # the size is no part of the version


def test_glued_version_is_another_concept_under_the_model(made_up):
    out = concepts(made_up, "Zorblax-NeXT and Zorblax-EEG beat Zorblax.")
    base = out["Zorblax"][0]
    assert len({out["Zorblax-NeXT"][0], out["Zorblax-EEG"][0], base}) == 3
    assert out["Zorblax-NeXT"][1] == out["Zorblax-EEG"][1] == (base,)


def test_lower_case_suffix_is_no_part_of_the_name(made_up):
    out = concepts(made_up, "A Zorblax-based agent.")
    assert out == {"Zorblax": (concept_iri("method", "Zorblax"), ())}


def test_vocabulary_labels_of_two_versions_make_two_concepts(made_up):
    out = concepts(made_up, "Quxbench 2014, Quxbench'14, Quxbench 2015, Quxbench-NeXT and Quxbench.")
    assert out["Quxbench 2014"][0] == out["Quxbench'14"][0]
    assert len({out["Quxbench 2014"][0], out["Quxbench 2015"][0], out["Quxbench-NeXT"][0], out["Quxbench"][0]}) == 4
    assert out["Quxbench 2015"][1] == (out["Quxbench"][0],)


def test_version_keys():
    assert version_key("VOC2012", "dataset")[1] == version_key("VOC 2012", "dataset")[1] == "12"
    assert version_key("SQuAD 2.0", "dataset") == version_key("SQuAD2", "dataset")
    assert version_key("Llama-2-7B", "method") == version_key("Llama-2-70B", "method")
    assert version_key("CIFAR-10", "dataset") != version_key("CIFAR-100", "dataset")
    assert split_versions("OC20", ["OC22", "Open Catalyst"], "dataset") == [["OC20", "Open Catalyst"], ["OC22"]]


def test_shipped_versions_stay_apart():
    text = "We train on OC20 and OC22, CIFAR-10 and CIFAR-100, compare GPT-3 with GPT-4, and use THINGS-EEG2 and the THINGS images."
    found = {m["text"]: m["iri"] for m in kg.extract(text, model=False)}
    for a, b in [("OC20", "OC22"), ("CIFAR-10", "CIFAR-100"), ("GPT-3", "GPT-4"), ("THINGS-EEG2", "THINGS")]:
        assert found[a] != found[b], (a, b)


def test_region_phrase_that_spells_a_vocabulary_region_is_that_region():
    text = "Neurons in each visual area of the macaque cortex were recorded, as in other visual areas."
    found = {m["text"]: m["iri"] for m in kg.extract(text, model=False)}
    assert found["visual area"] == found["visual areas"]


def test_short_form_binds_to_what_its_initials_spell():
    found = {m["text"]: m["iri"] for m in kg.extract("Trends in deep reinforcement learning (RL) help RL agents.", model=False)}
    assert found["RL"].endswith("/reinforcement-learning")
    found = {m["text"]: m["iri"] for m in kg.extract("Advances in self supervised learning (SSL) and SSL benchmarks.", model=False)}
    assert found["self supervised learning"] == found["SSL"]
