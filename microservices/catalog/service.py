"""The catalog service: owns video metadata (its own SQLite), serves listing, search and state changes.

Its API is the VideoRepository port over HTTP (`videocatalog.web.ports_api`): the gateway lists and
reads through it, the upload service and the transcode worker record state changes through it.
Nobody else opens its database.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from videocatalog import config
from videocatalog.adapters.sqlite import Database
from videocatalog.web.ports_api import repository_blueprint
from videocatalog.web.serve import serve
from videocatalog.web.service_app import service_app


def data_dir() -> Path:
    """Where the catalog keeps its database (required: each service names its own store)."""
    return Path(config.required("DATA_DIR"))


def create_app() -> Flask:
    """The catalog service's Flask app."""
    app = service_app("catalog")
    app.register_blueprint(repository_blueprint(Database(data_dir() / "catalog.db")))
    return app


if __name__ == "__main__":
    data_dir()  # fail fast in the master, before any worker starts
    serve(create_app, int(config.required("PORT")))
