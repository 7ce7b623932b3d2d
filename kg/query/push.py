"""`kg push`: upload a graph to an existing SPARQL server with the SPARQL 1.1 Graph Store
HTTP Protocol (Oxigraph server, Apache Jena Fuseki, Virtuoso, GraphDB all speak it).

One HTTP PUT of the whole file to ENDPOINT?graph=IRI: the server replaces that named graph
with the new content in one operation, so readers see the old graph or the new one, never a
half-loaded mix.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse

from ..errors import InputError, KgError

MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
         ".rdf": "application/rdf+xml"}
DEFAULT_GRAPH = "https://w3id.org/kg/graph"


def push(graph_file: str | Path, endpoint: str, graph: str = DEFAULT_GRAPH, user: str | None = None,
         password: str | None = None, timeout: float = 600) -> int:
    """PUT the file into the named graph at the Graph Store endpoint; returns the HTTP status."""
    path = Path(graph_file)
    if not path.is_file():
        raise InputError(path, "no such graph file")
    media = MEDIA.get(path.suffix.lower())
    if media is None:
        raise InputError(path, f"cannot push this format (use one of: {', '.join(sorted(MEDIA))})")
    if urlparse(endpoint).scheme not in {"http", "https"}:
        raise KgError(f"endpoint must be an http(s) URL, not {endpoint!r}")
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode({'graph': graph})}"
    request = urllib.request.Request(url, data=path.read_bytes(), method="PUT", headers={"Content-Type": media})
    try:
        with _opener(endpoint, user, password).open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace").strip().splitlines()[:1]
        raise KgError(f"{endpoint}: the server refused the upload (HTTP {e.code}{': ' + detail[0] if detail else ''})") from None
    except urllib.error.URLError as e:
        raise KgError(f"{endpoint}: cannot reach the server ({e.reason})") from None


def _opener(endpoint: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    if not user:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, endpoint, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))
