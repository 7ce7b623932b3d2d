"""`kg fetch`: paging, politeness, retries and errors against a local server replaying
recorded arXiv and OpenAlex pages (tests/data/fetch/), and the saved files read back."""
from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from conftest import DATA
from kg.cli import main
from kg.errors import KgError
from kg.fetch import PoliteClient, fetch_arxiv, fetch_openalex
from kg.readers import read_paths, reader_for

PAGES = DATA / "fetch"
A, B, C, G, H = "2104.07001", "2201.05432", "W4320000003", "W4390000007", "2306.11223"


class Replay(BaseHTTPRequestHandler):
    """Answers each GET with the next scripted (status, headers, body) and records the request."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        self.server.requests.append((url.path, {k: v[0] for k, v in parse_qs(url.query).items()},
                                     self.headers.get("User-Agent")))
        status, headers, body = self.server.script.pop(0)
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    httpd.script, httpd.requests = [], []
    httpd.url = f"http://127.0.0.1:{httpd.server_port}/api"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def sleeps() -> list[float]:
    return []


@pytest.fixture()
def client(sleeps) -> PoliteClient:
    """No real waiting: the client's pauses are recorded instead."""
    return PoliteClient(delay=0, backoff=0.5, retries=2, sleep=sleeps.append)


def page(name: str, status: int = 200, **headers: str) -> tuple[int, dict, bytes]:
    return status, headers, (PAGES / name).read_bytes()


def test_arxiv_pages_until_total_and_saves_one_feed(server, client, tmp_path):
    server.script = [page("arxiv_page1.xml"), page("arxiv_page2.xml")]
    dest = tmp_path / "arxiv.xml"
    assert fetch_arxiv("hippocampus transformer", dest, 10, page_size=2, base_url=server.url, client=client) == 3
    queries = [q for _, q, _ in server.requests]
    assert queries == [{"search_query": "all:hippocampus AND all:transformer", "start": "0", "max_results": "2"},
                       {"search_query": "all:hippocampus AND all:transformer", "start": "2", "max_results": "2"}]
    assert all(agent.startswith("kg/") for _, _, agent in server.requests)
    assert reader_for(dest) == "arxiv"
    papers = list(read_paths([dest], strict=True))
    assert [p.arxiv for p in papers] == [A, B, H]
    assert papers[0].doi == "10.5555/kgtest.2022.0001" and papers[0].abstract.startswith("The hippocampus encodes")


def test_openalex_follows_next_cursor_and_saves_json_lines(server, client, tmp_path):
    server.script = [page("openalex_page1.json"), page("openalex_page2.json")]
    dest = tmp_path / "works.jsonl"
    assert fetch_openalex("hippocampus", dest, 10, page_size=2, base_url=server.url, mailto="me@example.org",
                          client=client) == 3
    first_cursor = json.loads((PAGES / "openalex_page1.json").read_text())["meta"]["next_cursor"]
    assert [q["cursor"] for _, q, _ in server.requests] == ["*", first_cursor]
    assert server.requests[0][1] == {"search": "hippocampus", "per-page": "2", "cursor": "*", "mailto": "me@example.org"}
    assert len(dest.read_text().splitlines()) == 3 and reader_for(dest) == "openalex"
    papers = list(read_paths([dest], strict=True))
    assert [p.id for p in papers] == ["W4200000001", C, G]
    assert papers[1].abstract.endswith("fine-tuning of deep generative models.") and papers[2].abstract == ""
    assert papers[2].references == ["W4200000001", C, "W2100000099"]


def test_max_stops_early(server, client, tmp_path):
    server.script = [page("arxiv_page1.xml"), page("openalex_page1.json")]
    assert fetch_arxiv("hippocampus", tmp_path / "a.xml", 2, page_size=2, base_url=server.url, client=client) == 2
    assert fetch_openalex("hippocampus", tmp_path / "o.jsonl", 1, base_url=server.url, client=client) == 1
    assert len(server.requests) == 2 and server.requests[1][1]["per-page"] == "1"
    assert [p.arxiv for p in read_paths([tmp_path / "a.xml"])] == [A, B]
    assert [p.id for p in read_paths([tmp_path / "o.jsonl"])] == ["W4200000001"]


def test_throttled_and_failing_requests_are_retried_honouring_retry_after(server, client, sleeps, tmp_path):
    server.script = [(503, {}, b"busy"), (429, {"Retry-After": "7"}, b"slow down"), page("openalex_page2.json")]
    assert fetch_openalex("grid cells", tmp_path / "o.jsonl", 5, base_url=server.url, client=client) == 1
    assert len(server.requests) == 3 and sleeps == [0.5, 7.0]


def test_requests_are_spaced_by_the_delay(server, sleeps, tmp_path):
    server.script = [page("arxiv_page1.xml"), page("arxiv_page2.xml")]
    client = PoliteClient(delay=3.0, sleep=sleeps.append)
    fetch_arxiv("hippocampus", tmp_path / "a.xml", 3, page_size=2, base_url=server.url, client=client)
    assert len(sleeps) == 1 and 2.5 < sleeps[0] <= 3.0


def test_client_error_is_one_line_and_not_retried(server, client, tmp_path):
    server.script = [(400, {}, b"bad query")]
    with pytest.raises(KgError) as err:
        fetch_arxiv("ti:(", tmp_path / "a.xml", base_url=server.url, client=client)
    host = server.url.split("/")[2]
    assert str(err.value).startswith(f"{host} answered HTTP 400 Bad Request for {server.url}?")
    assert len(server.requests) == 1 and not (tmp_path / "a.xml").exists()


def test_unreachable_host_gives_up_after_retries(client, sleeps, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(KgError, match=rf"^cannot reach 127\.0\.0\.1:{port} \(.*\) after 3 tries$"):
        fetch_openalex("x", tmp_path / "o.jsonl", base_url=f"http://127.0.0.1:{port}/works", client=client)
    assert sleeps == [0.5, 1.0]


def test_cli_fetch_writes_a_file_build_can_read(server, tmp_path):
    server.script = [page("openalex_page1.json"), page("openalex_page2.json")]
    dest = tmp_path / "works.jsonl"
    result = CliRunner().invoke(main, ["fetch", "openalex", "hippocampus", "-o", str(dest), "--max", "3",
                                       "--delay", "0", "--base-url", server.url])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote 3 papers from openalex to {dest}\n"
    assert len(list(read_paths([dest]))) == 3


def test_cli_fetch_error_is_one_line(server, tmp_path):
    server.script = [(404, {}, b"no such endpoint")]
    result = CliRunner().invoke(main, ["fetch", "arxiv", "hippocampus", "-o", str(tmp_path / "a.xml"),
                                       "--delay", "0", "--base-url", server.url])
    assert result.exit_code == 1
    assert result.output.startswith("Error: 127.0.0.1:") and "answered HTTP 404 Not Found" in result.output
    assert len(result.output.splitlines()) == 1
