"""Leases: short exclusive holds on a name, so that exactly one upload of a video proceeds.

A holder that dies never blocks the name for good: a memory or SQLite lease ends by its TTL, and an
flock is dropped by the kernel with the process. `Catalog.accept_upload` holds `upload:<id>` around
its check-store-mark steps, which concurrent requests in other processes (gunicorn workers, SOA tiers,
service replicas) could otherwise interleave. Serverless does not need it: S3 takes the upload itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

from videocatalog.adapters.sqlite import Database

SCHEMA = "CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL)"


class MemoryLeases:
    """Leases within one process (the in-memory fake, and the default when nothing is shared)."""

    def __init__(self, clock=time.monotonic) -> None:
        self._held: dict[str, tuple[str, float]] = {}
        self._mutex = threading.Lock()
        self.clock = clock

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        """Take the lease on `name` for `owner` unless someone else holds it."""
        with self._mutex:
            now = self.clock()
            holder = self._held.get(name)
            if holder is not None and holder[1] > now:
                return False
            self._held[name] = (owner, now + ttl_s)
            return True

    def release(self, name: str, owner: str) -> None:
        """Give the lease back (only its owner can)."""
        with self._mutex:
            if self._held.get(name, ("", 0.0))[0] == owner:
                del self._held[name]


class SqliteLeases:
    """Leases in a SQLite file, shared by every process that opens it (the monolith's gunicorn workers)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.connect().execute(SCHEMA)

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        """Take the lease on `name` for `owner` unless someone else holds it."""
        with self.db.transaction() as conn:  # the check and the insert are one step
            now = time.time()
            conn.execute("DELETE FROM leases WHERE name = ? AND expires_at <= ?", (name, now))
            taken = conn.execute("INSERT OR IGNORE INTO leases (name, owner, expires_at) VALUES (?, ?, ?)",
                                 (name, owner, now + ttl_s)).rowcount == 1
        return taken

    def release(self, name: str, owner: str) -> None:
        """Give the lease back (only its owner can)."""
        self.db.connect().execute("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))

    def clear(self) -> int:
        """Drop every lease; only when no holder can be alive (the one unit that uses them is starting)."""
        return self.db.connect().execute("DELETE FROM leases").rowcount


class FlockLeases:
    """Leases as flocks on files in a folder: shared by the processes on one disk, dropped when a holder dies.

    The TTL is not needed: the kernel releases an flock when its process ends.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._fds: dict[tuple[str, str], int] = {}
        self._mutex = threading.Lock()

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        """Take the lease on `name` for `owner` unless another open file holds it."""
        path = self.folder / f"{name.replace('/', '_')}.lock"
        while True:
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                same_file = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same_file = False
            if same_file:
                break
            os.close(fd)  # the holder before us unlinked this file on release: lock the current one instead
        with self._mutex:
            self._fds[(name, owner)] = fd
        return True

    def release(self, name: str, owner: str) -> None:
        """Give the lease back (only its owner can) and remove its file, so the folder does not grow."""
        with self._mutex:
            fd = self._fds.pop((name, owner), None)
        if fd is not None:
            # Unlink while still holding: anyone who opened the old file sees it is gone and retries.
            (self.folder / f"{name.replace('/', '_')}.lock").unlink(missing_ok=True)
            os.close(fd)
