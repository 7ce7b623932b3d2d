"""SPARQL beyond rdflib: Oxigraph engine and store, the endpoint, and pushing to a server.

The endpoint is tested with a real client (SPARQLWrapper) over HTTP on 127.0.0.1, and
`kg push` against a real Oxigraph server that the test starts on 127.0.0.1.
"""
from __future__ import annotations

import csv
import http.client
import io
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from conftest import ROOT
from kg.api import load, select_rows, serve
from kg.cli import main
from kg.query import server as server_module
from kg.query.server import MAX_REQUEST, MAX_RUNNING

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
QUERIES = sorted((ROOT / "examples" / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def ttl(example_build) -> Path:
    return example_build.outputs["turtle"]


@pytest.fixture(scope="module")
def triples(ttl) -> int:
    return int(select_rows(ttl, COUNT, engine="oxigraph")[1][0][0])


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_oxigraph_and_rdflib_give_the_same_answers(ttl, query):
    assert select_rows(ttl, query.read_text(), engine="oxigraph") == select_rows(ttl, query.read_text(), engine="rdflib")


def test_persistent_store_answers_without_the_file(ttl, tmp_path, triples):
    assert load(ttl, tmp_path / "store") == triples
    result = CliRunner().invoke(main, ["query", "--store", str(tmp_path / "store"), "papers-per-brain-region",
                                       "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == [dict(zip(*[c, r])) for c, rows in [select_rows(ttl, (
        ROOT / "examples" / "queries" / "papers-per-brain-region.rq").read_text())] for r in rows]


def test_query_list_and_query_by_name(ttl):
    runner = CliRunner()
    listing = runner.invoke(main, ["query", "--list"]).output.splitlines()
    assert len(listing) == len(QUERIES) >= 15
    assert any(line.startswith("work-mentions") and "Who builds on whom" in line for line in listing)
    assert runner.invoke(main, ["query", str(ttl), "proposed-methods"]).exit_code == 0


@pytest.fixture(scope="module")
def endpoint(ttl):
    server = serve(ttl, port=0, timeout=20)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    server.server_close()


def ask(url: str, fmt: str, method: str = "GET"):
    client = SPARQLWrapper(url)
    client.setQuery(COUNT)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query().convert()


def test_endpoint_answers_in_all_four_formats(endpoint, triples):
    assert int(ask(endpoint, JSON)["results"]["bindings"][0]["n"]["value"]) == triples
    xml = ask(endpoint, XML, "POST")
    assert xml.getElementsByTagName("literal")[0].firstChild.data == str(triples)
    assert list(csv.reader(io.StringIO(ask(endpoint, CSV).decode())))[1] == [str(triples)]
    tsv = ask(endpoint, TSV).decode().splitlines()
    assert tsv[0] == "?n" and tsv[1].startswith(f'"{triples}"') or tsv[1] == str(triples)


def test_endpoint_refuses_updates(endpoint):
    data = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(urllib.request.Request(endpoint, data=data, method="POST"), timeout=10)
    assert err.value.code == 403 and b"read-only" in err.value.read()


def test_endpoint_explains_malformed_queries(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_endpoint_stops_at_the_time_limit(ttl):
    server = serve(ttl, port=0, timeout=0.001)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?a ?e ?f . ?f ?g ?h }"  # seconds, not forever
    url = f"http://127.0.0.1:{server.server_port}/sparql?" + urllib.parse.urlencode({"query": heavy})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=30)
    assert err.value.code == 503 and b"time limit" in err.value.read()
    server.shutdown()
    server.server_close()


def start(ttl, timeout: float):
    """A server of the graph on a free port, serving from a daemon thread."""
    server = serve(ttl, port=0, timeout=timeout)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/sparql"


def get(url: str, query: str, timeout: float = 30) -> tuple[int, bytes]:
    """Status and body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": query}), timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_endpoint_answers_50_concurrent_clients(endpoint, ttl, triples):
    """50 clients start together and send 4 queries each (two kinds, alternating); every
    answer is right and the whole burst takes under 15 s (about 1 s on 2 busy cores)."""
    regions = (ROOT / "examples" / "queries" / "papers-per-brain-region.rq").read_text()
    expected = select_rows(ttl, regions, engine="oxigraph")[1]
    start_line, results = threading.Barrier(50), []

    def client() -> None:
        start_line.wait()
        for i in range(4):
            began = time.monotonic()
            status, body = get(endpoint, COUNT if i % 2 == 0 else regions)
            right = status == 200 and (count_of(body) == triples if i % 2 == 0 else
                                       [[b[v]["value"] for v in json.loads(body)["head"]["vars"]]
                                        for b in json.loads(body)["results"]["bindings"]] == expected)
            results.append((right, time.monotonic() - began))

    began = time.monotonic()
    clients = [threading.Thread(target=client) for _ in range(50)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(30)
    took = time.monotonic() - began
    assert len(results) == 200 and all(right for right, _ in results)
    assert took < 15, f"200 queries from 50 clients took {took:.1f} s (slowest {max(s for _, s in results):.1f} s)"


def test_endpoint_refuses_requests_over_the_size_limit(endpoint):
    conn = http.client.HTTPConnection(urllib.parse.urlparse(endpoint).netloc, timeout=10)
    body = "query=" + urllib.parse.quote(COUNT + " #" + "x" * MAX_REQUEST)
    conn.request("POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    assert answer.status == 413
    assert answer.read().decode() == f"request body of {len(body)} bytes is over the limit of {MAX_REQUEST} bytes\n"
    assert get(endpoint, COUNT + " #" + "x" * 70_000)[0] == 414  # a GET's request line: http.server's 64 KiB


def test_slow_client_holds_only_its_own_connection(ttl, triples):
    """A client that sends its request a byte at a time neither blocks the others nor holds
    its thread past the idle limit (shortened here to 1 s)."""
    server, url = start(ttl, timeout=10)
    server.RequestHandlerClass.timeout = 1.0
    slow = socket.create_connection(("127.0.0.1", server.server_port), timeout=10)
    for byte in b"GET /sparql?query=":
        slow.send(bytes([byte]))
        began = time.monotonic()
        status, body = get(url, COUNT)
        assert status == 200 and count_of(body) == triples and time.monotonic() - began < 2
    time.sleep(1.5)  # silent past the idle limit: dropped without a reply
    assert slow.recv(100) == b""
    slow.close()
    server.shutdown()
    server.server_close()


def test_long_query_neither_blocks_others_nor_runs_on(ttl, triples, monkeypatch):
    """A query that streams a huge result gets 503 at the time limit, others are answered
    meanwhile, and it stops there: its slot is free again."""
    monkeypatch.setattr(server_module, "MAX_RESULT", 2**30)  # the time limit comes first
    server, url = start(ttl, timeout=1)
    heavy = "SELECT * WHERE { ?a ?b ?c . ?a ?e ?f . ?f ?g ?h }"  # hundreds of millions of rows
    answer: list = []
    long_one = threading.Thread(target=lambda: answer.append(get(url, heavy)))
    long_one.start()
    for _ in range(5):
        began = time.monotonic()
        status, body = get(url, COUNT)
        assert status == 200 and count_of(body) == triples and time.monotonic() - began < 2
    long_one.join(10)
    assert answer[0] == (503, b"query time limit of 1 s exceeded\n")
    time.sleep(0.5)
    assert server.RequestHandlerClass.slots._value == MAX_RUNNING  # the worker has stopped
    server.shutdown()
    server.server_close()


def test_results_over_the_size_limit_are_refused(ttl, monkeypatch):
    monkeypatch.setattr(server_module, "MAX_RESULT", 10_000)
    server, url = start(ttl, timeout=10)
    status, body = get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000")
    assert status == 503 and b"add a LIMIT" in body
    assert get(url, COUNT)[0] == 200
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def oxigraph_server(tmp_path):
    port = free_port()
    proc = subprocess.Popen(["oxigraph", "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_push_replaces_the_named_graph_on_a_real_server(oxigraph_server, ttl, triples):
    runner = CliRunner()
    for _ in range(2):  # the second push replaces the graph, it does not add to it
        result = runner.invoke(main, ["push", str(ttl), "--endpoint", oxigraph_server + "/store",
                                      "--graph", "https://example.org/g"])
        assert result.exit_code == 0, result.output
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }"
    req = urllib.request.Request(oxigraph_server + "/query?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    answer = json.loads(urllib.request.urlopen(req, timeout=30).read())
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == triples


def test_push_to_nowhere_is_a_one_line_error(ttl):
    port = free_port()
    result = CliRunner().invoke(main, ["push", str(ttl), "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: http://127.0.0.1:{port}/store: cannot reach the server")
