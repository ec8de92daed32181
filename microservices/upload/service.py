"""The upload service: owns every byte of a video (sources and renditions) in its own media store.

It accepts a source (the core's `Catalog.accept_upload`: store once, queue the transcode job on SQS,
mark the video processing at the catalog), and serves its BlobStore port over HTTP, which the
transcode worker fetches sources from and puts renditions to, and the gateway streams renditions from.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, request

from videocatalog import config
from videocatalog.adapters.filesystem import FilesystemBlobStore
from videocatalog.adapters.http_data import HttpRepository
from videocatalog.adapters.http_retry import RetryingPeer as Peer
from videocatalog.adapters.sqs import SqsJobQueue, sqs_client
from videocatalog.errors import Conflict, PayloadTooLarge
from videocatalog.service import Catalog
from videocatalog.web.ports_api import blob_blueprint
from videocatalog.web.serve import serve
from videocatalog.web.service_app import service_app
from videocatalog.web.wire import drain

DECLARED_LENGTH = "X-Declared-Length"  # the client's Content-Length, when the gateway forwards chunked


def build_catalog() -> Catalog:
    """The accept-upload use case on this service's media store, the catalog service and the job queue."""
    repo = HttpRepository(Peer(config.required("CATALOG_URL"), "catalog"))
    jobs = SqsJobQueue(sqs_client(), config.required("TRANSCODE_QUEUE_URL"), keepalive=False)
    blobs = FilesystemBlobStore(Path(config.required("DATA_DIR")) / "media")
    return Catalog(repo, blobs, jobs, views=None)  # type: ignore[arg-type]


@contextmanager
def one_upload_at_a_time(video_id: str) -> Iterator[None]:
    """Refuse a second upload of a video while one is in progress, in any process of this service.

    The core checks the video's status before and after storing, but between two HTTP calls to the
    catalog a concurrent upload could pass both checks; an flock on this service's disk closes that
    gap, and the kernel drops it if the process dies, so no lock outlives a crash.
    """
    folder = Path(config.required("DATA_DIR")) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{video_id}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict(f"video {video_id} is being uploaded") from None
        yield
    finally:
        os.close(fd)


def _declared_length() -> int | None:
    value = request.headers.get(DECLARED_LENGTH)
    return int(value) if value and value.isdigit() else request.content_length


def create_app() -> Flask:
    """The upload service's Flask app."""
    catalog = build_catalog()
    app = service_app("upload")
    app.register_blueprint(blob_blueprint(catalog.blobs))

    @app.put("/videos/<video_id>/source")
    def upload_source(video_id: str):
        catalog.get(video_id)  # 404 before anything else, as the contract wants
        try:
            with one_upload_at_a_time(video_id):
                video = catalog.accept_upload(video_id, request.stream, _declared_length())
        except (PayloadTooLarge, Conflict):
            drain(1 << 31)  # so the sender, still sending, gets to read the refusal
            raise
        return video.to_record()

    return app


if __name__ == "__main__":
    for name in ("CATALOG_URL", "TRANSCODE_QUEUE_URL", "DATA_DIR"):
        config.required(name)
    serve(create_app, int(config.required("PORT")))
