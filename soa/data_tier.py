"""The SOA's data tier: the one process that opens the shared database and the media store.

It serves entity operations over HTTP to the logic tier: videos as records, blobs and views here, jobs
and locks in data_work.py. No catalog rule lives here, only storage. Views are named after the
operation, so faults can target them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, Response, request

from videocatalog import config
from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.http_data import page_json, parse_list_params
from videocatalog.adapters.sqlite import Database, SqliteRepository, SqliteViewLog
from videocatalog.errors import AppError, Conflict, NotFound, ValidationError
from videocatalog.model import Rendition, Video
from videocatalog.web import install_error_handlers
from videocatalog.web.faults import install_faults

from . import settings
from .data_work import register_work_api
from .wire import arg, body, build, drain


def register_data_api(app: Flask, db: Database, blobs: FilesystemBlobStore) -> None:
    """Serve the entity operations of `db` and `blobs` on `app`."""
    repo, views = SqliteRepository(db), SqliteViewLog(db)

    @app.get("/health")
    def health():
        return {"status": "ok", "tier": "data", "release": config.release()}

    @app.post("/videos")
    def add_video():
        repo.add(build(Video, body()))
        return {}, 201

    @app.get("/videos/<video_id>")
    def get_video(video_id: str):
        video = repo.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id} not found")
        return video.to_record()

    @app.put("/videos/<video_id>")
    def save_video(video_id: str):
        video = build(Video, body())
        if video.id != video_id:
            raise ValidationError("id", "does not match the path")
        repo.save(video)
        return {}

    @app.delete("/videos/<video_id>")
    def delete_video(video_id: str):
        return {"deleted": repo.delete(video_id)}

    @app.get("/videos")
    def list_videos():
        return page_json(repo.list(parse_list_params(request.args)))

    @app.post("/videos/<video_id>/renditions")
    def update_rendition(video_id: str):
        video = repo.update_rendition(video_id, build(Rendition, body()))
        return {"video": video.to_record() if video else None}

    @app.put("/blobs")
    def put_blob():
        try:
            return {"bytes": blobs.put_stream(arg("key"), request.stream, int(arg("max_bytes")))}
        except AppError:
            drain()
            raise

    @app.get("/blobs")
    def get_blob():
        return Response(blobs.open(arg("key")), content_type="application/octet-stream")

    @app.get("/blobs/size")
    def blob_size():
        return {"bytes": blobs.size(arg("key"))}

    @app.delete("/blobs")
    def delete_blobs():
        return {"deleted": blobs.delete_prefix(arg("prefix"))}

    @app.post("/views")
    def record_view():
        data = body()
        views.record(str(data["video_id"]), float(data["at"]))
        return {}, 201

    @app.get("/views/top")
    def top_views():
        return {"items": views.top(float(arg("since")), int(arg("limit")))}

    @app.delete("/views/<video_id>")
    def forget_views(video_id: str):
        views.forget(video_id)
        return {}


def create_app(root: str | None = None) -> Flask:
    """The data tier's Flask app, on the database and media folder below `root`."""
    folder = Path(root) if root else settings.data_dir()
    app = Flask(__name__)
    install_error_handlers(app)
    install_faults(app)

    @app.errorhandler(sqlite3.IntegrityError)
    def duplicate(exc: sqlite3.IntegrityError):
        return Conflict(f"already stored: {exc}").to_dict(), 409

    db = Database(folder / "catalog.db")
    register_data_api(app, db, FilesystemBlobStore(folder / "media"))
    register_work_api(app, db)
    return app
