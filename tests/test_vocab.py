"""The shipped vocabularies as the matcher reads them: every concept gated by context words
(a name that is also an ordinary word or another field's acronym: "BETA", "SPICE", "PDE",
"Hopper") stays out of a sentence without one and is found in a sentence with one. Checked
for all of them at once (about a thousand), with the rules alone."""
from __future__ import annotations

import re

import pytest

from kg.extraction import Extractor
from kg.extraction.rules import load_rules
from kg.extraction.vocab import load_vocabulary
from kg.model import Paper


@pytest.fixture(scope="module")
def shipped():
    return Extractor()  # no model: rules and vocabularies alone


def gated_concepts() -> list[tuple[str, str, str]]:
    """(IRI, label, a context word) for every shipped concept with a label that needs
    context (the first such label), leaving out labels ending in a word that makes a name by
    itself ("... Corpus", "... Benchmark": the new-name rules rightly take those without
    context) and labels holding one of their own context words."""
    vocab, rules = load_vocabulary(), load_rules()
    cues = rules.dataset_cues | rules.method_cues
    first: dict[str, tuple[str, str, str]] = {}
    for term in sorted(vocab.terms, key=lambda t: (t.iri, t.text)):
        words = sorted(w for w in term.context if w.isalpha())
        own = set(re.findall(r"[a-z0-9]+", term.text.lower()))
        if term.iri in first or not words or term.text.split()[-1].lower() in cues or own & term.context:
            continue  # ("OpenAI Whisper" holds a context word of the "Whisper" it contains)
        first[term.iri] = (term.iri, term.text, words[0])
    return sorted(first.values())


def found(extractor: Extractor, texts: list[str]) -> list[set[str]]:
    return [{cm.concept.iri for cm in concepts}
            for _, concepts in extractor.extract(Paper(title="", abstract=t) for t in texts)]


def test_gated_concepts_need_a_context_word(shipped):
    gated = gated_concepts()
    assert len(gated) > 900  # the shipped vocabularies gate about a thousand concepts
    without = found(shipped, [f"In this study, {label} was reported." for _, label, _ in gated])
    wrongly = [label for (iri, label, _), got in zip(gated, without) if iri in got]
    assert wrongly == []
    with_word = found(shipped, [f"In this study, {label} was reported, with {word}." for _, label, word in gated])
    missed = [(label, word) for (iri, label, word), got in zip(gated, with_word) if iri not in got]
    assert missed == []


def test_a_gated_label_repeated_is_not_its_own_context(shipped):
    """"programs" is a label of the code modality gated by words such as "source code"; the
    word "programs" said twice is no evidence of code (it was listed among its own context
    words, and every repetition confirmed itself)."""
    vocab = load_vocabulary()
    code = next(iri for iri, c in vocab.concepts.items() if c.type == "modality" and c.label == "code")
    meshes = next(t.iri for t in vocab.terms if t.text == "meshes")
    repeated, confirmed = found(shipped, [
        "Training programs for nurses vary. We compare two programs. Meshes and more meshes were sewn.",
        "The programs are written as source code and compiled. Surface meshes were reconstructed from point clouds.",
    ])
    assert code not in repeated and meshes not in repeated
    assert code in confirmed and meshes in confirmed


def test_a_label_inside_an_idiom_is_no_mention(shipped):
    """kg:notWithin: "attention" in "has received significant attention" is not the attention
    mechanism, "speech" in "part-of-speech" or "imagined speech" is no speech data; the same
    labels elsewhere in the same abstract still count."""
    vocab = load_vocabulary()
    attention = next(iri for iri, c in vocab.concepts.items() if c.label == "attention mechanism")
    speech = next(iri for iri, c in vocab.concepts.items() if c.type == "modality" and c.label == "speech")
    assert "significant attention" in vocab.not_within[attention]
    idiom, both, pos, imagined, heard = found(shipped, [
        "Transformer decoders have received significant attention, and queries paid little attention to it.",
        "Transformers have attracted much attention. We add attention over the tokens of each query.",
        "Part-of-speech tags are predicted by a transformer.",
        "EEG was recorded during imagined speech.",
        "EEG was recorded while subjects listened to speech.",
    ])
    assert attention not in idiom and attention in both
    assert speech not in pos and speech not in imagined and speech in heard


def test_the_neuroanatomy_kinds_the_guidelines_name_are_modalities(shipped):
    """GUIDELINES.md counts tract tracing, immunohistochemistry, in situ hybridization and
    autoradiography as data modalities of neuroscience abstracts; the rules alone find them
    (and their short forms), and a PET "tracer injection" is no tract tracing."""
    vocab = load_vocabulary()
    iri = {c.label: i for i, c in vocab.concepts.items() if c.type == "modality"}
    tracing, ihc, ish, autorad = (iri[label] for label in (
        "tract tracing", "immunohistochemistry", "in situ hybridization", "autoradiography"))
    neuro, immuno, pet = found(shipped, [
        "Retrograde tracer injections into the thalamus labeled neurons in layer 6, and anterograde "
        "tracing showed their axons; quantitative autoradiography mapped the receptors.",
        "Neurons were identified by immunohistochemistry (IHC), and in situ hybridization (ISH) with "
        "riboprobes showed the mRNA.",
        "After the tracer injection, amyloid PET images were acquired in 40 patients.",
    ])
    assert {tracing, autorad} <= neuro
    assert {ihc, ish} <= immuno
    assert tracing not in pet and iri["PET"] in pet


def test_neuroanatomy_techniques_are_one_concept_whatever_the_abstract_calls_them(shipped):
    """A tracer, a stain or an adjective names its technique: "anterograde transport of PHA-L",
    "substance P-immunoreactive", "ultrastructural", "Nissl-stained" are tract tracing,
    immunohistochemistry, electron microscopy and Nissl staining, not concepts of their own;
    HRP counts only in an abstract about pathways, and the Chinese Treebank's "CTB" never."""
    vocab = load_vocabulary()
    iri = {c.label: i for i, c in vocab.concepts.items() if c.type == "modality"}
    anatomy, marker, treebank = found(shipped, [
        "Anterograde transport of PHA-L and retrograde transport of Fluoro-Gold showed the projections. "
        "Substance P-immunoreactive terminals were studied in Nissl-stained sections and at the ultrastructural level; "
        "Golgi impregnation and enzyme histochemistry showed the dendrites.",
        "Horseradish peroxidase (HRP) activity was measured as a reporter in cultured cells.",
        "We parse the CTB with a projection of labeled English trees.",
    ])
    assert {iri[label] for label in ("tract tracing", "immunohistochemistry", "electron microscopy", "Nissl staining",
                                     "Golgi staining", "histochemistry")} <= anatomy
    assert len(anatomy) == 6
    assert iri["tract tracing"] not in marker
    assert iri["tract tracing"] not in treebank
