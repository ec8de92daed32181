"""The server side of `adapters.http_data`: a service that owns a store serves its port over HTTP.

In the microservices the catalog service serves its VideoRepository and the upload service its
BlobStore this way, so the transcode worker and the upload service run the core's use cases
(`pipeline.process_video`, `Catalog.accept_upload`) on remote ports without copying them. The SOA's
data tier serves all four ports with these blueprints and those of `ports_work`.
View functions are named after operations, so WORKSHOP_FAULT can target them.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from videocatalog.adapters.http_data import page_json, parse_list_params
from videocatalog.adapters.sqlite import Database, SqliteRepository
from videocatalog.errors import AppError, Conflict, NotFound, ValidationError
from videocatalog.model import Rendition, Video
from videocatalog.ports import BlobStore
from videocatalog.web.wire import arg, body, build, drain, int_arg

MAX_BLOB_BYTES = 1 << 62  # what HttpBlobStore.put_file sends: no cap


def repository_blueprint(db: Database, *, checked: bool = True) -> Blueprint:
    """Videos as records: add, get, save, delete, list, update_rendition.

    Checked (a service several others write to): `create_video` refuses a known id and answers the
    record, and a save never re-creates a deleted video. Unchecked (the SOA data tier, storage only):
    `add_video` inserts (its app answers a duplicate's IntegrityError with 409) and a save upserts.
    """
    repo, bp = SqliteRepository(db), Blueprint("repository", __name__)
    if checked:
        _checked_writes(bp, db, repo)
    else:
        _plain_writes(bp, repo)

    @bp.get("/videos/<video_id>")
    def get_video(video_id: str):
        video = repo.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id} not found")
        return video.to_record()

    @bp.delete("/videos/<video_id>")
    def delete_video(video_id: str):
        return {"deleted": repo.delete(video_id)}

    @bp.get("/videos")
    def list_videos():
        return page_json(repo.list(parse_list_params(request.args)))

    @bp.post("/videos/<video_id>/renditions")
    def update_rendition(video_id: str):
        video = repo.update_rendition(video_id, build(Rendition, body()))
        return {"video": video.to_record() if video else None}

    return bp


def _path_video(video_id: str) -> Video:
    video = build(Video, body())
    if video.id != video_id:
        raise ValidationError("id", "does not match the path")
    return video


def _checked_writes(bp: Blueprint, db: Database, repo: SqliteRepository) -> None:
    @bp.post("/videos")
    def create_video():
        video = build(Video, body())
        if repo.get(video.id) is not None:
            raise Conflict(f"video {video.id} already exists")
        repo.add(video)
        return video.to_record(), 201

    @bp.put("/videos/<video_id>")
    def save_video(video_id: str):
        video = _path_video(video_id)
        with db.transaction():  # check and write in one step: a concurrent delete wins cleanly
            exists = repo.get(video_id) is not None
            if exists:
                repo.save(video)
        if not exists:
            raise NotFound(f"video {video_id} not found")
        return {}


def _plain_writes(bp: Blueprint, repo: SqliteRepository) -> None:
    @bp.post("/videos")
    def add_video():
        repo.add(build(Video, body()))
        return {}, 201

    @bp.put("/videos/<video_id>")
    def save_video(video_id: str):
        repo.save(_path_video(video_id))
        return {}


def blob_blueprint(blobs: BlobStore) -> Blueprint:
    """Blobs by key: put (streamed, size-capped), get (streamed), size, delete by prefix."""
    bp = Blueprint("blobs", __name__)

    @bp.put("/blobs")
    def put_blob():
        try:
            return {"bytes": blobs.put_stream(arg("key"), request.stream, int_arg("max_bytes", 0, MAX_BLOB_BYTES))}
        except AppError:
            drain()
            raise

    @bp.get("/blobs")
    def get_blob():
        return Response(blobs.open(arg("key")), content_type="application/octet-stream")

    @bp.get("/blobs/size")
    def blob_size():
        return {"bytes": blobs.size(arg("key"))}

    @bp.delete("/blobs")
    def delete_blobs():
        return {"deleted": blobs.delete_prefix(arg("prefix"))}

    return bp
