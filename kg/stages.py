"""Where a build's time goes: seconds per stage, kept in the build's result and printed.

A researcher whose rebuild is slow should see whether it was extraction (new papers) or
the stages over the whole corpus (linking, statistics, writing), without a profiler.
Each stage also ends with `settle()`: what it made lives on, so collections skip it.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from .heap import settle


class Stopwatch:
    """Seconds per named stage, in the order stages first ran (a repeated name adds up)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            settle()

    def summary(self) -> str:
        """"read 1.2 s, extract 3.4 s, ..." (tenths of a second)."""
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())
