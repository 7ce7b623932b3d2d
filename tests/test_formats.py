"""Bibliographic formats: BibTeX, RIS, CSL-JSON, arXiv Atom, OpenAlex, Semantic Scholar, PubMed.

The fixtures in tests/data/formats/ are exports of an overlapping set of papers (see its
EXPECTED.md); each test reads one and compares the exact papers, then checks sniffing and
how bad records are reported.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, write
from kg.errors import InputError, InputWarning
from kg.model import Paper
from kg.readers import list_inputs, read_paths, reader_for

FORMATS = DATA / "formats"
TITLES = {
    "A": "Transformers in the hippocampus: sequence models predict place-cell remapping",
    "B": "Self-supervised contrastive learning yields representations that predict macaque inferior temporal cortex",
    "C": "Decoding natural images from human fMRI with latent diffusion models",
    "D": "Grid cells in entorhinal cortex support vector navigation in deep reinforcement learning agents",
    "E": "Sharp-wave ripples coordinate hippocampal–prefrontal replay during sleep",
    "F": "EEG microstate dynamics track working-memory load in schizophrenia",
    "G": "A foundation model of mouse visual cortex trained on two-photon recordings",
    "H": "Vision transformers trained on ImageNet develop a human-like shape bias",
    "I": "Spiking neural networks learn hippocampal theta sequences with surrogate gradients",
    "J": "Mapping the human connectome with diffusion MRI tractography: a review",
    "K": "Deep convolutional networks reveal the hierarchy of the ventral visual stream in fMRI",
}
ABSTRACTS = {
    "A": ('The hippocampus encodes space through place cells whose firing fields remap between environments. We'
          ' trained a transformer on sequences of egocentric observations recorded while rats explored linear '
          'tracks and open arenas, and compared its attention maps with CA1 and CA3 population activity '
          'obtained with two-photon calcium imaging. Position-selective units emerged in the model and '
          'reproduced global remapping across environments. Representational similarity analysis showed that '
          'the transformer matched CA1 population codes better than an LSTM baseline. These results suggest '
          'that self-attention offers a computational account of hippocampal sequence memory.'),
    "B": ('Self-supervised learning produces visual features without labels, but it is unclear whether these '
          'features resemble those of the primate ventral stream. We trained ResNet-50 networks with a '
          'contrastive objective (SimCLR) on ImageNet and compared their layer activations with multi-unit '
          'recordings from macaque V4 and inferior temporal (IT) cortex. Linear regression from model features '
          'predicted 62% of the explainable variance in IT responses, on par with supervised networks. '
          'Representational similarity analysis further showed that deeper layers aligned with IT and '
          'intermediate layers with V4. Contrastive objectives may therefore suffice to explain the hierarchy '
          'of object representations in the ventral visual stream.'),
    "C": ('Reconstructing what a person sees from brain activity is a long-standing goal of neuroscience. We '
          'present a method that maps functional MRI (fMRI) responses from early and higher visual cortex to '
          'the latent space of a pretrained latent diffusion model. Using the Natural Scenes Dataset, in which '
          'eight participants viewed thousands of natural images during 7T fMRI, we fit ridge regression models'
          ' from voxel responses to image latents and text embeddings. The reconstructed images preserved '
          'layout and semantic content, and decoding accuracy was highest for voxels in the ventral temporal '
          'cortex. Our approach requires no training or fine-tuning of deep generative models.'),
    "D": ('Grid cells in the medial entorhinal cortex fire in hexagonal patterns and are thought to support '
          'path integration. We trained deep reinforcement learning agents with a recurrent LSTM core to '
          'navigate virtual mazes and found that grid-like units emerged in the recurrent layer. Agents with '
          'grid-like representations computed direct vectors to goals and took shortcuts through novel '
          'openings. Ablating the grid-like units impaired vector-based navigation, whereas ablating place-like'
          ' units did not. These results link grid cells to goal-directed navigation in both brains and '
          'artificial agents.'),
    "H": ('Convolutional neural networks trained on ImageNet classify objects mostly by texture, whereas humans'
          ' rely on shape. We measured the shape bias of vision transformers (ViT) trained on ImageNet and '
          'ImageNet-21k using cue-conflict stimuli and compared it with psychophysical data from human '
          'observers. Vision transformers showed a markedly higher shape bias than ResNet models of matched '
          'accuracy, and their errors were more consistent with human errors. Fine-tuning with stylized images '
          'increased shape bias further. Self-attention may thus bring artificial object recognition closer to '
          'human vision.'),
    "I": ('Theta sequences in the rodent hippocampus compress behavioural trajectories into single theta '
          'cycles. We trained recurrent spiking neural networks with surrogate-gradient descent to predict '
          'upcoming positions of a simulated animal and examined their population dynamics. The networks '
          'spontaneously generated theta-timescale sequences resembling those recorded in CA1 with silicon '
          'probes, and phase precession emerged in single units. Removing recurrent inhibition abolished both '
          'phenomena. Surrogate-gradient training thus provides a route to mechanistic models of hippocampal '
          'sequence generation.'),
    "J": ('Diffusion MRI tractography is the only method for mapping white-matter pathways in the living human '
          'brain. We review how tractography pipelines reconstruct structural connectomes from diffusion-'
          'weighted images, from fibre orientation estimation with constrained spherical deconvolution to '
          'streamline filtering. We discuss validation against tracer studies in macaques, the reproducibility '
          'of connectome estimates in the Human Connectome Project dataset, and the impact of false-positive '
          'connections on graph-theoretical measures. Finally, we outline how combining tractography with '
          'resting-state fMRI can relate structural and functional connectivity.'),
    "K": ('Deep convolutional neural networks (CNNs) trained on object recognition achieve human-level accuracy'
          ' on ImageNet. We asked whether their layers map onto the hierarchy of human visual cortex. Fifteen '
          'participants viewed 1,200 natural images during fMRI, and we used encoding models to predict voxel '
          'responses in V1, V2, V4 and the lateral occipital complex from each CNN layer. Early layers best '
          'predicted V1 and V2, whereas deep layers best predicted lateral occipital and fusiform cortex. The '
          'correspondence was absent in untrained networks, indicating that task optimisation shapes brain-like'
          ' representations.'),
    "F": ("BACKGROUND: Working-memory deficits are a core feature of schizophrenia, but their electrophysiological "
          "signatures remain unclear. METHODS: We recorded 64-channel EEG from 48 patients and 52 matched controls "
          "during a visual n-back task and decomposed the signals into four canonical microstates. Source "
          "localisation with eLORETA related microstate maps to the dorsolateral prefrontal cortex and the "
          "hippocampus. RESULTS: Microstate C duration increased with working-memory load in controls but not in "
          "patients, and the difference correlated with task accuracy. CONCLUSIONS: EEG microstate dynamics "
          "provide a candidate biomarker of working-memory load in schizophrenia."),
}
A_AUTHORS = ["Jörg Müller", "Chiamaka Okafor", "Anna van der Berg"]
C_AUTHORS = ["Yuki Tanaka", "Erik Lindqvist", "Kwame A. Osei"]
DOI_A, DOI_C = "10.5555/kgtest.2022.0001", "10.5555/kgtest.2023.0003"


def paper(key: str, source: str, **fields) -> Paper:
    """The expected record of paper `key` (see EXPECTED.md) as read from `source`."""
    fields.setdefault("title", TITLES[key])
    fields.setdefault("abstract", ABSTRACTS.get(key, ""))
    return Paper(sources=[source], **fields)


def ids(kind: str, *values: str) -> list[list[str]]:
    """Each author's identifiers as a reader keeps them ("openalex:A1", ...), one per author."""
    return [[f"{kind}:{v}"] for v in values]


def read(name: str, **kw) -> list[Paper]:
    return list(read_paths([FORMATS / name], problems=[], **kw))


def test_bibtex_decodes_latex_and_splits_names():
    s = "library.bib"
    assert read(s) == [
        paper("A", s, id="mueller2022transformers", doi=DOI_A, arxiv="2104.07001", year=2022, venue="Neuron",
              authors=A_AUTHORS),
        paper("B", s, id="raman2022contrastive", arxiv="2201.05432", year=2022, authors=["Priya Raman", "Tomás Herrera"]),
        paper("J", s, id="hartmann2020connectome", year=2020, venue="Trends in Cognitive Sciences",
              authors=["Olivia Hartmann", "Human Connectome Project Consortium"]),
        paper("E", s, id="bouchard2019ripples", doi="10.5555/kgtest.2019.0005", year=2019,
              venue="Proceedings of the Conference on Cognitive Computational Neuroscience (CCN)",
              url="https://doi.org/10.5555/kgtest.2019.0005", authors=["Émilie Bouchard", "Kenji Nakamura"]),
    ]


def test_ris_reads_tag_variants_and_pubmed_accession_number():
    s = "zotero.ris"
    assert read(s) == [
        paper("C", s, doi=DOI_C, pmid="36200003", year=2023, venue="NeuroImage", authors=C_AUTHORS,
              url="https://www.sciencedirect.com/science/article/pii/S1053811923000034"),
        paper("D", s, title="Grid Cells in Entorhinal Cortex Support Vector-Navigation in Deep Reinforcement Learning Agents",
              year=2021, venue="eLife", authors=["Diego Castellanos", "Marta Wójcik"]),
        paper("K", s, doi="10.5555/kgtest.2018.0011", year=2018, venue="Journal of Neuroscience",
              url="https://doi.org/10.5555/kgtest.2018.0011", authors=["Petra Novak", "Daniel Abara"]),
    ]


def test_csljson_reads_names_dates_and_arxiv_from_url():
    s = "zotero_csl.json"
    assert read(s) == [
        paper("B", s, doi="10.48550/arXiv.2201.05432", arxiv="2201.05432", year=2022,
              url="http://arxiv.org/abs/2201.05432", authors=["Priya Raman", "Tomás Herrera"]),
        paper("C", s, doi=DOI_C, pmid="36200003", year=2023, venue="NeuroImage", authors=C_AUTHORS),
        paper("J", s, doi="10.5555/kgtest.2020.0010", year=2020, venue="Trends in Cognitive Sciences",
              url="https://doi.org/10.5555/kgtest.2020.0010",
              authors=["Olivia Hartmann", "Human Connectome Project Consortium"]),
    ]


def test_arxiv_feed_collapses_wrapped_text_and_drops_versions():
    s = "arxiv_hippocampus.xml"
    abs_url = "http://arxiv.org/abs/{}".format
    assert read(s) == [
        paper("A", s, doi=DOI_A, arxiv="2104.07001", year=2021, venue="Neuron 110(4):612-627, 2022",
              url=abs_url("2104.07001v2"), authors=A_AUTHORS),
        paper("B", s, arxiv="2201.05432", year=2022, url=abs_url("2201.05432v1"), authors=["Priya Raman", "Tomás Herrera"]),
        paper("H", s, arxiv="2306.11223", year=2023, url=abs_url("2306.11223v3"),
              authors=["Hannah Kim", "Dmitri Volkov", "Aisha Bello"]),
        paper("I", s, arxiv="2310.04567", year=2023, url=abs_url("2310.04567v1"), authors=["Tomás Herrera", "Ines Vogel"]),
    ]


def test_openalex_rebuilds_abstracts_and_keeps_work_ids():
    s = "openalex_works.json"
    assert read(s) == [
        paper("A", s, id="W4200000001", doi=DOI_A, pmid="35100001", year=2022, venue="Neuron",
              url="https://doi.org/" + DOI_A, authors=A_AUTHORS, author_ids=ids("openalex", *"A5000000011 A5000000012 A5000000013".split()),
              references=["W2100000099", "W2200000098"]),
        paper("C", s, id="W4320000003", doi=DOI_C, pmid="36200003", year=2023, venue="NeuroImage",
              url="https://doi.org/" + DOI_C, authors=C_AUTHORS, author_ids=ids("openalex", *"A5000000031 A5000000032 A5000000033".split()),
              references=["W4200000001"]),
        paper("D", s, id="W3170000004", doi="10.5555/kgtest.2021.0004", year=2021, venue="eLife",
              url="https://doi.org/10.5555/kgtest.2021.0004", authors=["Diego Castellanos", "Marta Wójcik"],
              author_ids=ids("openalex", "A5000000041", "A5000000042")),
        paper("G", s, id="W4390000007", doi="10.5555/kgtest.2024.0007", year=2024, venue="Nature",
              url="https://doi.org/10.5555/kgtest.2024.0007", authors=["Lena Fischer", "Marcus O. Adeyemi"],
              author_ids=ids("openalex", "A5000000071", "A5000000072"), references=["W4200000001", "W4320000003", "W2100000099"]),
    ]


def test_s2_batch_reads_external_ids_and_references():
    s = "s2_batch.json"
    url = "https://www.semanticscholar.org/paper/{}".format
    a, b, d, h = ("3b2f6c1e9a8d7f4e5c6b1a2d3e4f5a6b7c8d9e0f", "9c4e8a1b2d3f5e6a7b8c9d0e1f2a3b4c5d6e7f80",
                  "0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e", "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b")
    assert read(s) == [
        paper("A", s, id=a, doi=DOI_A, arxiv="2104.07001", pmid="35100001", year=2022, venue="Neuron", url=url(a),
              authors=A_AUTHORS, author_ids=ids("s2", "1700000011", "1700000012", "1700000013")),
        paper("B", s, id=b, arxiv="2201.05432", year=2022, venue="arXiv.org", url=url(b),
              authors=["Priya Raman", "Tomás Herrera"], author_ids=ids("s2", "1700000123", "1700000124")),
        paper("D", s, title=TITLES["D"] + " v2", abstract="", id=d, year=2021, url=url(d),
              authors=["D. Castellanos", "M. Wójcik"], author_ids=ids("s2", "1700000004", "1700000005")),
        paper("H", s, id=h, arxiv="2306.11223", year=2023, venue="Neural Information Processing Systems", url=url(h),
              authors=["Hannah Kim", "Dmitri Volkov", "Aisha Bello"],
              author_ids=ids("s2", "1700000456", "1700000457", "1700000458"),
              references=[DOI_A, "2201.05432", "e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8",
                          "Shape bias in human object recognition: a psychophysical benchmark"]),
    ]


def test_pubmed_joins_labelled_sections_and_keeps_cited_ids():
    s = "pubmed_efetch.xml"
    url = "https://pubmed.ncbi.nlm.nih.gov/{}/".format
    assert read(s) == [
        paper("A", s, doi=DOI_A, pmid="35100001", year=2022, venue="Neuron", url=url(35100001), authors=A_AUTHORS),
        paper("C", s, doi=DOI_C, pmid="36200003", year=2023, venue="NeuroImage", url=url(36200003),
              authors=["Yuki Tanaka", "Erik Lindqvist", "Kwame A Osei"], references=[DOI_A]),
        paper("F", s, doi="10.5555/kgtest.2024.0006", pmid="38400006", year=2024, venue="Biological psychiatry",
              url=url(38400006), authors=["Sofia Almeida", "Rahul Mehta", "EEG Biomarkers Consortium"],
              references=["PMID:35100001", DOI_C, "PMID:11969331"]),
    ]


BAD_RECORDS = [
    ("library.bib", "library.bib:67: malformed BibTeX entry (Unexpected block start: `@InProceedings`. "
                    "Was still looking for field-value closing `}`)"),
    ("zotero.ris", "zotero.ris:53: record has no 'title'"),
    ("zotero_csl.json", "zotero_csl.json:4: record has no 'title'"),
    ("arxiv_hippocampus.xml", "arxiv_hippocampus.xml:3: record has no 'title'"),
    ("openalex_works.json", "openalex_works.json:4: record has no 'title'"),
    ("s2_batch.json", "s2_batch.json:3: expected a JSON object, got null"),
    ("pubmed_efetch.xml", "pubmed_efetch.xml:2: record has no 'title'"),
]


@pytest.mark.parametrize("name, message", BAD_RECORDS)
def test_bad_record_is_reported_with_file_and_number_and_skipped(monkeypatch, name, message):
    monkeypatch.chdir(FORMATS)
    problems: list[InputError] = []
    papers = list(read_paths([name], problems=problems))
    assert [str(e) for e in problems] == [message]
    assert len(papers) == {"zotero.ris": 3, "zotero_csl.json": 3, "pubmed_efetch.xml": 3}.get(name, 4)


@pytest.mark.parametrize("name, message", BAD_RECORDS)
def test_bad_record_is_fatal_when_strict(monkeypatch, name, message):
    monkeypatch.chdir(FORMATS)
    with pytest.raises(InputError) as err:
        list(read_paths([name], strict=True))
    assert str(err.value) == message


def test_mixed_directory_reads_every_format():
    problems: list[InputError] = []
    papers = list(read_paths([FORMATS], problems=problems))
    assert len(papers) == 25 and len(problems) == 7
    assert {p.title for p in papers} >= set(TITLES.values())


@pytest.mark.parametrize("source, disguise, reader", [
    ("library.bib", "refs.txt", "bibtex"),
    ("library.bib", "refs", "bibtex"),
    ("zotero.ris", "export.txt", "ris"),
    ("zotero.ris", "export.bib", "ris"),
    ("zotero_csl.json", "items", "csljson"),
    ("openalex_works.json", "works.jsonl", "openalex"),
    ("openalex_works.json", "works", "openalex"),
    ("s2_batch.json", "papers.jsonl", "s2"),
    ("arxiv_hippocampus.xml", "feed.xml", "arxiv"),
    ("pubmed_efetch.xml", "pubmed.atom", "pubmed"),
    ("pubmed_efetch.xml", "pubmed", "pubmed"),
])
def test_content_decides_where_the_extension_misleads(tmp_path, source, disguise, reader):
    path = tmp_path / disguise
    shutil.copy(FORMATS / source, path)
    assert reader_for(path) == reader
    assert [p.title for p in read_paths([path], problems=[])] == [p.title for p in read(source)]


def test_jsonl_lines_shaped_like_openalex_or_s2_go_to_those_readers(tmp_path):
    write(tmp_path / "oa.jsonl", '{"id": "https://openalex.org/W1", "title": "T", "publication_year": 2020, '
                                 '"abstract_inverted_index": {"Hello": [0], "world": [1]}, "authorships": []}\n'
                                 '{"id": "https://openalex.org/W2", "display_name": "U"}\n')
    write(tmp_path / "s2.jsonl", '{"paperId": "abc", "title": "S", "externalIds": {"DOI": "10.1/x"}}\n{"title": }\n')
    problems: list[InputError] = []
    oa1, oa2, s2 = read_paths([tmp_path / "oa.jsonl", tmp_path / "s2.jsonl"], problems=problems)
    assert (oa1.id, oa1.abstract, oa1.year, oa2.title) == ("W1", "Hello world", 2020, "U")
    assert (s2.id, s2.doi) == ("abc", "10.1/x")
    assert [str(e) for e in problems] == [f"{tmp_path / 's2.jsonl'}:2: malformed JSON (Expecting value at column 11)"]


def test_s2_search_response_and_single_paper(tmp_path):
    write(tmp_path / "search.json", '{"total": 2, "offset": 0, "next": 2, "data": [{"paperId": "p1", "title": "One"}, '
                                    '{"paperId": "p2", "title": "Two", "year": null}]}')
    write(tmp_path / "one.json", '{\n  "paperId": "p3",\n  "title": "Three"\n}\n')
    assert [p.id for p in read_paths([tmp_path / "search.json", tmp_path / "one.json"])] == ["p1", "p2", "p3"]


def test_medline_citation_set_and_medline_date(tmp_path):
    write(tmp_path / "medline.xml", """<?xml version="1.0"?>
<MedlineCitationSet>
  <MedlineCitation Owner="NLM" Status="MEDLINE">
    <PMID>10000001</PMID>
    <Article>
      <Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
        <Title>Hippocampus</Title></Journal>
      <ArticleTitle>Place cells in CA1.</ArticleTitle>
      <ELocationID EIdType="doi">10.1/ca1</ELocationID>
      <AuthorList><Author><LastName>O'Neill</LastName><Initials>J</Initials></Author></AuthorList>
    </Article>
  </MedlineCitation>
</MedlineCitationSet>
""")
    [p] = read_paths([tmp_path / "medline.xml"])
    assert (p.title, p.pmid, p.year, p.doi, p.venue, p.authors) == \
        ("Place cells in CA1", "10000001", 1998, "10.1/ca1", "Hippocampus", ["J O'Neill"])


@pytest.mark.parametrize("name, content, message", [
    ("bad.xml", "<PubmedArticleSet><PubmedArticle>\n</PubmedArticleSet>\n",
     "bad.xml:2: malformed XML (mismatched tag)"),
    ("other.xml", "<?xml version='1.0'?>\n<rss><channel/></rss>\n",
     "other.xml: unexpected XML root element <rss> (expected <PubmedArticleSet> or <MedlineCitationSet>)"),
    ("feed.atom", "not xml at all\n", "feed.atom:1: malformed XML (syntax error)"),
    ("latin.bib", "@article{k, title={Caf\xe9}}\n".encode("latin-1"), "latin.bib:1: not UTF-8 text (byte 0xe9 at column 23)"),
    ("broken.json", '[{"title": "x"},\n {"title": }]\n', "broken.json:2: malformed JSON (Expecting value at column 12)"),
])
def test_whole_file_failures_are_raised_even_when_not_strict(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    path = write(Path(name), content)
    with pytest.raises(InputError) as err:
        list(read_paths([path], problems=[]))
    assert str(err.value) == message


def test_record_with_malformed_year_is_reported(tmp_path):
    write(tmp_path / "y.ris", "TY  - JOUR\nTI  - Fine\nPY  - 2020\nER  - \n\nTY  - JOUR\nTI  - Odd\nPY  - in press\nER  - \n")
    problems: list[InputError] = []
    assert [p.title for p in read_paths([tmp_path / "y.ris"], problems=problems)] == ["Fine"]
    assert [str(e) for e in problems] == [f"{tmp_path / 'y.ris'}:6: 'year' is not a year: 'in press'"]


def test_bibtex_key_used_twice_is_two_papers_and_a_warning(monkeypatch):
    monkeypatch.chdir(DATA)
    problems: list[InputError] = []
    warnings: list[InputWarning] = []
    first, second = read_paths(["reused_key.bib"], problems=problems, warnings=warnings)
    assert (first.id, first.doi, second.id, second.title, second.venue) == \
        ("tanaka2021", "10.5555/kgtest.reused.0001", "tanaka2021-2", "Decoding speech from EEG with recurrent networks",
         "Proceedings of the Test Workshop")
    assert problems == []
    assert [str(w) for w in warnings] == ["reused_key.bib:10: citation key 'tanaka2021' used again (first at line 2); "
                                          "read as another paper, with record id 'tanaka2021-2'"]


def test_reused_bibtex_key_gets_the_first_free_suffix(tmp_path):
    write(tmp_path / "k.bib", "@article{k, title={One}}\n@article{k-2, title={Two}}\n@article{k, title={Three}}\n"
                              "@article{k, title={Four}}\n")
    warnings: list[InputWarning] = []
    assert [p.id for p in read_paths([tmp_path / "k.bib"], warnings=warnings)] == ["k", "k-2", "k-3", "k-4"]
    assert [w.line for w in warnings] == [3, 4]
    with pytest.warns(InputWarning):  # nobody collecting them: Python's warnings
        list(read_paths([tmp_path / "k.bib"]))


def test_directory_listing_picks_up_the_new_extensions(tmp_path):
    for name in ["a.bib", "b.ris", "c.json", "d.xml", "e.atom", "f.jsonl", "g.csv", "h.txt", "i.pdf", "j.md"]:
        write(tmp_path / name, "")
    assert [name for _, name in list_inputs(tmp_path)] == ["a.bib", "b.ris", "c.json", "d.xml", "e.atom", "f.jsonl",
                                                          "g.csv", "h.txt"]
