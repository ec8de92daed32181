"""The SOA's data tier: the one process that opens the shared database and the media store.

It serves entity operations (videos as records, blobs, jobs, views) over HTTP to the logic tier; no
catalog rule lives here, only storage. Views are named after the operation, so faults can target them.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from videocatalog import config
from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.http_data import page_json, parse_list_params
from videocatalog.adapters.sqlite import Database, SqliteJobQueue, SqliteRepository, SqliteViewLog
from videocatalog.errors import AppError, Conflict, NotFound, ValidationError
from videocatalog.model import Rendition, Video
from videocatalog.ports import Job
from videocatalog.web import install_error_handlers
from videocatalog.web.faults import install_faults

from . import settings


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("body", "must be a JSON object")
    return body


def _build(cls: type, data: dict[str, Any]) -> Any:
    try:
        return cls.from_record(data) if cls is Video else cls(**data)
    except (TypeError, KeyError, ValueError) as exc:
        raise ValidationError("body", f"not a {cls.__name__}: {exc}") from exc


def _arg(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise ValidationError(name, "is required")
    return value


def _drain(limit: int = 1 << 20) -> None:
    # Read what the caller still sends (capped by it), so it gets to read our error on a usable connection.
    while limit > 0 and (chunk := request.stream.read(1 << 16)):
        limit -= len(chunk)


def register_data_api(app: Flask, db: Database, blobs: FilesystemBlobStore) -> None:
    """Serve the entity operations of `db` and `blobs` on `app`."""
    repo, jobs, views = SqliteRepository(db), SqliteJobQueue(db), SqliteViewLog(db)

    @app.get("/health")
    def health():
        return {"status": "ok", "tier": "data", "release": config.release()}

    @app.post("/videos")
    def add_video():
        repo.add(_build(Video, _body()))
        return {}, 201

    @app.get("/videos/<video_id>")
    def get_video(video_id: str):
        video = repo.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id} not found")
        return video.to_record()

    @app.put("/videos/<video_id>")
    def save_video(video_id: str):
        video = _build(Video, _body())
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
        video = repo.update_rendition(video_id, _build(Rendition, _body()))
        return {"video": video.to_record() if video else None}

    @app.put("/blobs")
    def put_blob():
        try:
            return {"bytes": blobs.put_stream(_arg("key"), request.stream, int(_arg("max_bytes")))}
        except AppError:
            _drain()
            raise

    @app.get("/blobs")
    def get_blob():
        return Response(blobs.open(_arg("key")), content_type="application/octet-stream")

    @app.get("/blobs/size")
    def blob_size():
        return {"bytes": blobs.size(_arg("key"))}

    @app.delete("/blobs")
    def delete_blobs():
        return {"deleted": blobs.delete_prefix(_arg("prefix"))}

    @app.post("/jobs")
    def enqueue_job():
        jobs.enqueue(_body()["body"])
        return {}, 201

    @app.post("/jobs/claim")
    def claim_job():
        job = jobs.claim(float(_body()["lease_s"]))
        return {"job": vars(job) if job else None}

    @app.post("/jobs/ack")
    def ack_job():
        jobs.ack(_build(Job, _body()))
        return {}

    @app.post("/jobs/release")
    def release_job():
        jobs.release(_build(Job, _body()))
        return {}

    @app.post("/jobs/release-claimed")
    def release_claimed_jobs():
        # Only the logic tier works jobs, and it calls this as it starts: no lease it holds is live.
        cur = db.connect().execute("UPDATE jobs SET visible_at = 0 WHERE visible_at > ?", (time.time(),))
        return {"released": cur.rowcount}

    @app.post("/views")
    def record_view():
        body = _body()
        views.record(str(body["video_id"]), float(body["at"]))
        return {}, 201

    @app.get("/views/top")
    def top_views():
        return {"items": views.top(float(_arg("since")), int(_arg("limit")))}

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

    register_data_api(app, Database(folder / "catalog.db"), FilesystemBlobStore(folder / "media"))
    return app
