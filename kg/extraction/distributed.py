"""Extraction on an existing Dask cluster (`kg build --scheduler ADDRESS`).

The extractor spec is scattered to every worker once; batches of (title, abstract) are
submitted a window at a time (so the client never holds the whole corpus in flight) and
gathered in order. Each worker builds the pipeline once and keeps it (`extractor_for`).
Workers need `kg` installed, the same version as the client (the spec's fingerprint
covers it, and Dask checks package versions on connect).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from ..errors import KgError
from .runner import ExtractorSpec

WINDOW = 64  # batches in flight


def run_on_dask(func: Callable[[list, ExtractorSpec], list], batches: Iterable[list], spec: ExtractorSpec,
                address: str) -> Iterator[list]:
    """`func(batch, spec)` per batch on the cluster, results in submission order."""
    client = _connect(address)
    try:
        spec_future = client.scatter(spec, broadcast=True)
        pending: deque = deque()
        for texts in batches:
            pending.append(client.submit(func, texts, spec_future, pure=False))
            if len(pending) >= WINDOW:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()


def _connect(address: str):
    try:
        from dask.distributed import Client
    except ImportError:
        raise KgError("--scheduler needs Dask: pip install 'kg[distributed]'") from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise KgError(f"cannot reach the Dask scheduler at {address}: {e}") from None
