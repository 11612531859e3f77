"""A small SQLite cache so repeated scans do not repeat queries (SC-02).

One table of JSON payloads keyed by (namespace, key) with the time stored:

* advisories: namespace = the source's identity (service URL, or the local
  database fingerprint), key = the component's purl with version;
* EPSS scores: namespace ``epss <url>``, key = CVE id;
* the KEV catalog: namespace ``kev``, key = its URL.

Entries older than the TTL are ignored (and replaced on the next store). The
default location is the user cache directory (``platformdirs``, which honours
``XDG_CACHE_HOME``): ``~/.cache/mtf-attest/vulns.sqlite3`` on Linux.

The cache is an optimisation only: if it cannot be opened or written, the
scan goes on without it and says so (``problem``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from platformdirs import user_cache_path

from mtf_action.vulns.options import DEFAULT_TTL

FILE_NAME = "vulns.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    stored REAL NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
)
"""
_CHUNK = 500  # SQLite host-parameter limit is 999 on old builds


def default_cache_dir() -> Path:
    return user_cache_path("mtf-attest", appauthor=False)


class VulnCache:
    """JSON payloads with a time-to-live, in one SQLite file."""

    def __init__(
        self,
        directory: Path,
        ttl: float = DEFAULT_TTL,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = directory / FILE_NAME
        self.ttl = ttl
        self.clock = clock
        self.problem: str | None = None
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            self._disable(exc)

    @property
    def usable(self) -> bool:
        return self._db is not None

    def get_many(self, namespace: str, keys: Iterable[str], *, raw: bool = False) -> dict[str, Any]:
        """Fresh payloads for the keys that have one (decoded JSON; the JSON text if ``raw``)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        if self._db is None:
            self.misses += len(wanted)
            return found
        oldest = self.clock() - self.ttl
        try:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, payload FROM entries WHERE namespace = ? AND stored >= ? "
                    f"AND key IN ({marks})",
                    (namespace, oldest, *chunk),
                ).fetchall()
                for key, payload in rows:
                    found[key] = payload if raw else json.loads(payload)
        except (sqlite3.Error, ValueError) as exc:
            self._disable(exc)
            found = {}
        self.hits += len(found)
        self.misses += len(wanted) - len(found)
        return found

    def get(self, namespace: str, key: str) -> Any | None:
        return self.get_many(namespace, [key]).get(key)

    def put_many(self, namespace: str, items: dict[str, Any]) -> None:
        if self._db is None or not items:
            return
        now = self.clock()
        rows = [(namespace, key, now, json.dumps(value)) for key, value in items.items()]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries (namespace, key, stored, payload) "
                    "VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as exc:
            self._disable(exc)

    def put(self, namespace: str, key: str, value: Any) -> None:
        self.put_many(namespace, {key: value})

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _disable(self, exc: Exception) -> None:
        self.problem = f"vulnerability cache {self.path} not used: {exc}"
        if self._db is not None:
            self._db.close()
        self._db = None
