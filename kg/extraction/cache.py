"""The mention cache: what extraction found in a paper, kept across builds.

Keyed by the SHA-256 of the extractor's fingerprint (tool and extractor versions, every
vocabulary and rules file) and the paper's text, so a rebuild re-extracts only papers
that are new or changed, and a change to a vocabulary or rule invalidates everything it
could affect. One SQLite file: safe to interrupt (a transaction per batch), nothing to
install, and readable by other tools.

A cache is only ever a shortcut: each entry carries a CRC-32 of itself, and a damaged file
(truncated, garbled, not a database) or entry is reported in one line and extracted again,
never read as mentions. A cache that cannot be written (a full disk, a read-only
directory) is an error naming it.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
import sqlite3
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path

from ..errors import KgError
from .packing import Packed

SCHEMA = "CREATE TABLE IF NOT EXISTS mentions (key BLOB PRIMARY KEY, found BLOB NOT NULL) WITHOUT ROWID"
FORMAT = 2  # PRAGMA user_version: each `found` is the CRC-32 of the pickle, then the pickle
DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
CRC = struct.Struct("<I")
log = logging.getLogger("kg")


def paper_key(fingerprint: str, text: str) -> bytes:
    return hashlib.sha256(f"{fingerprint}\0{text}".encode("utf-8")).digest()


class MentionCache:
    """Packed extraction results by paper key, in `<dir>/mentions.sqlite`."""

    def __init__(self, directory: str | Path):
        self.path = Path(directory) / "mentions.sqlite"
        if self.path.parent.exists() and not self.path.parent.is_dir():
            raise KgError(f"{self.path.parent}: is a file; the extraction cache needs a directory")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = connect(self.path)
            except sqlite3.DatabaseError as e:
                self._discard(e)
                self.db = connect(self.path)
        except (OSError, sqlite3.Error) as e:
            raise self.unusable(e) from None

    def get_many(self, keys: list[bytes]) -> dict[bytes, Packed]:
        """The cached results of those keys that have one, and are whole."""
        return self._recovering(lambda: self._select(keys))

    def put_many(self, items: Iterable[tuple[bytes, Packed]]) -> None:
        rows = [(key, seal(pickle.dumps(packed, protocol=5))) for key, packed in items]
        self._recovering(lambda: self._insert(rows))

    def close(self) -> None:
        self.db.close()

    def _select(self, keys: list[bytes]) -> dict[bytes, Packed]:
        found: dict[bytes, Packed] = {}
        damaged = 0
        for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[start:start + 500]
            for key, blob in self.db.execute(
                    f"SELECT key, found FROM mentions WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                payload = unseal(blob)
                if payload is None:
                    damaged += 1
                else:
                    found[key] = pickle.loads(payload)
        if damaged:
            which = "entry (checksum mismatch); extracting its paper" if damaged == 1 else \
                "entries (checksum mismatch); extracting their papers"
            log.warning("%s: %d damaged cache %s again", self.path, damaged, which)
        return found

    def _insert(self, rows: list[tuple[bytes, bytes]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?)", rows)

    def _recovering(self, action):
        """`action()`; if the file proves damaged, `action()` again on an empty cache in its place."""
        try:
            return action()
        except sqlite3.DatabaseError as e:
            self.db.close()
            self._discard(e)
        try:
            self.db = connect(self.path)
            return action()
        except (OSError, sqlite3.Error) as e:
            raise self.unusable(e) from None

    def _discard(self, e: sqlite3.DatabaseError) -> None:
        """Report a damaged cache file and remove it; any other error is raised as `unusable`."""
        if e.sqlite_errorname not in DAMAGED:
            raise self.unusable(e) from None
        log.warning("%s: damaged cache (%s); starting it again, its papers extracted anew", self.path, e)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def unusable(self, e: OSError | sqlite3.Error) -> KgError:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        if self.path.parent.is_dir() and shutil.disk_usage(self.path.parent).free < 1 << 20:
            why += "; the disk is full"
        return KgError(f"{self.path}: cannot use the extraction cache ({why}); --no-cache builds without it")


def connect(path: Path) -> sqlite3.Connection:
    """The cache database at `path`, in this module's format (an older format's rows dropped)."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
            with db:
                db.execute("DROP TABLE IF EXISTS mentions")
                db.execute(f"PRAGMA user_version = {FORMAT}")
        db.execute(SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


def seal(payload: bytes) -> bytes:
    return CRC.pack(zlib.crc32(payload)) + payload


def unseal(blob: bytes) -> bytes | None:
    """The payload of a sealed blob, or None if it is not whole."""
    payload = blob[CRC.size:]
    return payload if len(blob) >= CRC.size and CRC.unpack_from(blob)[0] == zlib.crc32(payload) else None
