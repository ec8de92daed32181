"""Composition root of the monolith: SQLite (WAL), a media folder, and the catalog behind the API."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from videocatalog import config, pipeline
from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.leases import SqliteLeases
from videocatalog.adapters.sqlite import Database, SqliteJobQueue, SqliteRepository, SqliteViewLog
from videocatalog.service import Catalog, Uploads
from videocatalog.transcode import FfmpegTranscoder
from videocatalog.web import install_error_handlers
from videocatalog.web.api import register_api
from videocatalog.web.faults import install_faults

log = logging.getLogger("monolith")


def data_dir() -> Path:
    """The monolith's database and media folder."""
    return config.state_dir() / "monolith"


@dataclass
class Unit:
    """The monolith's use cases and the ports its in-unit transcoder works on, wired once per process."""

    catalog: Catalog
    uploads: Uploads
    repo: SqliteRepository
    blobs: FilesystemBlobStore
    jobs: SqliteJobQueue


def build_unit(root: Path | None = None) -> Unit:
    """The use cases on SQLite and the filesystem below `root`."""
    root = root or data_dir()
    db = Database(root / "catalog.db")
    repo, blobs, jobs = SqliteRepository(db), FilesystemBlobStore(root / "media"), SqliteJobQueue(db)
    uploads = Uploads(repo, blobs, jobs, SqliteLeases(db))  # leases shared by the gunicorn workers
    return Unit(Catalog(repo, blobs, SqliteViewLog(db)), uploads, repo, blobs, jobs)


def create_app(root: str | None = None) -> Flask:
    """The monolith's Flask app."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    unit = build_unit(Path(root) if root else None)
    install_error_handlers(app)
    install_faults(app)
    register_api(app, unit.catalog, "monolith", unit.uploads)
    return app


def run_transcoder(unit: Unit, stop: threading.Event, idle_s: float = 0.5) -> None:
    """Work through queued transcoding jobs until `stop` is set (runs in a thread of each web worker)."""
    transcoder = FfmpegTranscoder()
    pipeline.work_until(stop, lambda: pipeline.work_once(unit.repo, unit.blobs, unit.jobs, transcoder), idle_s)


def start_transcoder_thread(root: Path | None = None) -> threading.Event:
    """Start the in-unit transcoder in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    unit = build_unit(root)
    threading.Thread(target=run_transcoder, args=(unit, stop), name="transcoder", daemon=True).start()
    return stop


def release_interrupted_uploads(root: Path | None = None) -> int:
    """Drop the upload leases of a unit that stopped mid-upload (run once at start), so a retry is not refused."""
    db = Database((root or data_dir()) / "catalog.db")
    try:
        return SqliteLeases(db).clear()
    finally:
        db.connect().close()  # opened in gunicorn's master: never hand it to forked workers


def release_jobs_of(pid: int, root: Path | None = None) -> int:
    """Make the jobs a worker that exited had claimed visible again (run by gunicorn's master), so a crashed
    worker's transcode is redone now rather than when its lease ends minutes later."""
    db = Database((root or data_dir()) / "catalog.db")
    try:
        return SqliteJobQueue(db).release_claimed_by(pid)
    finally:
        db.connect().close()  # opened in gunicorn's master: never hand it to forked workers


def release_interrupted_jobs(root: Path | None = None) -> int:
    """Make jobs claimed by a unit that stopped mid-transcode visible again (run once at start)."""
    db = Database((root or data_dir()) / "catalog.db")
    conn = db.connect()
    try:
        return conn.execute("UPDATE jobs SET visible_at = ? WHERE visible_at > ?", (0, time.time())).rowcount
    finally:
        conn.close()  # opened in gunicorn's master: never hand it to forked workers
