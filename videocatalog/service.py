"""The catalog's use cases, on the ports: every architecture calls these (or a remote twin of them)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any, BinaryIO

from . import config
from .errors import Conflict, NotFound, PayloadTooLarge
from .model import Source, Video, new_video_id
from .ports import BlobStore, JobQueue, ListQuery, Page, VideoRepository, ViewLog
from .validation import NewVideo

log = logging.getLogger(__name__)
TRENDING_WINDOW_S = 3600
TrendingItems = list[dict[str, Any]]  # named here: inside Catalog, `list` is the method


def source_key(video_id: str) -> str:
    """Where a video's uploaded source lives in the blob store."""
    return f"sources/{video_id}"


class Catalog:
    """Create, list, search, delete, upload, view and trend videos."""

    def __init__(self, repo: VideoRepository, blobs: BlobStore, jobs: JobQueue, views: ViewLog,
                 max_upload_bytes: int | None = None, clock=time.time) -> None:
        self.repo, self.blobs, self.jobs, self.views = repo, blobs, jobs, views
        self.max_upload_bytes = max_upload_bytes or config.max_upload_bytes()
        self.clock = clock

    def create(self, new: NewVideo) -> Video:
        """Add a video awaiting its upload."""
        video = Video(id=new_video_id(), title=new.title, description=new.description, tags=new.tags)
        self.repo.add(video)
        return video

    def get(self, video_id: str) -> Video:
        """The video, or NotFound."""
        video = self.repo.get(video_id)
        if video is None:
            raise NotFound(f"video {video_id} not found")
        return video

    def list(self, query: ListQuery) -> Page:
        """A page of videos matching the query, newest first."""
        return self.repo.list(query)

    def delete(self, video_id: str) -> None:
        """Remove the video, its source, its renditions and its views."""
        if not self.repo.delete(video_id):
            raise NotFound(f"video {video_id} not found")
        self.blobs.delete_prefix(source_key(video_id))
        self.blobs.delete_prefix(f"renditions/{video_id}/")
        self.views.forget(video_id)

    def accept_upload(self, video_id: str, stream: BinaryIO, declared_bytes: int | None) -> Video:
        """Store the source once, mark the video processing and queue its transcoding."""
        video = self.get(video_id)
        if video.status != "awaiting_upload":
            raise Conflict(f"video {video_id} already has its upload")
        if declared_bytes is not None and declared_bytes > self.max_upload_bytes:
            raise PayloadTooLarge(f"upload of {declared_bytes} bytes exceeds {self.max_upload_bytes}")
        size = self.blobs.put_stream(source_key(video_id), stream, self.max_upload_bytes)
        current = self.get(video_id)
        if current.status != "awaiting_upload":  # a concurrent upload won the race
            raise Conflict(f"video {video_id} already has its upload")
        # Queue first, then mark: a crash in between leaves a job that still finds the source.
        self.jobs.enqueue({"video_id": video_id})
        video = current.touch(status="processing", source=Source(bytes=size))
        self.repo.save(video)
        return video

    def open_rendition(self, video_id: str, name: str) -> tuple[Iterator[bytes], str]:
        """The bytes and content type of a ready rendition."""
        rendition = self.get(video_id).rendition(name)
        if rendition is None or rendition.status != "ready" or not rendition.key:
            raise NotFound(f"rendition {name} of {video_id} not found")
        return self.blobs.open(rendition.key), rendition.content_type or "application/octet-stream"

    def record_view(self, video_id: str) -> None:
        """Count one view of an existing video."""
        self.get(video_id)
        self.views.record(video_id, self.clock())

    def trending(self, limit: int = 10) -> TrendingItems:
        """The most viewed videos of the last hour."""
        top = self.views.top(self.clock() - TRENDING_WINDOW_S, limit * 2)
        items = []
        for video_id, views in top:
            video = self.repo.get(video_id)
            if video is not None:
                items.append({"id": video_id, "title": video.title, "views": views})
        return items[:limit]
