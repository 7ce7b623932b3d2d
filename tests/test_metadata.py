"""Paper metadata from every input format, carried into the graph: people, year, venue, ids.

Builds tests/data/formats (one export per format, overlapping papers; see EXPECTED.md) and
reads the answers back from graph.ttl, the way a SPARQL user would.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

import kg
from conftest import DATA
from kg.cli import main
from kg.exporters.html import export_html
from kg.graph import build_graph
from kg.graph.from_rdf import read_graph
from kg.linking.iris import person_id_iri, person_iri
from kg.model import Paper
from kg.namespaces import KG
from kg.query.sparql import run_query

SCHEMA = Namespace("http://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
A_DOI = "10.5555/kgtest.2022.0001"  # paper A of EXPECTED.md: five records, DOI, arXiv id and PMID
A_TITLE = "Transformers in the hippocampus: sequence models predict place-cell remapping"
A_AUTHORS = ["Jörg Müller", "Chiamaka Okafor", "Anna van der Berg"]
FILES = ["arxiv_hippocampus.xml", "library.bib", "openalex_works.json", "pubmed_efetch.xml", "s2_batch.json"]
PREFIXES = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


@pytest.fixture(scope="module")
def formats(tmp_path_factory) -> kg.BuildResult:
    return kg.build([DATA / "formats"], tmp_path_factory.mktemp("formats"))


@pytest.fixture(scope="module")
def rdf(formats) -> Graph:
    return Graph().parse(formats.outputs["turtle"])


def paper(rdf: Graph, doi: str) -> URIRef:
    (found,) = rdf.subjects(KG.doi, Literal(doi))
    return found


def titled(rdf: Graph, start: str) -> URIRef:
    (found,) = (p for p, t in rdf.subject_objects(DCTERMS.title) if str(t).startswith(start))
    return found


def test_every_distinct_paper_is_one_node(rdf):
    read = {p for p in rdf.subjects(RDF.type, KG.Paper) if (p, KG.stub, Literal(True)) not in rdf}
    assert len(read) == 11  # EXPECTED.md: 11 distinct papers (12 without fuzzy title matching)


def test_authors_are_people_with_names_in_byline_order(rdf):
    _, rows = run_query(rdf, PREFIXES + f"""
        SELECT ?name ?position WHERE {{
          ?paper kg:doi "{A_DOI}" ; dcterms:creator ?person .
          ?person a schema:Person ; schema:name ?name .
          ?st rdf:subject ?paper ; rdf:predicate dcterms:creator ; rdf:object ?person ; kg:authorPosition ?position .
        }} ORDER BY ?position""")
    assert rows == [[name, str(i)] for i, name in enumerate(A_AUTHORS, start=1)]
    # OpenAlex gives each author an id: that is the person, whatever the other records spell.
    muller = URIRef(person_id_iri("openalex:A5000000011"))  # S2's id for him is the same person
    assert muller in set(rdf.objects(paper(rdf, A_DOI), DCTERMS.creator))
    assert set(rdf.objects(muller, SCHEMA.identifier)) == {Literal("openalex:A5000000011"), Literal("s2:1700000011")}
    assert URIRef("https://openalex.org/A5000000011") in set(rdf.objects(muller, SCHEMA.sameAs))


def test_paper_authors_example_query_lists_bylines(rdf):
    """examples/queries/paper-authors.rq on inputs that carry authors (the pages do not)."""
    from kg.resources import queries_dir
    _, rows = run_query(rdf, (queries_dir() / "paper-authors.rq").read_text())
    a_title = next(str(t) for t in rdf.objects(paper(rdf, A_DOI), DCTERMS.title))
    assert [r[2] for r in rows if r[0] == a_title] == A_AUTHORS
    assert [r[1] for r in rows if r[0] == a_title] == ["1", "2", "3"]
    assert {r[3] for r in rows if r[0] == a_title} == {"2022"}


def test_a_person_is_one_node_across_papers(rdf):
    # Author of B (S2 gives an authorId) and of I (arXiv, a name only): the one identified
    # Tomás Herrera of the corpus is the author of I too.
    herrera = URIRef(person_id_iri("s2:1700000124"))
    assert len(set(rdf.subjects(DCTERMS.creator, herrera))) == 2
    assert list(rdf.objects(herrera, SCHEMA.name)) == [Literal("Tomás Herrera")]


def test_identifiers_of_a_merged_paper(rdf):
    a = paper(rdf, A_DOI)
    assert rdf.value(a, KG.arxivId) == Literal("2104.07001")
    assert rdf.value(a, KG.pmid) == Literal("35100001")
    assert str(rdf.value(a, DCTERMS.title)) == A_TITLE


def test_year_and_venue_of_a_paper_all_sources_agree_on(rdf):
    c = paper(rdf, "10.5555/kgtest.2023.0003")
    assert rdf.value(c, DCTERMS.issued) == Literal("2023", datatype=XSD.gYear)
    assert rdf.value(c, KG.venue) == Literal("NeuroImage")
    assert rdf.value(c, KG.pmid) == Literal("36200003")


def test_year_and_venue_are_those_of_the_version_of_record(rdf):
    # Four of A's five records say Neuron, 2022; the arXiv one has its preprint date (2021)
    # and a journal reference ("Neuron 110(4):612-627, 2022") in place of a venue.
    a = paper(rdf, A_DOI)
    assert rdf.value(a, DCTERMS.issued) == Literal("2022", datatype=XSD.gYear)
    assert rdf.value(a, KG.venue) == Literal("Neuron")


def test_a_merged_paper_keeps_every_source_file(rdf):
    assert sorted(map(str, rdf.objects(paper(rdf, A_DOI), KG.sourceFile))) == FILES


def test_references_become_citations_of_corpus_papers_or_stubs(rdf):
    a, b, c = paper(rdf, A_DOI), titled(rdf, "Self-supervised contrastive"), paper(rdf, "10.5555/kgtest.2023.0003")
    f, h = titled(rdf, "EEG microstate"), titled(rdf, "Vision transformers trained")
    cited = lambda p: set(rdf.objects(p, CITO.cites))  # noqa: E731
    assert {a, c} <= cited(f) and {a, b} <= cited(h) and a in cited(c)
    stubs = {str(rdf.value(s, DCTERMS.identifier) or rdf.value(s, DCTERMS.title))
             for s in rdf.subjects(KG.stub, Literal(True))}
    assert {"PMID:11969331", "W2100000099", "W2200000098", "e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8"} <= stubs
    assert any(s.startswith("Shape bias in human object recognition") for s in stubs)


def test_openalex_ids_of_corpus_papers_resolve_to_them(rdf):
    # G cites W4200000001 (A) and W4320000003 (C), C cites W4200000001 (A): EXPECTED.md.
    a, c, g = paper(rdf, A_DOI), paper(rdf, "10.5555/kgtest.2023.0003"), paper(rdf, "10.5555/kgtest.2024.0007")
    assert {a, c} <= set(rdf.objects(g, CITO.cites)) and a in set(rdf.objects(c, CITO.cites))
    stub_ids = {str(rdf.value(s, DCTERMS.identifier)) for s in rdf.subjects(KG.stub, Literal(True))}
    assert not stub_ids & {"W4200000001", "W4320000003", "https://openalex.org/W4200000001"}


def test_build_has_zero_violations(formats):
    result = CliRunner().invoke(main, ["validate", str(formats.outputs["turtle"])])
    assert result.exit_code == 0 and result.output.strip() == "conforms: 0 violations"


def test_shapes_catch_broken_metadata(rdf):
    from kg.query.validate import validate
    g = Graph() + rdf
    a, person = paper(g, A_DOI), URIRef(person_id_iri("openalex:A5000000011"))
    g.add((person, SCHEMA.name, Literal("Another Name")))
    g.set((a, KG.pmid, Literal("PMID 35100001")))
    g.add((a, DCTERMS.issued, Literal("2023", datatype=XSD.gYear)))
    messages = {(v.focus, v.message) for v in validate(g)}
    assert (str(person), "a person has exactly one name") in messages
    assert (str(a), "a paper has at most one PubMed id, digits only") in messages
    assert (str(a), "a paper has at most one year, an xsd:gYear") in messages


def test_metadata_terms_are_declared_in_the_ontology(rdf):
    from kg.resources import ontology_dir
    declared = set(Graph().parse(ontology_dir() / "kg.ttl").subjects())
    used = {p for p in rdf.predicates() if str(p).startswith(str(KG))}
    assert {KG.pmid, KG.venue, KG.authorPosition} <= used <= declared


def test_graph_read_back_keeps_the_metadata(formats):
    data = read_graph(formats.outputs["turtle"]).nodes[str(paper(Graph().parse(formats.outputs["turtle"]), A_DOI))]
    assert data["authors"] == A_AUTHORS
    assert (data["doi"], data["arxiv"], data["pmid"]) == (A_DOI, "2104.07001", "35100001")
    assert isinstance(data["year"], int) and data["venue"]


def test_details_panel_shows_authors_and_resolver_links(formats):
    nodes = page_nodes(formats.outputs["html"])
    (a,) = (n for n in nodes if n.get("full_label") == A_TITLE)
    sections = dict(a["sections"])
    assert sections["Authors"] == [", ".join(A_AUTHORS)]
    hrefs = {link["href"] for link in sections["Links"]}
    assert {f"https://doi.org/{A_DOI}", "https://arxiv.org/abs/2104.07001",
            "https://pubmed.ncbi.nlm.nih.gov/35100001/"} <= hrefs


def test_person_iri_ignores_accents_case_and_punctuation_but_not_initials():
    assert person_iri("Jörg Müller") == person_iri("Jorg Muller") == person_iri("JÖRG MÜLLER")
    assert person_iri("Jean-Luc O'Neil") == person_iri("Jean Luc ONeil")
    assert person_iri("J. Smith") != person_iri("John Smith")
    assert person_iri("王伟") != person_iri("李娜")  # no ASCII letters: a hash keeps them apart
    assert re.fullmatch(r"https://w3id\.org/kg/person/[a-z0-9-]+", person_iri("王伟"))


def test_unsafe_urls_and_markup_in_metadata_stay_text(tmp_path):
    evil = "<script>alert(1)</script>"
    graph = small_graph(Paper(title="T", abstract="x", url="javascript:alert(1)", authors=[evil], venue=evil,
                              doi="10.1/<b>", sources=["p.jsonl"]))
    export_html(graph, tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert evil not in html
    (node,) = page_nodes(tmp_path / "g.html")
    sections = dict(node["sections"])
    assert sections["Authors"] == [evil] and sections["Venue"] == [evil]
    assert [link["href"] for link in sections["Links"]] == ["https://doi.org/10.1/%3Cb%3E"]


def test_stub_papers_carry_the_same_metadata_fields(formats):
    for _, data in formats.graph.nodes(data=True):
        if data["kind"] == "paper":
            assert {"doi", "arxiv", "pmid", "url", "year", "venue", "authors"} <= set(data)
    pmid_stubs = [d for _, d in formats.graph.nodes(data=True) if d.get("stub") and d.get("pmid")]
    assert [d["pmid"] for d in pmid_stubs] == ["11969331"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, as in test_browser.py; skipped where it or Playwright is missing."""
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright
    from test_browser import ARGS, CHROMIUM
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at " + CHROMIUM)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_details_panel_in_a_browser_shows_metadata_and_fetches_nothing(browser, formats):
    from test_browser import Watched
    w = Watched(browser, formats.outputs["html"])
    w.wait_for_graph()
    w.page.fill("#search", A_TITLE)
    w.page.press("#search", "Enter")
    details = w.page.text_content("#details")
    assert ", ".join(A_AUTHORS) in details and "35100001" in details
    hrefs = w.page.eval_on_selector_all("#details a", "links => links.map(a => a.href)")
    assert f"https://doi.org/{A_DOI}" in hrefs and "https://pubmed.ncbi.nlm.nih.gov/35100001/" in hrefs
    assert w.offline() and w.errors == []


def test_markup_and_script_urls_in_metadata_never_run(browser, tmp_path):
    from test_browser import PAYLOAD, Watched
    evil = Paper(title="Evil metadata", abstract="x", authors=[PAYLOAD], venue=PAYLOAD,
                 url="javascript:document.title='pwned'", sources=["p.jsonl"])
    export_html(small_graph(evil), tmp_path / "evil.html")
    w = Watched(browser, tmp_path / "evil.html")
    w.wait_for_graph()
    w.page.fill("#search", "Evil")
    w.page.press("#search", "Enter")
    assert PAYLOAD in w.page.text_content("#details")
    assert w.page.evaluate("document.querySelectorAll('#details img, #details script, #details a').length") == 0
    w.page.evaluate("""() => {  // the page's own guard, should a javascript: href reach it
        const n = nodes.get()[0];
        nodes.update({id: n.id, sections: [["Links", [{text: "x", href: "javascript:document.title='pwned'"}]]]});
        showDetails(n.id);
    }""")
    assert w.page.evaluate("document.querySelectorAll('#details a[href]').length") == 0
    assert w.page.title() != "pwned" and w.dialogs == [] and w.offline()


def small_graph(*papers: Paper):
    return build_graph((f"https://w3id.org/kg/paper/t{i}", p, []) for i, p in enumerate(papers))


def page_nodes(path: Path) -> list[dict]:
    html = Path(path).read_text(encoding="utf-8")
    return json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
