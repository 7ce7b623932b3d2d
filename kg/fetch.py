"""Fetching papers from arXiv and OpenAlex into files `kg build` reads back.

Results are saved in each service's own format (arXiv: one Atom feed, OpenAlex: JSON Lines
of works), so the readers in `kg.readers` need nothing new and a fetch can be inspected or
re-read later. Only the standard library is used. Both services ask clients to be polite:
arXiv wants 3 s between requests, OpenAlex about 10 requests a second and a `mailto` to
reach the faster pool; throttled or failing requests (429, 5xx, no connection) are retried
with backoff, honouring Retry-After. What cannot be fetched ends as a one-line `KgError`.
"""
from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from . import __version__
from .errors import KgError

ARXIV_URL = "http://export.arxiv.org/api/query"
OPENALEX_URL = "https://api.openalex.org/works"
USER_AGENT = f"kg/{__version__} (knowledge-graph builder; Python urllib)"
ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
SOURCES = ("arxiv", "openalex")
for _prefix, _uri in (("", ATOM), ("arxiv", "http://arxiv.org/schemas/atom"), ("opensearch", OPENSEARCH)):
    ET.register_namespace(_prefix, _uri)


@dataclass
class PoliteClient:
    """GET with a pause between requests and retries with exponential backoff."""

    delay: float = 3.0
    retries: int = 4
    backoff: float = 2.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    _last: float = field(default=float("-inf"), repr=False)

    def get(self, url: str) -> bytes:
        """The body of `url`; KgError after a 4xx, or when retries run out."""
        for attempt in range(self.retries + 1):
            self._wait()
            try:
                return self._open(url)
            except urllib.error.HTTPError as e:
                if e.code != 429 and e.code < 500 or attempt == self.retries:
                    raise KgError(f"{_host(url)} answered HTTP {e.code} {e.reason} for {url}") from None
                self.sleep(_retry_after(e) or self.backoff * 2 ** attempt)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                if attempt == self.retries:
                    reason = getattr(e, "reason", e)
                    raise KgError(f"cannot reach {_host(url)} ({reason}) after {self.retries + 1} tries") from None
                self.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _wait(self) -> None:
        pause = self._last + self.delay - time.monotonic()
        if pause > 0:
            self.sleep(pause)

    def _open(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        finally:
            self._last = time.monotonic()


def fetch_papers(source: str, query: str, dest: str | Path, max_results: int = 100, *,
                 base_url: str | None = None, delay: float | None = None, mailto: str | None = None,
                 client: PoliteClient | None = None) -> int:
    """Fetch up to `max_results` papers matching `query` from `source` into `dest`; how many."""
    if source not in SOURCES:
        raise KgError(f"unknown source {source!r} (choose from: {', '.join(SOURCES)})")
    if client is None:
        client = PoliteClient(delay=delay if delay is not None else (3.0 if source == "arxiv" else 0.1))
    if source == "arxiv":
        return fetch_arxiv(query, dest, max_results, base_url=base_url or ARXIV_URL, client=client)
    return fetch_openalex(query, dest, max_results, base_url=base_url or OPENALEX_URL, mailto=mailto, client=client)


def fetch_arxiv(query: str, dest: str | Path, max_results: int = 100, *, page_size: int = 100,
                base_url: str = ARXIV_URL, client: PoliteClient | None = None) -> int:
    """Page through the arXiv API and save every entry in one Atom feed; how many entries."""
    client = client or PoliteClient(delay=3.0)
    feed, entries = None, []
    while len(entries) < max_results:
        params = {"search_query": arxiv_query(query), "start": len(entries),
                  "max_results": min(page_size, max_results - len(entries))}
        page = _parse_xml(client.get(f"{base_url}?{urllib.parse.urlencode(params)}"), base_url)
        found = page.findall(f"{{{ATOM}}}entry")
        feed = feed if feed is not None else page
        entries += found
        if not found or len(entries) >= _total(page):
            break
    _write_feed(feed, entries[:max_results], Path(dest))
    return min(len(entries), max_results)


def fetch_openalex(query: str, dest: str | Path, max_results: int = 100, *, page_size: int = 100,
                   base_url: str = OPENALEX_URL, mailto: str | None = None,
                   client: PoliteClient | None = None) -> int:
    """Page through OpenAlex works by cursor and save them as JSON Lines; how many works."""
    client = client or PoliteClient(delay=0.1)
    lines = []
    for work in _openalex_works(query, max_results, page_size, base_url, mailto, client):
        lines.append(json.dumps(work, ensure_ascii=False))
    _write_atomically(Path(dest), "".join(line + "\n" for line in lines))
    return len(lines)


def arxiv_query(query: str) -> str:
    """arXiv's search_query: as given when it names fields ('ti:grid AND cat:q-bio.NC'),
    else every word searched in all fields."""
    if ":" in query:
        return query
    return " AND ".join(f"all:{word}" for word in query.split())


def _openalex_works(query: str, max_results: int, page_size: int, base_url: str, mailto: str | None,
                    client: PoliteClient) -> Iterator[dict]:
    cursor, count = "*", 0
    while cursor and count < max_results:
        params = {"search": query, "per-page": min(page_size, 200, max_results - count), "cursor": cursor}
        if mailto:
            params["mailto"] = mailto
        page = _parse_json(client.get(f"{base_url}?{urllib.parse.urlencode(params)}"), base_url)
        results = page.get("results") or []
        for work in results[:max_results - count]:
            yield work
        count += len(results)
        cursor = (page.get("meta") or {}).get("next_cursor") if results else None


def _total(feed: ET.Element) -> int:
    text = feed.findtext(f"{{{OPENSEARCH}}}totalResults") or ""
    return int(text) if text.strip().isdigit() else 1 << 62


def _write_feed(feed: ET.Element | None, entries: list[ET.Element], dest: Path) -> None:
    """The first page's feed with the entries of every page, as one document."""
    feed = feed if feed is not None else ET.Element(f"{{{ATOM}}}feed")
    for old in feed.findall(f"{{{ATOM}}}entry"):
        feed.remove(old)
    feed.extend(entries)
    per_page = feed.find(f"{{{OPENSEARCH}}}itemsPerPage")
    if per_page is not None:
        per_page.text = str(len(entries))
    ET.indent(feed, space="  ")
    _write_atomically(dest, ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n")


def _write_atomically(dest: Path, text: str) -> None:
    """Write via a temporary file, so a failed fetch never leaves half a file behind."""
    tmp = dest.with_name(dest.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, dest)
    except OSError as e:
        raise KgError(f"{dest}: cannot write ({e.strerror})") from None


def _parse_xml(body: bytes, url: str) -> ET.Element:
    try:
        return ET.fromstring(body)
    except ET.ParseError as e:
        raise KgError(f"{_host(url)} sent a page that is not XML ({e})") from None


def _parse_json(body: bytes, url: str) -> dict:
    try:
        page = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise KgError(f"{_host(url)} sent a page that is not JSON ({e})") from None
    if not isinstance(page, dict):
        raise KgError(f"{_host(url)} sent JSON that is not a results page")
    return page


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    """Seconds the server asked us to wait (Retry-After in seconds; dates are not honoured)."""
    value = (error.headers or {}).get("Retry-After", "")
    return min(float(value), 300.0) if re.fullmatch(r"\s*\d+(\.\d+)?\s*", value or "") else None


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url
