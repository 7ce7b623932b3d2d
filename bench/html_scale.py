#!/usr/bin/env python3
"""How graph.html behaves on a large graph: export time, file size, and the time until the
page has its layout in headless Chromium.

    python bench/html_scale.py [--copies 100] [--max-nodes 1500]

The large graph is the example corpus's graph model repeated `copies` times (papers get
new IRIs, concepts are shared), so 100 copies give about 50,000 papers.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from kg.api import build_model  # noqa: E402
from kg.exporters.html import HtmlOptions, export_html  # noqa: E402

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def repeated(graph: nx.MultiDiGraph, copies: int) -> nx.MultiDiGraph:
    big = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        if d["kind"] == "concept":
            big.add_node(n, **{**d, "papers": d["papers"] * copies})
    for i in range(copies):
        rename = {n: f"{n}#copy{i}" for n, d in graph.nodes(data=True) if d["kind"] == "paper"}
        for n, new in rename.items():
            big.add_node(new, **graph.nodes[n])
        for u, v, k, d in graph.edges(keys=True, data=True):
            if k == "mentions" and u in rename:
                big.add_edge(rename[u], v, key=k, **d)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if k == "cooccurs":
            big.add_edge(u, v, key=k, **{**d, "weight": d["weight"] * copies})
    return big


def page_ready_seconds(path: Path) -> float:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        while not page.evaluate("() => typeof network !== 'undefined' && network.physics.options.enabled === false"):
            page.wait_for_timeout(50)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--max-nodes", type=int, default=1500)
    args = parser.parse_args()
    graph, _ = build_model([ROOT / "examples" / "corpus"])
    big = repeated(graph, args.copies)
    papers = sum(1 for _, d in big.nodes(data=True) if d["kind"] == "paper")
    print(f"graph: {papers} papers, {big.number_of_nodes()} nodes, {big.number_of_edges()} edges")
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "graph.html"
        start = time.perf_counter()
        export_html(big, dest, HtmlOptions(max_nodes=args.max_nodes))
        print(f"export (--max-nodes {args.max_nodes}): {time.perf_counter() - start:.1f} s, "
              f"{dest.stat().st_size / 1e6:.1f} MB")
        print(f"page ready in headless Chromium (layout done, physics off): {page_ready_seconds(dest):.1f} s")


if __name__ == "__main__":
    main()
