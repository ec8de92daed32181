"""The upload leases over HTTP: the data tier keeps them in its database, the logic tier's processes share them.

`Catalog.accept_upload` holds `upload:<id>` around its check-store-mark steps, which here are several
network calls apart; with the leases in the data tier, exactly one upload of a video proceeds across
all logic-tier processes and the others get 409 at once.
"""

from __future__ import annotations

from flask import Blueprint

from videocatalog.adapters.http_peer import Peer
from videocatalog.adapters.leases import SqliteLeases
from videocatalog.adapters.sqlite import Database
from videocatalog.web.wire import arg, body, number_field, text_field


def lease_blueprint(db: Database) -> Blueprint:
    """The leases of `db` over HTTP, for HttpLeases: acquire, release."""
    leases, bp = SqliteLeases(db), Blueprint("leases", __name__)

    @bp.post("/leases")
    def acquire_lease():
        data = body()
        name, owner, ttl_s = text_field(data, "name"), text_field(data, "owner"), number_field(data, "ttl_s", minimum=0)
        return {"acquired": leases.acquire(name, owner, ttl_s)}

    @bp.delete("/leases")
    def release_lease():
        leases.release(arg("name"), arg("owner"))
        return {}

    return bp


class HttpLeases:
    """The Leases port on the data tier, from the logic tier."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool:
        """Take the lease on `name` for `owner` unless someone else holds it."""
        return bool(self.peer.call("POST", "/leases", json={"name": name, "owner": owner, "ttl_s": ttl_s})["acquired"])

    def release(self, name: str, owner: str) -> None:
        """Give the lease back (only its owner can)."""
        self.peer.call("DELETE", "/leases", params={"name": name, "owner": owner})
