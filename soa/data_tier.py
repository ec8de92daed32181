"""The SOA's data tier: the one process that opens the shared database and the media store.

It serves entity operations over HTTP to the logic tier with the core's port blueprints (videos as
records, blobs, jobs, views; `videocatalog.web.ports_api`) and its own leases (`leases.py`). No catalog
rule lives here, only storage. Views are named after the operation, so faults can target them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask

from soa import settings
from soa.leases import lease_blueprint
from videocatalog import config
from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.sqlite import Database, SqliteViewLog
from videocatalog.errors import Conflict
from videocatalog.web import install_error_handlers
from videocatalog.web.faults import install_faults
from videocatalog.web.ports_api import blob_blueprint, repository_blueprint
from videocatalog.web.ports_work import job_blueprint, view_blueprint


def create_app(root: str | None = None) -> Flask:
    """The data tier's Flask app, on the database and media folder below `root`."""
    folder = Path(root) if root else settings.data_dir()
    app = Flask(__name__)
    install_error_handlers(app)
    install_faults(app)

    @app.get("/health")
    def health():
        return {"status": "ok", "tier": "data", "release": config.release()}

    @app.errorhandler(sqlite3.IntegrityError)
    def duplicate(exc: sqlite3.IntegrityError):
        return Conflict(f"already stored: {exc}").to_dict(), 409

    db = Database(folder / "catalog.db")
    for blueprint in (repository_blueprint(db, checked=False), blob_blueprint(FilesystemBlobStore(folder / "media")),
                      view_blueprint(SqliteViewLog(db)), job_blueprint(db), lease_blueprint(db)):
        app.register_blueprint(blueprint)
    return app
