"""Ports: what the domain needs from storage and messaging, whatever the architecture."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from videocatalog.model import Rendition, Source, Video


@dataclass(frozen=True)
class ListQuery:
    """Filters and page of `GET /videos`; `after` is the decoded cursor (created_at, id)."""

    q: str | None = None
    tag: str | None = None
    status: str | None = None
    limit: int = 20
    after: tuple[str, str] | None = None


@dataclass(frozen=True)
class Page:
    """One page of videos, newest first, and where the next page starts."""

    items: list[Video]
    next_after: tuple[str, str] | None = None


@dataclass
class Job:
    """A unit of asynchronous work; `receipt` lets the queue acknowledge it."""

    body: dict[str, Any]
    receipt: str
    attempts: int = 1
    meta: dict[str, Any] = field(default_factory=dict)


class VideoLookup(Protocol):
    """Finds a video by id: the part of a repository that counting views needs."""

    def get(self, video_id: str) -> Video | None: ...


class VideoRepository(Protocol):
    """Stores videos; `update_rendition` must be atomic against concurrent renditions."""

    def add(self, video: Video) -> None: ...
    def get(self, video_id: str) -> Video | None: ...
    def save(self, video: Video) -> None: ...
    def delete(self, video_id: str) -> bool: ...
    def list(self, query: ListQuery) -> Page: ...
    def update_rendition(self, video_id: str, rendition: Rendition) -> Video | None: ...


class Transcoder(Protocol):
    """Probes a source file and makes one rendition of it (ffmpeg in `transcode.FfmpegTranscoder`)."""

    def probe(self, path: str) -> Source: ...
    def render(self, src_path: str, rendition: Rendition, source: Source, out_path: str) -> Rendition: ...


class BlobStore(Protocol):
    """Stores media by key (sources and renditions)."""

    def put_stream(self, key: str, stream: IO[bytes], max_bytes: int) -> int: ...
    def put_file(self, key: str, path: str) -> int: ...
    def get_to_file(self, key: str, path: str) -> None: ...
    def open(self, key: str) -> Iterator[bytes]: ...
    def size(self, key: str) -> int | None: ...
    def delete_prefix(self, prefix: str) -> int: ...


class JobQueue(Protocol):
    """At-least-once work queue: a claimed job reappears unless acked before its lease ends."""

    def enqueue(self, body: dict[str, Any]) -> None: ...
    def claim(self, lease_s: float) -> Job | None: ...
    def ack(self, job: Job) -> None: ...
    def release(self, job: Job, delay_s: float = 0) -> None: ...  # visible again after delay_s


class Leases(Protocol):
    """Exclusive, expiring holds on names, shared by every process that runs a use case."""

    def acquire(self, name: str, owner: str, ttl_s: float) -> bool: ...
    def release(self, name: str, owner: str) -> None: ...


class ViewLog(Protocol):
    """Counts views per video over time, for trending."""

    def record(self, video_id: str, at: float) -> None: ...
    def top(self, since: float, limit: int) -> list[tuple[str, int]]: ...
    def forget(self, video_id: str) -> None: ...


def page_from(newest_first: list[Video], limit: int) -> Page:
    """Cut a page of `limit` from videos already filtered and sorted newest first (one extra tells if more)."""
    items = newest_first[:limit]
    more = len(newest_first) > limit
    return Page(items, (items[-1].created_at, items[-1].id) if more and items else None)
