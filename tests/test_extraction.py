"""Extraction on small hand-made texts, with the tiny test vocabulary."""
from __future__ import annotations

import spacy

from kg.extraction.pairs import best_long_form
from kg.extraction.variants import label_variants
from kg.extraction.vocab import is_case_sensitive, read_skos
from kg.model import Paper


def found(extractor, title, abstract=""):
    """{(type, label): [(text, field, start, end, rule), ...]} for one paper."""
    paper = Paper(title=title, abstract=abstract)
    doc = extractor.nlp(paper.text)
    return {(cm.concept.type, cm.concept.label): [(m.text, m.field, m.start, m.end, m.rule) for m in cm.mentions]
            for cm in extractor.concepts_of(doc, paper)}


def test_vocabulary_terms_match_with_offsets_per_field(extractor):
    title, abstract = "EEG decoding", "We train an LSTM on MNIST."
    out = found(extractor, title, abstract)
    assert out[("modality", "EEG")] == [("EEG", "title", 0, 3, "vocab:tiny_vocab.ttl")]
    assert out[("method", "long short-term memory")] == [("LSTM", "abstract", 12, 16, "vocab:tiny_vocab.ttl")]
    assert abstract[12:16] == "LSTM"
    assert ("dataset", "MNIST") in out


def test_plural_and_hyphen_variants_match(extractor):
    out = found(extractor, "", "Mixtures-of-experts beat recurrent neural networks and a mixture-of-experts.")
    assert [m[0] for m in out[("method", "mixture of experts")]] == ["Mixtures-of-experts", "mixture-of-experts"]
    assert [m[0] for m in out[("method", "recurrent neural network")]] == ["recurrent neural networks"]


def test_acronyms_match_case_sensitively(extractor):
    assert found(extractor, "", "The rnn and the Lstm.") == {}
    assert is_case_sensitive("V1") and is_case_sensitive("ResNet") and not is_case_sensitive("Transformer")


def test_ambiguous_label_needs_context(extractor):
    assert found(extractor, "", "We release V1 of our software.") == {}
    out = found(extractor, "", "Neurons in V1 respond to edges.")
    assert out[("brain_region", "primary visual cortex")][0][0] == "V1"


def test_abbreviation_binds_short_form(extractor):
    out = found(extractor, "", "We use electroencephalography (EEG) data. The EEG signal is noisy.")
    assert [m[0] for m in out[("modality", "EEG")]] == ["electroencephalography", "EEG", "EEG"]


def test_unknown_long_form_with_short_form_becomes_new_concept(extractor):
    out = found(extractor, "", "We study Continual Learning via Neural Pruning (CLNP). CLNP is simple.")
    mentions = out[("method", "Continual Learning via Neural Pruning")]
    assert [m[0] for m in mentions] == ["Continual Learning via Neural Pruning", "CLNP", "CLNP"]
    assert {m[4] for m in mentions} == {"abbreviation:long-form", "abbreviation"}


def test_unknown_long_form_without_type_head_is_ignored(extractor):
    assert found(extractor, "", "We report the mean squared error (MSE) of the fit.") == {}


def test_title_name_is_a_proposed_method(extractor):
    paper = Paper(title="LILO: Learning Interpretable Libraries", abstract="LILO combines search with an LSTM.")
    result = extractor.concepts_of(extractor.nlp(paper.text), paper)
    lilo = next(cm for cm in result if cm.concept.label == "LILO")
    assert lilo.proposed and lilo.concept.type == "method" and len(lilo.mentions) == 2
    assert not next(cm for cm in result if cm.concept.label == "long short-term memory").proposed


def test_proposal_and_naming_cues(extractor):
    out = found(extractor, "", "In this work we propose CoreInfer, an inference method. A variant called FastInfer is faster.")
    assert out[("method", "CoreInfer")][0][4] == "new-name:proposal"
    assert out[("method", "FastInfer")][0][4] == "new-name:called"


def test_named_dataset_before_dataset_word(extractor):
    out = found(extractor, "", "Results on the UCF101 dataset are strong.")
    assert out[("dataset", "UCF101")][0][4] == "new-name:dataset"


def test_a_name_in_apposition_to_its_kind(extractor):
    out = found(extractor, "", "In this paper we introduce Sparsey, a model of cortical memory. "
                "We also release Kuzu Scenes, a benchmark for planning. Our method, VoxMol, generates molecules.")
    assert out[("method", "Sparsey")][0][4] == "new-name:appositive"
    assert out[("dataset", "Kuzu Scenes")][0][4] == "new-name:appositive"
    assert ("method", "VoxMol") in out
    # a capitalised word starting its sentence, a modifier compound, a name with a small word
    assert found(extractor, "", "However, a model is needed. Recently, a method was proposed. "
                 "We use Foo, a model-based planner. We call it Table as Thought, a framework.") == {}


def test_a_name_listed_beside_a_known_one_takes_its_type(extractor):
    out = found(extractor, "", "We compare FooNet, LSTM, and BarNet on MNIST, QuxSet and KMNIST.")
    assert {k for k in out} == {("method", "FooNet"), ("method", "long short-term memory"), ("method", "BarNet"),
                                ("dataset", "MNIST"), ("dataset", "QuxSet"), ("dataset", "KMNIST")}
    assert out[("method", "BarNet")][0][4] == "new-name:list"
    # a comma that ends a clause, a phrase with a modifier, a longer name, a glued suffix
    assert set(found(extractor, "", "On MNIST, FooNet achieves 99%. We use online RL and LSTM. "
                     "An LSTM and Foo Bar. LSTM or ZINC250K.")) == {("dataset", "MNIST"),
                                                                  ("method", "long short-term memory")}


def test_a_name_the_work_is_evaluated_on_is_a_dataset(extractor):
    out = found(extractor, "", "Experiments on FooQA, BarQA and MNIST show gains. The LSTM achieves 91% accuracy on "
                               "the QuxBench.")
    assert {k for k in out if k[0] == "dataset"} == {("dataset", "FooQA"), ("dataset", "BarQA"), ("dataset", "MNIST"),
                                                     ("dataset", "QuxBench")}
    assert out[("dataset", "FooQA")][0][4] == "new-name:evaluated"
    # not after "based on", not without an evaluation word, not a longer name
    assert found(extractor, "", "A model trained based on FooNet. We focus on BarNet. Results on Foo Bar.") == {}


def test_title_prefix_that_is_not_a_name_is_ignored(extractor):
    assert found(extractor, "Survey: methods of the field", "") == {}
    assert found(extractor, "Visual Search Asymmetry: deep nets", "") == {}


def test_schwartz_hearst_long_form():
    assert best_long_form("HMM", "we fit a hidden Markov model") == "hidden Markov model"
    assert best_long_form("XYZ", "something else") is None


def test_label_variants():
    assert {"mixture-of-experts", "mixtures of experts", "mixtures-of-experts"} <= label_variants("mixture of experts", False)
    assert "LLMs" in label_variants("LLM", True)
    assert "theories" in label_variants("theory", False)


def test_pipeline_is_built_on_blank_english(extractor):
    assert extractor.nlp.lang == "en"
    assert extractor.nlp.pipe_names == ["kg_sentences", "kg_vocab_matcher",
                                        "kg_abbreviations", "kg_new_names", "kg_region_phrases",
                                        "kg_availability_filter"]
    assert isinstance(extractor.nlp, spacy.language.Language)


def test_vocabulary_file_is_read_with_hierarchy(tiny_vocab):
    vocab = read_skos(tiny_vocab)
    lstm = vocab.concepts["https://w3id.org/kg/concept/method/test-lstm"]
    assert lstm.broader == ("https://w3id.org/kg/concept/method/test-recurrent-net",)
    assert lstm.label == "long short-term memory" and lstm.alt_labels == ("LSTM",)


def test_region_phrases_in_anatomy_abstracts(extractor):
    out = found(extractor, "", "Neurons of the dorsal accessory olive project to the nucleus tractus solitarii "
                               "and area 3b; the cochlear and vestibular nuclei too.")
    rules = {label: mentions[0][4] for (ctype, label), mentions in out.items() if ctype == "brain_region"}
    assert rules["dorsal accessory olive"] == "region-phrase:modifier-head"
    assert rules["nucleus tractus solitarii"] == "region-phrase:latin"
    assert rules["area 3b"] == "region-phrase:numbered"
    assert rules["cochlear nucleus"] == "region-phrase:coordinated"


def test_region_mentions_take_in_where_in_the_region(extractor):
    """"the caudal part of the hippocampus" is a mention of the hippocampus that says where;
    the concept stays the region's, and a position never reaches into another span."""
    out = found(extractor, "", "Injections in rats labelled the caudal part of the hippocampus, the left V1 and "
                               "subnuclei of the hippocampus; the part of the hippocampus near visual V1 too.")
    hippocampus = [m[0] for m in out[("brain_region", "hippocampus")]]
    assert hippocampus == ["caudal part of the hippocampus", "subnuclei of the hippocampus", "hippocampus"]
    assert [m[0] for m in out[("brain_region", "primary visual cortex")]] == ["left V1", "V1"]
    assert {m[4] for m in out[("brain_region", "hippocampus")]} == {"vocab:tiny_vocab.ttl"}


def test_region_phrases_need_an_anatomy_abstract(extractor):
    assert found(extractor, "", "The central area of the image and the lateral field of the table.") == {}


def test_coined_short_form_names_a_method(extractor):
    out = found(extractor, "", 'Our approach, Brain Diffusion for Visual Exploration ("BrainDiVE"), works. BrainDiVE is fast.')
    assert [m[0] for m in out[("method", "BrainDiVE")]] == ["Brain Diffusion for Visual Exploration", "BrainDiVE", "BrainDiVE"]


def test_local_definition_overrides_vocabulary_sense(extractor):
    assert found(extractor, "", "We cite the mixture of experts literature.")  # known sense
    out = found(extractor, "", "Mean Opinion Estimates (MoE) were collected. MoE rose.")
    assert ("method", "mixture of experts") not in out


def test_version_suffix_names_a_version_under_the_model(extractor):
    out = found(extractor, "", "A long short-term memory baseline and an LSTM-XL-2 variant.")
    assert [m[0] for m in out[("method", "long short-term memory")]] == ["long short-term memory"]
    assert [m[0] for m in out[("method", "LSTM-XL-2")]] == ["LSTM-XL-2"]  # a version is identity (test_identity.py)


def test_availability_statement_is_not_a_modality(extractor):
    assert found(extractor, "", "The EEG code and data are available at https://github.com/x/y.") == {}
    assert ("modality", "EEG") in found(extractor, "", "We decode EEG.")


def test_modifier_compounds_are_not_names(extractor):
    assert found(extractor, "", "We propose post-RGB stars and LLM-based agents.") == {}


def test_shipped_vocabulary_resolves_ambiguity_by_context():
    from kg.api import extract

    def labels(text):
        return [m["label"] for m in extract(text, model=False)]
    assert labels("CHESS agents translate questions into SQL queries.") == ["CHESS"]
    assert labels("Programs that play CHESS and Go.") == []
    assert labels("Neurons in IT cortex encode objects.") == ["inferior temporal cortex"]
    assert labels("The IT department upgraded to V1 of the software.") == []


def test_plural_acronym_is_not_a_coined_name(extractor):
    assert found(extractor, "", "Brain-computer interfaces (BCIs) are used. BCIs help.") == {}


def test_span_list_follows_the_span_group(extractor):
    """Components share one list of Span objects per doc; a group set by other code wins."""
    from spacy.tokens import Span

    from kg.extraction.matcher import SPANS_KEY, get_spans, set_spans

    doc = extractor.nlp("We train an LSTM on MNIST.")
    first = get_spans(doc)
    assert first is get_spans(doc) and [s.text for s in first] == ["LSTM", "MNIST"]
    doc.spans[SPANS_KEY] = first[:1]  # not through set_spans
    assert [s.text for s in get_spans(doc)] == ["LSTM"]
    mine = [Span(doc, 5, 6, label="dataset")]
    set_spans(doc, mine)
    assert get_spans(doc) == mine and [s.text for s in doc.spans[SPANS_KEY]] == ["MNIST"]


def test_sentence_bounds_are_set_on_the_doc(extractor):
    text = "EEG decoding\n\nWe record EEG. Then we train an LSTM!  It works."
    doc = extractor.nlp(text)
    assert [s.text for s in doc.sents] == ["EEG decoding\n\n", "We record EEG.", "Then we train an LSTM!", " It works."]
    from kg.extraction.tokens import tokens
    t = tokens(doc)
    lstm = [tok.i for tok in doc if tok.text == "LSTM"][0]
    assert text[slice(*t.sentence_chars(lstm))] == "Then we train an LSTM!"
    assert t.sentence_chars(lstm) is t.sentence_chars(lstm - 1)  # found once per sentence
    assert text[slice(*t.sentence_chars(len(doc) - 1))] == "It works."  # without the space before it


def test_a_text_over_a_million_characters_is_extracted_in_pieces(extractor, tmp_path):
    """spaCy refuses docs over `max_length`: such a record used to end the whole build."""
    import json

    import kg
    abstract = "We train an LSTM on MNIST. " * 40_000 + "Finally we record EEG."
    [(paper, found)] = list(extractor.extract([Paper(title="A very long record", abstract=abstract)]))
    by_label = {cm.concept.label: cm.mentions for cm in found}
    assert len(by_label["long short-term memory"]) == 40_000
    [eeg] = by_label["EEG"]
    assert (eeg.field, abstract[eeg.start:eeg.end]) == ("abstract", "EEG")
    assert abstract[eeg.sentence_start:].startswith("Finally we record EEG.")
    papers = tmp_path / "long.jsonl"
    papers.write_text(json.dumps({"title": "A very long record", "abstract": abstract}) + "\n")
    result = kg.build([papers], tmp_path / "out", model=False)
    assert result.counts()["papers"] == 1
