"""The Flask app every microservice starts from: JSON errors, the configured fault, and /health."""

from __future__ import annotations

import os

from flask import Flask

from videocatalog import config
from videocatalog.web.errors import install_error_handlers
from videocatalog.web.faults import install_faults


def service_app(service: str) -> Flask:
    """A Flask app for `service` with the shared error handling, faults and a /health endpoint."""
    app = Flask(service)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    install_error_handlers(app)
    install_faults(app)

    @app.get("/health")
    def get_health():
        return {"status": "ok", "service": service, "release": config.release(), "pid": os.getpid()}

    return app
