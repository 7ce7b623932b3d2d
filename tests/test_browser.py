"""graph.html and report.html in a real browser: headless Chromium driven by Playwright.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/install-chromium); the network
is watched so that any request leaving the page fails the test.
"""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import sync_playwright

from conftest import write
from kg.api import build, html
from kg.exporters.html import HtmlOptions, select_view

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAYLOAD = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watched:
    """A page with its console errors, requests and dialogs recorded."""

    def __init__(self, browser, path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors, self.requests, self.dialogs, self.console = [], [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("console", lambda m: self.console.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def wait_for_graph(self, seconds: float = 60):
        """Until the layout has stabilised and physics is off (polled: the page's CSP
        forbids the string evaluation Playwright's wait_for_function uses)."""
        for _ in range(int(seconds * 10)):
            if self.page.evaluate("() => typeof network !== 'undefined' && network.physics.options.enabled === false"):
                return
            self.page.wait_for_timeout(100)
        raise AssertionError("the graph did not stabilise")

    def offline(self) -> bool:
        return all(url == self.url for url in self.requests)

    def details_heading(self) -> str:
        return self.page.text_content("#details h2")


def test_graph_page_loads_offline_with_every_node(browser, example_build):
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    expected = select_view(example_build.graph, HtmlOptions()).number_of_nodes()
    assert w.page.evaluate("nodes.length") == expected > 500
    assert w.errors == [] and w.offline(), (w.errors, w.requests)


def test_graph_page_logs_no_layout_warning(browser, example_build):
    """vis-network's improved layout gives up on a large graph of many components and says
    so on the console ("... could not be positioned ..."); the page must not ask for it."""
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    assert w.page.evaluate("nodes.length") > 100
    assert not [m for m in w.console if "could not be positioned" in m], w.console


def test_focus_opens_the_page_on_the_focused_node(browser, example_build, tmp_path):
    page = html(example_build.outputs["turtle"], tmp_path / "focus.html", HtmlOptions(focus="hippocampus", depth=1))
    w = Watched(browser, page)
    w.wait_for_graph()
    focused = w.page.evaluate("nodes.get({filter: n => n.full_label === 'hippocampus'})[0]")
    assert w.page.evaluate("network.getSelectedNodes()") == [focused["id"]]
    assert focused["shape"] == "star" and focused["label"] == "hippocampus"
    assert w.page.evaluate("nodes.get({filter: n => n.shape === 'star'}).length") == 1
    assert w.details_heading() == "hippocampus"
    off_centre = w.page.evaluate("""id => {
        const v = network.getViewPosition(), p = network.getPositions([id])[id];
        return Math.hypot(v.x - p.x, v.y - p.y);
    }""", focused["id"])
    assert off_centre < 1
    assert not [m for m in w.console if "could not be positioned" in m], w.console
    assert w.errors == [] and w.offline()


def test_search_finds_a_known_concept(browser, example_build):
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    w.page.fill("#search", "hippocampus")
    w.page.press("#search", "Enter")
    assert w.details_heading() == "hippocampus"
    assert "Papers" in w.page.text_content("#details")


def test_click_on_a_node_opens_its_details_and_highlights_neighbours(browser, example_build):
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    target = w.page.evaluate("""() => {
        const n = nodes.get({filter: x => x.full_label === 'transformer'})[0];
        network.focus(n.id, {scale: 1.0, animation: false});
        const p = network.canvasToDOM(network.getPositions([n.id])[n.id]);
        const box = document.getElementById('graph').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    w.page.mouse.click(target["x"], target["y"])
    assert w.details_heading() == "transformer"
    faded = w.page.evaluate("nodes.get().filter(n => n.opacity < 1).length")
    assert 0 < faded < w.page.evaluate("nodes.length")


def test_type_filter_hides_papers(browser, example_build):
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    papers = w.page.evaluate("nodes.get({filter: n => n.group_type === 'paper'}).length")
    w.page.uncheck("input.type-filter[value=paper]")
    assert w.page.evaluate("nodes.get({filter: n => n.hidden}).length") == papers > 0


def test_markup_in_titles_is_shown_as_text_and_never_runs(browser, tmp_path):
    title = f"Evil {PAYLOAD} paper"
    write(tmp_path / "p.jsonl", json.dumps({"title": title, "abstract": f"An LSTM model. {PAYLOAD}"}) + "\n")
    out = build([tmp_path / "p.jsonl"], tmp_path / "out")
    w = Watched(browser, out.outputs["html"])
    w.wait_for_graph()
    w.page.fill("#search", "Evil")
    w.page.press("#search", "Enter")
    assert w.details_heading() == title
    assert PAYLOAD in w.page.text_content("#details")
    assert w.page.title() != "pwned" and w.dialogs == []
    assert w.page.evaluate("document.querySelectorAll('#details img, #details script').length") == 0
    assert w.offline()


def test_report_page_draws_charts_offline(browser, example_build):
    w = Watched(browser, example_build.outputs["report"])
    assert w.page.locator("svg").count() == 8  # four bar charts, three heat maps, the thematic map
    assert "large language model" in w.page.text_content("body")
    assert w.errors == [] and w.offline()


def test_report_escapes_labels(browser, tmp_path):
    vocab = write(tmp_path / "v.ttl", """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kg: <https://w3id.org/kg/ontology#> .
<https://example.org/evil> a kg:Method ; skos:prefLabel "<b onmouseover=x>EvilNet</b>" ; skos:altLabel "EvilNet" .
""")
    write(tmp_path / "p.jsonl", json.dumps({"title": "T", "abstract": "We use EvilNet."}) + "\n")
    out = build([tmp_path / "p.jsonl"], tmp_path / "out", vocab=[vocab])
    w = Watched(browser, out.outputs["report"])
    assert "<b onmouseover=x>EvilNet</b>" in w.page.text_content("body")
    assert w.page.evaluate("document.querySelectorAll('b').length") == 0
