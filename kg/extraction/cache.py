"""The mention cache: what extraction found in a paper, kept across builds.

Keyed by the SHA-256 of the extractor's fingerprint (tool and extractor versions, every
vocabulary and rules file) and the paper's text, so a rebuild re-extracts only papers
that are new or changed, and a change to a vocabulary or rule invalidates everything it
could affect. One SQLite file: safe to interrupt (a transaction per batch), nothing to
install, and readable by other tools.
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from .packing import Packed

SCHEMA = "CREATE TABLE IF NOT EXISTS mentions (key BLOB PRIMARY KEY, found BLOB NOT NULL) WITHOUT ROWID"


def paper_key(fingerprint: str, text: str) -> bytes:
    return hashlib.sha256(f"{fingerprint}\0{text}".encode("utf-8")).digest()


class MentionCache:
    """Packed extraction results by paper key, in `<dir>/mentions.sqlite`."""

    def __init__(self, directory: str | Path):
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.path = Path(directory) / "mentions.sqlite"
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(SCHEMA)

    def get_many(self, keys: list[bytes]) -> dict[bytes, Packed]:
        """The cached results of those keys that have one."""
        found: dict[bytes, Packed] = {}
        for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[start:start + 500]
            rows = self.db.execute(f"SELECT key, found FROM mentions WHERE key IN ({','.join('?' * len(chunk))})",
                                   chunk)
            found.update((key, pickle.loads(blob)) for key, blob in rows)
        return found

    def put_many(self, items: Iterable[tuple[bytes, Packed]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?)",
                                ((key, pickle.dumps(packed, protocol=5)) for key, packed in items))

    def close(self) -> None:
        self.db.close()
