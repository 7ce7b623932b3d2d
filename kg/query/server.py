"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over Oxigraph.

GET /sparql?query=... and POST (form-encoded `query=` or an application/sparql-query
body); results as SPARQL JSON, XML, CSV or TSV chosen by the Accept header (JSON by
default). Updates are refused (403), malformed queries get 400 with the parser's message,
and a query running past the time limit gets 503. Binds 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

RESULT_TYPES = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("application/xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
]
GRAPH_TYPES = [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)]


def make_server(store: ox.Store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0) -> ThreadingHTTPServer:
    """A server ready to `serve_forever()`; port 0 picks a free one (`server.server_port`)."""
    handler = type("Handler", (SparqlHandler,), {"store": store, "timeout": timeout})
    return ThreadingHTTPServer((host, port), handler)


class SparqlHandler(BaseHTTPRequestHandler):
    store: ox.Store
    timeout: float

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        if url.path != "/sparql":
            return self._reply(HTTPStatus.NOT_FOUND, "only /sparql is served\n")
        params = parse_qs(url.query)
        self._dispatch(params.get("query", [None])[0], "update" in params)

    def do_POST(self) -> None:  # noqa: N802
        if urlparse(self.path).path != "/sparql":
            return self._reply(HTTPStatus.NOT_FOUND, "only /sparql is served\n")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/sparql-update":
            return self._dispatch(None, True)
        if kind == "application/sparql-query":
            return self._dispatch(body, False)
        params = parse_qs(body)
        self._dispatch(params.get("query", [None])[0], "update" in params)

    def _dispatch(self, query: str | None, update: bool) -> None:
        if update:
            return self._reply(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused\n")
        if not query:
            return self._reply(HTTPStatus.BAD_REQUEST, "missing 'query' parameter\n")
        # Oxigraph results may not cross threads: a worker runs the query and serialises the
        # result. It is a daemon thread, so a query past the limit never blocks shutdown.
        box: dict = {}

        def work() -> None:
            try:
                box["answer"] = _answer(self.store, query, self.headers.get("Accept") or "*/*")
            except Exception as e:  # handed to the request thread below
                box["error"] = e

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            return self._reply(HTTPStatus.SERVICE_UNAVAILABLE, f"query time limit of {self.timeout:g} s exceeded\n")
        error = box.get("error")
        if isinstance(error, SyntaxError):
            return self._reply(HTTPStatus.BAD_REQUEST, f"malformed query: {error}\n")
        if error is not None:
            return self._reply(HTTPStatus.BAD_REQUEST, f"query failed: {error}\n")
        media, data = box["answer"]
        self._reply(HTTPStatus.OK, data, media)

    def _reply(self, status: HTTPStatus, body: str | bytes, media: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # quiet by default
        pass


def _answer(store: ox.Store, query: str, accept: str) -> tuple[str, bytes]:
    """Run the query and serialise the result in the negotiated type."""
    result = store.query(query, use_default_graph_as_union=True)
    media, fmt = _negotiate(accept, GRAPH_TYPES if isinstance(result, ox.QueryTriples) else RESULT_TYPES)
    return media, result.serialize(format=fmt)


def _negotiate(accept: str, offers: list) -> tuple[str, object]:
    """The first offered type the Accept header allows, in the client's order of preference."""
    wanted = []
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            if p.strip().startswith("q="):
                try:
                    q = float(p.strip()[2:])
                except ValueError:
                    q = 0.0
        wanted.append((q, media.strip().lower()))
    for _, media in sorted(wanted, key=lambda w: -w[0]):
        for offered, fmt in offers:
            if media in (offered, "*/*") or (media.endswith("/*") and offered.startswith(media[:-1])):
                return offered, fmt
    return offers[0]
