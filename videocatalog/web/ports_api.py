"""The server side of `adapters.http_data`: a service that owns a store serves its port over HTTP.

In the microservices the catalog service serves its VideoRepository and the upload service its
BlobStore this way, so the transcode worker and the upload service run the core's use cases
(`pipeline.process_video`, `Catalog.accept_upload`) on remote ports without copying them.
View functions are named after operations, so WORKSHOP_FAULT can target them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from ..adapters.http_data import page_json, parse_list_params
from ..adapters.sqlite import Database, SqliteRepository
from ..errors import AppError, Conflict, NotFound, ValidationError
from ..model import Rendition, Video
from ..ports import BlobStore


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("body", "must be a JSON object")
    return body


def _record(cls: type, data: dict[str, Any]) -> Any:
    try:
        return cls.from_record(data) if cls is Video else cls(**data)
    except (TypeError, KeyError, ValueError) as exc:
        raise ValidationError("body", f"not a {cls.__name__}: {exc}") from exc


def _arg(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise ValidationError(name, "is required")
    return value


def repository_blueprint(db: Database) -> Blueprint:
    """Videos as records: add, get, save (never re-creates a deleted video), delete, list, update_rendition."""
    repo, bp = SqliteRepository(db), Blueprint("repository", __name__)

    @bp.post("/videos")
    def create_video():
        video = _record(Video, _body())
        if repo.get(video.id) is not None:
            raise Conflict(f"video {video.id} already exists")
        repo.add(video)
        return video.to_record(), 201

    @bp.get("/videos/<video_id>")
    def get_video(video_id: str):
        video = repo.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id} not found")
        return video.to_record()

    @bp.put("/videos/<video_id>")
    def save_video(video_id: str):
        video = _record(Video, _body())
        if video.id != video_id:
            raise ValidationError("id", "does not match the path")
        conn = db.connect()
        conn.execute("BEGIN IMMEDIATE")  # check and write in one transaction: a concurrent delete wins cleanly
        try:
            exists = repo.get(video_id) is not None
            if exists:
                repo.save(video)
        finally:
            conn.execute("COMMIT")
        if not exists:
            raise NotFound(f"video {video_id} not found")
        return {}

    @bp.delete("/videos/<video_id>")
    def delete_video(video_id: str):
        return {"deleted": repo.delete(video_id)}

    @bp.get("/videos")
    def list_videos():
        return page_json(repo.list(parse_list_params(request.args)))

    @bp.post("/videos/<video_id>/renditions")
    def update_rendition(video_id: str):
        video = repo.update_rendition(video_id, _record(Rendition, _body()))
        return {"video": video.to_record() if video else None}

    return bp


def _drain(limit: int = 1 << 20) -> None:
    # Read what the caller still sends (it caps it), so it can read our error on a usable connection.
    while limit > 0 and (chunk := request.stream.read(1 << 16)):
        limit -= len(chunk)


def blob_blueprint(blobs: BlobStore) -> Blueprint:
    """Blobs by key: put (streamed, size-capped), get (streamed), size, delete by prefix."""
    bp = Blueprint("blobs", __name__)

    @bp.put("/blobs")
    def put_blob():
        try:
            return {"bytes": blobs.put_stream(_arg("key"), request.stream, int(_arg("max_bytes")))}
        except AppError:
            _drain()
            raise

    @bp.get("/blobs")
    def get_blob():
        return Response(blobs.open(_arg("key")), content_type="application/octet-stream")

    @bp.get("/blobs/size")
    def blob_size():
        return {"bytes": blobs.size(_arg("key"))}

    @bp.delete("/blobs")
    def delete_blobs():
        return {"deleted": blobs.delete_prefix(_arg("prefix"))}

    return bp

