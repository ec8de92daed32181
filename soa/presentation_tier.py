"""The SOA's presentation tier: the public edge (routing, JWT auth, validation, URLs) over the logic tier.

It serves the contract with the same blueprint as the monolith, from a `RemoteCatalog` instead of a
local `Catalog`: the edge is identical, only the backend is one network hop away.
"""

from __future__ import annotations

from flask import Flask

from soa import settings
from soa.remote_catalog import RemoteCatalog
from videocatalog.adapters.http_peer import Peer
from videocatalog.web import install_error_handlers
from videocatalog.web.api import register_api
from videocatalog.web.faults import install_faults


def create_app() -> Flask:
    """The presentation tier's Flask app; needs SOA_LOGIC_URL."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    catalog = RemoteCatalog(Peer(settings.logic_url(), name="logic tier"))
    install_error_handlers(app)
    install_faults(app)
    register_api(app, catalog, "soa")
    return app
