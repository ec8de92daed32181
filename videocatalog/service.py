"""The catalog's use cases, on the ports: every architecture calls these (or a remote twin of them).

Each use case takes only the ports it uses: `Videos` (repository, blob store) creates, reads and lists;
`ViewCounter` (a lookup of titles, the view log) counts views and ranks them; `Uploads` (repository, blob
store, job queue, leases) accepts a source once; `Catalog` composes the first two with deletion, which
touches all three stores. An architecture wires the ones it serves.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from videocatalog import config
from videocatalog.errors import Conflict, NotFound, PayloadTooLarge
from videocatalog.model import Source, Video, new_video_id
from videocatalog.ports import BlobStore, JobQueue, Leases, ListQuery, Page, VideoLookup, VideoRepository, ViewLog
from videocatalog.validation import NewVideo

log = logging.getLogger(__name__)
TRENDING_WINDOW_S = 3600
TrendingItems = list[dict[str, Any]]  # named here: inside Catalog, `list` is the method


def source_key(video_id: str) -> str:
    """Where a video's uploaded source lives in the blob store."""
    return f"sources/{video_id}"


class Videos:
    """Create, read, list and open the renditions of videos: the repository and the blob store."""

    def __init__(self, repo: VideoRepository, blobs: BlobStore) -> None:
        self.repo, self.blobs = repo, blobs

    def create(self, new: NewVideo) -> Video:
        """Add a video awaiting its upload."""
        video = Video(id=new_video_id(), title=new.title, description=new.description, tags=new.tags)
        self.repo.add(video)
        return video

    def get(self, video_id: str) -> Video:
        """The video, or NotFound."""
        return _found(self.repo, video_id)

    def list(self, query: ListQuery) -> Page:
        """A page of videos matching the query, newest first."""
        return self.repo.list(query)

    def open_rendition(self, video_id: str, name: str) -> tuple[Iterator[bytes], str]:
        """The bytes and content type of a ready rendition."""
        rendition = self.get(video_id).rendition(name)
        if rendition is None or rendition.status != "ready" or not rendition.key:
            raise NotFound(f"rendition {name} of {video_id} not found")
        return self.blobs.open(rendition.key), rendition.content_type or "application/octet-stream"


class ViewCounter:
    """Count views of existing videos and rank the last hour's: a title lookup and the view log."""

    def __init__(self, lookup: VideoLookup, views: ViewLog, clock: Callable[[], float] = time.time) -> None:
        self.lookup, self.views, self.clock = lookup, views, clock

    def record_view(self, video_id: str) -> None:
        """Count one view of an existing video."""
        _found(self.lookup, video_id)
        self.views.record(video_id, self.clock())

    def trending(self, limit: int = 10) -> TrendingItems:
        """The most viewed videos of the last hour."""
        top = self.views.top(self.clock() - TRENDING_WINDOW_S, limit * 2)
        items = []
        for video_id, views in top:
            video = self.lookup.get(video_id)
            if video is not None:
                items.append({"id": video_id, "title": video.title, "views": views})
        return items[:limit]


class Catalog(Videos, ViewCounter):
    """Every use case but the upload: videos, their views, and deleting a video from all three stores."""

    def __init__(self, repo: VideoRepository, blobs: BlobStore, views: ViewLog,
                 clock: Callable[[], float] = time.time) -> None:
        Videos.__init__(self, repo, blobs)
        ViewCounter.__init__(self, repo, views, clock)

    def delete(self, video_id: str) -> None:
        """Remove the video, its source, its renditions and its views."""
        if not self.repo.delete(video_id):
            raise NotFound(f"video {video_id} not found")
        self.blobs.delete_prefix(source_key(video_id))
        self.blobs.delete_prefix(f"renditions/{video_id}/")
        self.views.forget(video_id)


class Uploads:
    """Accept a video's source once: store it, queue its transcoding, mark it processing."""

    def __init__(self, repo: VideoRepository, blobs: BlobStore, jobs: JobQueue, leases: Leases,
                 max_upload_bytes: int | None = None) -> None:
        # `leases` must be shared by every process that accepts uploads of the same videos.
        self.repo, self.blobs, self.jobs, self.leases = repo, blobs, jobs, leases
        self.max_upload_bytes = max_upload_bytes or config.max_upload_bytes()

    def accept_upload(self, video_id: str, stream: IO[bytes], declared_bytes: int | None) -> Video:
        """Store the source once, mark the video processing and queue its transcoding."""
        self._check_awaiting_upload(video_id)
        if declared_bytes is not None and declared_bytes > self.max_upload_bytes:
            raise PayloadTooLarge(f"upload of {declared_bytes} bytes exceeds {self.max_upload_bytes}")
        with self._upload_held(video_id):
            current = self._check_awaiting_upload(video_id)  # an upload that held it before us may have won
            size = self.blobs.put_stream(source_key(video_id), stream, self.max_upload_bytes)
            # Queue first, then mark: a crash in between leaves a job that still finds the source.
            self.jobs.enqueue({"video_id": video_id})
            video = current.touch(status="processing", source=Source(bytes=size))
            self.repo.save(video)
            return video

    def _check_awaiting_upload(self, video_id: str) -> Video:
        video = _found(self.repo, video_id)
        if video.status != "awaiting_upload":
            raise Conflict(f"video {video_id} already has its upload")
        return video

    @contextmanager
    def _upload_held(self, video_id: str) -> Iterator[None]:
        """Hold the video's upload lease for the block, or refuse at once with 409 if another upload has it."""
        name, owner = f"upload:{video_id}", uuid.uuid4().hex
        if not self.leases.acquire(name, owner, config.upload_lease_s()):
            raise Conflict(f"an upload of video {video_id} is already in progress")
        try:
            yield
        finally:
            try:
                self.leases.release(name, owner)
            except Exception:  # the upload's outcome stands; an unreleased lease ends by its TTL
                log.warning("could not release lease %s; it ends by itself", name, exc_info=True)


def _found(lookup: VideoLookup, video_id: str) -> Video:
    video = lookup.get(video_id)
    if video is None:
        raise NotFound(f"video {video_id} not found")
    return video
