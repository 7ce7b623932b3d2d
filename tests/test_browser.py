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


def test_papers_start_hidden_behind_their_switch(browser, example_build):
    """The first view is the concept map: papers are in the data, hidden until asked for."""
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    papers = w.page.evaluate("nodes.get({filter: n => n.group_type === 'paper'}).length")
    hidden = "nodes.get({filter: n => n.hidden}).map(n => n.group_type)"
    assert w.page.evaluate(hidden) == ["paper"] * papers and papers > 400
    w.page.check("input.type-filter[value=paper]")
    assert w.page.evaluate(hidden) == []
    w.page.uncheck("input.type-filter[value=method]")
    assert set(w.page.evaluate(hidden)) == {"method"}
    assert w.errors == [] and w.offline()


# Records every label vis-network draws (its canvas text calls) with its size on screen.
DRAWN_LABELS = """async () => {
    const ctx = document.querySelector('#graph canvas').getContext('2d'), drawn = [];
    const fillText = ctx.fillText;
    ctx.fillText = function (text, x, y) {
        drawn.push({text, px: parseFloat(this.font.match(/([\\d.]+)px/)[1]) * network.getScale()});
        return fillText.apply(this, arguments);
    };
    network.redraw();
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    ctx.fillText = fillText;
    return drawn;
}"""


def test_first_view_draws_the_main_labels_readably_and_more_on_zoom(browser, example_build):
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    first = w.page.evaluate(DRAWN_LABELS)
    labels = {d["text"] for d in first}
    concepts = w.page.evaluate("nodes.get({filter: n => n.kind === 'concept'}).map(n => n.label)")
    assert {"transformer", "large language model", "EEG", "attention mechanism"} <= labels
    assert 20 <= len(labels & set(concepts)) < len(concepts) / 4  # the main ones, not a blur of all
    assert min(d["px"] for d in first if d["text"] in concepts) >= 8  # readable where drawn
    w.page.evaluate("network.moveTo({scale: network.getScale() * 3, animation: false})")
    zoomed = {d["text"] for d in w.page.evaluate(DRAWN_LABELS)}
    on_screen = w.page.evaluate("""() => {
        const box = network.getViewPosition(), s = network.getScale(), c = document.querySelector('#graph canvas');
        const w = c.clientWidth / s / 2, h = c.clientHeight / s / 2, at = network.getPositions();
        return nodes.get({filter: n => n.kind === 'concept'})
            .filter(n => Math.abs(at[n.id].x - box.x) < w && Math.abs(at[n.id].y - box.y) < h).length;
    }""")
    assert len(zoomed & set(concepts)) > 0.8 * on_screen  # zoomed in, nearly every concept on screen is named
    assert w.errors == [] and w.offline()


def test_map_opens_still_where_the_layout_put_it(browser, example_build):
    """Positions come with the data and physics is off: nothing moves after the page opens."""
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    placed = w.page.evaluate("Object.fromEntries(nodes.get({filter: n => !n.hidden}).map(n => [n.id, [n.x, n.y]]))")
    w.page.wait_for_timeout(800)
    now = w.page.evaluate("network.getPositions()")  # of the nodes drawn
    assert len(placed) == len(now) > 500 and all((now[i]["x"], now[i]["y"]) == (x, y) for i, (x, y) in placed.items())
    assert w.page.evaluate("network.physics.options.enabled") is False
    assert w.errors == [] and w.offline()


def _dated(tmp_path):
    """Six dated papers: LSTM only before 2004, transformer only from 2004 on, fMRI throughout."""
    rows = [(2001, "An LSTM model of fMRI signals."), (2002, "LSTM networks decode fMRI data."),
            (2003, "We train an LSTM on fMRI recordings."), (2004, "A transformer reads fMRI scans."),
            (2005, "Transformer models for fMRI decoding."), (2006, "We apply a transformer to fMRI.")]
    lines = [json.dumps({"title": f"Paper {year}", "abstract": text, "year": year}) for year, text in rows]
    write(tmp_path / "dated.jsonl", "\n".join(lines) + "\n")
    return build([tmp_path / "dated.jsonl"], tmp_path / "out", model=False)


def test_year_range_filters_the_map(browser, tmp_path):
    w = Watched(browser, _dated(tmp_path).outputs["html"])
    w.wait_for_graph()
    shown = "nodes.get({filter: n => !n.hidden && n.kind === 'concept'}).map(n => n.label).sort()"
    assert {"long short-term memory", "transformer", "fMRI"} <= set(w.page.evaluate(shown))
    w.page.fill("#year-from", "2004")  # a range input: fill sets its value and fires "input"
    after = set(w.page.evaluate(shown))
    assert "long short-term memory" not in after and {"transformer", "fMRI"} <= after
    assert w.page.text_content("#year-range") == "2004–2006"
    w.page.fill("#year-from", "2001")
    w.page.fill("#year-to", "2003")
    assert "transformer" not in set(w.page.evaluate(shown)) and "long short-term memory" in set(w.page.evaluate(shown))
    assert w.errors == [] and w.offline()


def test_colour_switch_and_cluster_legend(browser, example_build, tmp_path):
    w = Watched(browser, example_build.outputs["html"])
    w.wait_for_graph()
    colours = "nodes.get({filter: n => n.kind === 'concept'}).every(n => n.color === n.colors[%r])"
    assert w.page.evaluate(colours % "cluster") and w.page.is_visible(".cluster-key")
    w.page.select_option("#colour-by", "type")
    assert w.page.evaluate(colours % "type") and not w.page.is_visible(".cluster-key")
    w.page.select_option("#colour-by", "cluster")
    first = w.page.locator(".cluster-key").first
    first.click()
    faded = w.page.evaluate("""() => {
        const n = +document.querySelector('.cluster-key').dataset.cluster;
        const concepts = nodes.get({filter: x => x.kind === 'concept'});
        return {member: concepts.filter(x => x.cluster === n).every(x => x.opacity === 1),
                others: concepts.filter(x => x.cluster !== n).every(x => x.opacity < 1)};
    }""")
    assert faded == {"member": True, "others": True}
    first.click()
    assert w.page.evaluate("nodes.get().every(n => n.opacity === 1)")
    w2 = Watched(browser, _dated(tmp_path).outputs["html"])  # years: a mean-year ramp
    w2.wait_for_graph()
    w2.page.select_option("#colour-by", "year")
    assert w2.page.evaluate(colours % "year") and w2.page.is_visible(".ramp")
    early, late = (w2.page.evaluate(f"nodes.get({{filter: n => n.label === {name!r}}})[0].color") for name in ("long short-term memory", "transformer"))
    assert early != late
    assert w.errors == w2.errors == [] and w.offline() and w2.offline()


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
