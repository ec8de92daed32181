"""The upload service: owns every byte of a video (sources and renditions) in its own media store.

It accepts a source (the core's `Catalog.accept_upload`: store once, queue the transcode job on SQS,
mark the video processing at the catalog), and serves its BlobStore port over HTTP, which the
transcode worker fetches sources from and puts renditions to, and the gateway streams renditions from.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request

from videocatalog import config
from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.http_data import HttpRepository
from videocatalog.adapters.http_retry import RetryingPeer as Peer
from videocatalog.adapters.leases import FlockLeases
from videocatalog.adapters.sqs import SqsJobQueue, sqs_client
from videocatalog.errors import Conflict, NotFound, PayloadTooLarge
from videocatalog.service import Uploads
from videocatalog.web.ports_api import blob_blueprint
from videocatalog.web.serve import serve
from videocatalog.web.service_app import service_app
from videocatalog.web.wire import drain

DECLARED_LENGTH = "X-Declared-Length"  # the client's Content-Length, when the gateway forwards chunked


def build_uploads() -> Uploads:
    """The accept-upload use case on this service's media store, the catalog service and the job queue."""
    repo = HttpRepository(Peer(config.required("CATALOG_URL"), "catalog"))
    jobs = SqsJobQueue(sqs_client(), config.required("TRANSCODE_QUEUE_URL"), keepalive=False)
    data_dir = Path(config.required("DATA_DIR"))
    # Between two HTTP calls to the catalog a concurrent upload could pass the core's status check; an flock
    # on this service's disk holds each video for one upload across our processes, and dies with its holder.
    return Uploads(repo, FilesystemBlobStore(data_dir / "media"), jobs, FlockLeases(data_dir / "locks"))


def _declared_length() -> int | None:
    """The size the client declared: our header if it is ASCII digits ("²".isdigit() is true), else Content-Length."""
    value = request.headers.get(DECLARED_LENGTH)
    return int(value) if value and value.isascii() and value.isdigit() else request.content_length


def create_app() -> Flask:
    """The upload service's Flask app."""
    uploads = build_uploads()
    app = service_app("upload")
    app.register_blueprint(blob_blueprint(uploads.blobs))

    @app.put("/videos/<video_id>/source")
    def upload_source(video_id: str):
        if uploads.repo.get(video_id) is None:  # 404 before anything else, as the contract wants
            raise NotFound(f"video {video_id} not found")
        try:
            video = uploads.accept_upload(video_id, request.stream, _declared_length())
        except (PayloadTooLarge, Conflict):
            drain(1 << 31)  # so the sender, still sending, gets to read the refusal
            raise
        return video.to_record()

    return app


if __name__ == "__main__":
    for name in ("CATALOG_URL", "TRANSCODE_QUEUE_URL", "DATA_DIR"):
        config.required(name)
    serve(create_app, int(config.required("PORT")))
