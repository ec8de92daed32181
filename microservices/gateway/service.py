"""The gateway: the public API of the contract (JWT auth, validation, URLs), routed to the services.

It owns no data. `register_api` is the same blueprint the monolith serves; only its backend differs.
"""

from __future__ import annotations

from flask import Flask
from routes import GatewayCatalog

from videocatalog import config
from videocatalog.adapters.http_retry import RetryingPeer as Peer
from videocatalog.web import install_error_handlers
from videocatalog.web.api import register_api
from videocatalog.web.faults import install_faults
from videocatalog.web.serve import serve

PEERS = {"catalog": "CATALOG_URL", "upload": "UPLOAD_URL", "analytics": "ANALYTICS_URL"}


def create_app() -> Flask:
    """The gateway's Flask app."""
    peers = {name: Peer(config.required(var), name) for name, var in PEERS.items()}
    app = Flask("gateway")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    install_error_handlers(app)
    install_faults(app)
    register_api(app, GatewayCatalog(**peers), "microservices")
    return app


if __name__ == "__main__":
    for variable in PEERS.values():
        config.required(variable)  # fail fast, before gunicorn forks
    serve(create_app, int(config.required("PORT")))
