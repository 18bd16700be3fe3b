"""Persistent embedding cache: one SQLite file per model fingerprint, keyed by sha256(prompt, text).

Each row stores the float32 vector bytes and a CRC32 of key + bytes. A database that fails
its integrity check, or whose metadata disagrees with the model, is moved aside and rebuilt;
rows with a bad checksum or length are dropped (and so re-encoded). Both are reported with a
``CacheCorruptionWarning`` naming the file: a damaged cache is never used silently.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
import warnings
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

SCHEMA_VERSION = "1"
DB_NAME = "embeddings.sqlite3"
_SIDECARS = ("-wal", "-shm")


class CacheCorruptionWarning(UserWarning):
    """The embedding cache was damaged; the damaged part was discarded and will be rebuilt."""


def cache_key(prompt: str, text: str) -> str:
    """Stable key for one (prompt, text) pair."""
    digest = hashlib.sha256()
    for part in (prompt, text):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))  # length-prefixed: ("a", "bc") != ("ab", "c")
        digest.update(data)
    return digest.hexdigest()


def _checksum(key: str, blob: bytes) -> int:
    return zlib.crc32(blob, zlib.crc32(key.encode("ascii")))


class EmbeddingCache:
    """Vectors of one model (``fingerprint``, ``dimension``) under ``directory / fingerprint``."""

    def __init__(self, directory: Path, fingerprint: str, dimension: int) -> None:
        self.path = Path(directory) / fingerprint / DB_NAME
        self.fingerprint = fingerprint
        self.dimension = dimension
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._open()

    # ---------------------------------------------------------------- open

    def _meta(self) -> dict[str, str]:
        return {"schema": SCHEMA_VERSION, "fingerprint": self.fingerprint, "dimension": str(self.dimension)}

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _open(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = None
        try:
            conn = self._connect()
            problem = self._check(conn)
            if problem is None:
                return conn
        except sqlite3.DatabaseError as exc:
            problem = f"unreadable database ({exc})"
        if conn is not None:
            conn.close()
        self._quarantine(problem)
        conn = self._connect()
        self._create(conn)
        return conn

    def _check(self, conn: sqlite3.Connection) -> str | None:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            self._create(conn)
            return None
        (status,) = conn.execute("PRAGMA quick_check").fetchone()
        if status != "ok":
            return f"integrity check failed ({status})"
        if tables != {"meta", "vectors"}:
            return f"unexpected tables {sorted(tables)}"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta != self._meta():
            return f"metadata {meta} does not match {self._meta()}"
        return None

    def _create(self, conn: sqlite3.Connection) -> None:
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors ("
                " key TEXT PRIMARY KEY, vec BLOB NOT NULL, crc INTEGER NOT NULL) WITHOUT ROWID"
            )
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", self._meta().items())

    def _quarantine(self, problem: str) -> None:
        if not self.path.exists():
            return
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        warnings.warn(
            f"embedding cache {self.path} is damaged: {problem}; moved to {aside.name} and rebuilding",
            CacheCorruptionWarning,
            stacklevel=4,
        )
        self.path.rename(aside)
        for suffix in _SIDECARS:
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))

    # ----------------------------------------------------------- read/write

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``keys``; damaged rows are dropped and reported."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, np.ndarray] = {}
        bad: list[str] = []
        expected = self.dimension * 4
        with self._lock:
            for start in range(0, len(keys), 500):  # stay under SQLite's bound-variable limit
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob, crc in self._conn.execute(
                    f"SELECT key, vec, crc FROM vectors WHERE key IN ({marks})", chunk
                ):
                    if not isinstance(blob, bytes) or len(blob) != expected or _checksum(key, blob) != crc:
                        bad.append(key)
                        continue
                    found[key] = np.frombuffer(blob, dtype="<f4").copy()
            if bad:
                with self._conn:
                    self._conn.execute("BEGIN IMMEDIATE")
                    self._conn.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in bad])
        if bad:
            warnings.warn(
                f"embedding cache {self.path}: {len(bad)} damaged row(s) (bad checksum or length) "
                "dropped; they will be re-encoded",
                CacheCorruptionWarning,
                stacklevel=2,
            )
        return found

    def put_many(self, items: Mapping[str, np.ndarray] | Iterable[tuple[str, np.ndarray]]) -> int:
        """Store vectors (float32, length ``dimension``); returns how many were written."""
        pairs = items.items() if isinstance(items, Mapping) else items
        rows = []
        for key, vec in pairs:
            arr = np.asarray(vec, dtype="<f4").reshape(-1)
            if arr.shape[0] != self.dimension:
                raise ValueError(f"vector for {key} has {arr.shape[0]} values, expected {self.dimension}")
            blob = arr.tobytes()
            rows.append((key, blob, _checksum(key, blob)))
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
        return len(rows)

    def __len__(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
