"""Named leases kept by the data tier, so the logic tier's processes can take turns on one video.

`Catalog.accept_upload` checks the status, stores the source, then marks the video: between the check
and the mark, a concurrent upload of the same video would pass too. In one process that window is
tiny; across tiers it is several network calls wide. The logic tier holds `upload:<id>` around the
whole use case, so exactly one upload of a video proceeds and the others get 409 at once.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint

from videocatalog.adapters.http_peer import Peer
from videocatalog.adapters.sqlite import Database
from videocatalog.errors import Conflict, Unavailable
from videocatalog.web.wire import arg, body

log = logging.getLogger(__name__)
SCHEMA = "CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL)"


class SqliteLocks:
    """Leases in the data tier's database: a lease that is not released ends by itself after its TTL."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.connect().execute(SCHEMA)

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        """Take the lease on `name` for `owner` unless someone else holds it."""
        conn = self.db.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            now = time.time()
            conn.execute("DELETE FROM locks WHERE name = ? AND expires_at <= ?", (name, now))
            taken = conn.execute("INSERT OR IGNORE INTO locks (name, owner, expires_at) VALUES (?, ?, ?)",
                                 (name, owner, now + ttl_s)).rowcount == 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return taken

    def release(self, name: str, owner: str) -> None:
        """Give the lease back (only its owner can)."""
        self.db.connect().execute("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))


def lock_blueprint(db: Database) -> Blueprint:
    """The leases of `db` over HTTP, for HttpLocks: acquire, release."""
    locks, bp = SqliteLocks(db), Blueprint("locks", __name__)

    @bp.post("/locks")
    def acquire_lock():
        data = body()
        return {"acquired": locks.acquire(str(data["name"]), str(data["owner"]), float(data["ttl_s"]))}

    @bp.delete("/locks")
    def release_lock():
        locks.release(arg("name"), arg("owner"))
        return {}

    return bp


class HttpLocks:
    """The leases over HTTP, from the logic tier."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    @contextmanager
    def held(self, name: str, ttl_s: float, busy_message: str) -> Iterator[None]:
        """Hold `name` for the block; raises Conflict(`busy_message`) when another holder has it."""
        owner = uuid.uuid4().hex
        body = {"name": name, "owner": owner, "ttl_s": ttl_s}
        if not self.peer.call("POST", "/locks", json=body)["acquired"]:
            raise Conflict(busy_message)
        try:
            yield
        finally:
            try:
                self.peer.call("DELETE", "/locks", params={"name": name, "owner": owner})
            except Unavailable:  # the work is done or failed already; the lease ends by its TTL
                log.warning("could not release lock %s; it expires in %g s", name, ttl_s)
