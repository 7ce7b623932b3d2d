"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over Oxigraph.

GET /sparql?query=... and POST (form-encoded `query=` or an application/sparql-query
body); results as SPARQL JSON, XML, CSV or TSV chosen by the Accept header (JSON by
default). Updates are refused (403), malformed queries get 400 with the parser's message.
Binds 127.0.0.1 unless told otherwise.

Limits, so that many clients, slow ones and heavy queries share the server:
- one thread per connection (`ThreadingHTTPServer`), and a listen queue of 128, so 50
  clients connecting at once are all accepted (with socketserver's queue of 5, 50 clients
  sending `ASK {}` 4 times each waited up to 7.9 s, as dropped connections were retried,
  and 300 clients timed out; with 128: 0.09 s and 1.9 s at most);
- a client that sends nothing for `IDLE_S` seconds is disconnected, and only holds its own
  thread meanwhile;
- a request body over `MAX_REQUEST` bytes gets 413 (the request line, i.e. a GET query,
  is capped at 64 KiB by http.server: 414);
- a query gets `timeout` seconds, counted from when the request is read, else 503. Oxigraph
  cannot interrupt a query, but results are serialised through a writer that stops at the
  deadline, so a timed-out query stops as soon as it produces output; at most
  `MAX_RUNNING` queries run at once (a query that cannot start before its deadline gets
  503 too), and a result over `MAX_RESULT` bytes is refused (503) rather than buffered.
"""
from __future__ import annotations

import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

MAX_REQUEST = 64 * 1024  # bytes of a POST body; SPARQL queries are a few KiB at most
MAX_RESULT = 64 * 1024 * 1024  # bytes of a serialised result
MAX_RUNNING = 8  # queries running at once, timed-out ones included until they stop
IDLE_S = 10.0  # seconds a connection may stay silent while its request is read or its reply written
DRAIN = 1024 * 1024  # an oversized body is read and dropped up to this much, so its client sees the 413
RESULT_TYPES = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("application/xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
]
GRAPH_TYPES = [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)]


class SparqlServer(ThreadingHTTPServer):
    request_queue_size = 128  # the listen backlog; 5 (socketserver's) drops a burst of clients
    daemon_threads = True


def make_server(store: ox.Store, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0) -> SparqlServer:
    """A server ready to `serve_forever()`; port 0 picks a free one (`server.server_port`).
    `timeout` is the query time limit in seconds."""
    handler = type("Handler", (SparqlHandler,), {"store": store, "query_timeout": timeout,
                                                 "slots": threading.BoundedSemaphore(MAX_RUNNING)})
    return SparqlServer((host, port), handler)


class QueryLimit(Exception):
    """A query past its deadline or over the result size; the message is the client's."""


class SparqlHandler(BaseHTTPRequestHandler):
    store: ox.Store
    query_timeout: float
    slots: threading.BoundedSemaphore
    timeout = IDLE_S  # StreamRequestHandler's socket timeout: a silent client is dropped

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        if url.path != "/sparql":
            return self._reply(HTTPStatus.NOT_FOUND, "only /sparql is served\n")
        params = parse_qs(url.query)
        self._dispatch(params.get("query", [None])[0], "update" in params)

    def do_POST(self) -> None:  # noqa: N802
        if urlparse(self.path).path != "/sparql":
            return self._reply(HTTPStatus.NOT_FOUND, "only /sparql is served\n")
        body = self._body()
        if body is None:
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/sparql-update":
            return self._dispatch(None, True)
        if kind == "application/sparql-query":
            return self._dispatch(body, False)
        params = parse_qs(body)
        self._dispatch(params.get("query", [None])[0], "update" in params)

    def _body(self) -> str | None:
        """The request body, or None when an error reply has been sent instead."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._reply(HTTPStatus.BAD_REQUEST, "Content-Length is not a byte count\n")
            return None
        if length > MAX_REQUEST:
            self._drain(length)
            self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"request body of {length} bytes is over the limit of {MAX_REQUEST} bytes\n")
            return None
        try:
            return self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError:
            self._reply(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8\n")
            return None

    def _drain(self, length: int) -> None:
        """Read and drop up to DRAIN bytes: closing on unread data resets the connection,
        and a client still sending would see the reset instead of the reply."""
        left = min(length, DRAIN)
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                return
            left -= len(chunk)

    def _dispatch(self, query: str | None, update: bool) -> None:
        if update:
            return self._reply(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused\n")
        if not query:
            return self._reply(HTTPStatus.BAD_REQUEST, "missing 'query' parameter\n")
        box = self._run(query, time.monotonic() + self.query_timeout)
        error = box.get("error")
        if not box or isinstance(error, QueryLimit):
            reason = str(error or f"query time limit of {self.query_timeout:g} s exceeded")
            return self._reply(HTTPStatus.SERVICE_UNAVAILABLE, reason + "\n")
        if isinstance(error, SyntaxError):
            return self._reply(HTTPStatus.BAD_REQUEST, f"malformed query: {error}\n")
        if error is not None:
            return self._reply(HTTPStatus.BAD_REQUEST, f"query failed: {error}\n")
        media, data = box["answer"]
        self._reply(HTTPStatus.OK, data, media)

    def _run(self, query: str, deadline: float) -> dict:
        """{"answer": (media, bytes)} or {"error": exception}; {} when the deadline came first.

        Oxigraph results may not cross threads, so a worker runs the query and serialises
        the result; it holds one of the MAX_RUNNING slots until it really stops. It is a
        daemon thread, so a query past the limit never blocks shutdown."""
        box: dict = {}
        if not self.slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            return box
        accept = self.headers.get("Accept") or "*/*"

        def work() -> None:
            try:
                box["answer"] = _answer(self.store, query, accept, Limited(deadline, self.query_timeout))
            except Exception as e:  # handed to the request thread, without the frames that
                box["error"] = e.with_traceback(None)  # hold the result, which must die here
            finally:
                self.slots.release()

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        return dict(box)

    def _reply(self, status: HTTPStatus, body: str | bytes, media: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # quiet by default
        pass


class Limited:
    """The file a result is serialised into: it keeps the bytes and raises QueryLimit past
    the deadline or MAX_RESULT bytes, which stops Oxigraph's serialisation (and the query,
    which is evaluated as the solutions are written)."""

    def __init__(self, deadline: float, seconds: float):
        self.deadline, self.seconds = deadline, seconds
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if time.monotonic() > self.deadline:
            raise QueryLimit(f"query time limit of {self.seconds:g} s exceeded")
        if self.size > MAX_RESULT:
            raise QueryLimit(f"result over {MAX_RESULT // 2**20} MiB refused: add a LIMIT or narrow the query")
        self.parts.append(data)
        return len(data)

    def flush(self) -> None:
        pass


def _answer(store: ox.Store, query: str, accept: str, out: Limited) -> tuple[str, bytes]:
    """Run the query and serialise the result in the negotiated type."""
    result = store.query(query, use_default_graph_as_union=True)
    media, fmt = _negotiate(accept, GRAPH_TYPES if isinstance(result, ox.QueryTriples) else RESULT_TYPES)
    result.serialize(out, format=fmt)
    return media, b"".join(out.parts)
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
