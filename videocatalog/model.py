"""The Video and its Source and Renditions, as stored and as shown by the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

STATUSES = ("awaiting_upload", "processing", "ready", "failed")
RENDITION_NAMES = ("hq", "480p", "360p", "audio", "thumbnail")
RENDITION_STATUSES = ("pending", "ready", "skipped", "failed")


def now_rfc3339() -> str:
    """The current UTC time as RFC 3339 with microseconds (sorts as a string)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_video_id() -> str:
    """A new opaque video id."""
    return "v" + uuid.uuid4().hex[:20]


@dataclass(frozen=True)
class Source:
    """What the probe found in the uploaded file."""

    bytes: int
    content_type: str | None = None
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    has_audio: bool | None = None


@dataclass(frozen=True)
class Rendition:
    """One output of the cascade; `key` is where its bytes live in the blob store (not shown)."""

    name: str
    status: str = "pending"
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    bytes: int | None = None
    reason: str | None = None
    key: str | None = None

    @property
    def settled(self) -> bool:
        """True once the rendition is ready, skipped or failed."""
        return self.status != "pending"

    def to_api(self, url: str | None) -> dict[str, Any]:
        """The contract's Rendition object."""
        body = {k: v for k, v in asdict(self).items() if k != "key"}
        body["url"] = url if self.status == "ready" else None
        return body


@dataclass(frozen=True)
class Video:
    """A catalog entry: metadata, upload state, source facts and renditions."""

    id: str
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    status: str = "awaiting_upload"
    created_at: str = field(default_factory=now_rfc3339)
    updated_at: str = ""
    source: Source | None = None
    renditions: tuple[Rendition, ...] = ()
    error: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.updated_at:
            object.__setattr__(self, "updated_at", self.created_at)

    def touch(self, **changes: Any) -> Video:
        """A copy with `changes` applied and `updated_at` set to now."""
        return replace(self, updated_at=now_rfc3339(), **changes)

    def rendition(self, name: str) -> Rendition | None:
        """The rendition called `name`, if planned."""
        return next((r for r in self.renditions if r.name == name), None)

    def with_rendition(self, rendition: Rendition) -> Video:
        """A copy where the rendition of the same name is replaced, and the status settled."""
        others = [r if r.name != rendition.name else rendition for r in self.renditions]
        return settle(self.touch(renditions=tuple(others)))

    def matches(self, q: str | None, tag: str | None, status: str | None) -> bool:
        """True when the video passes the list filters (q is case-insensitive on title, description, tags)."""
        if tag and tag not in self.tags:
            return False
        if status and status != self.status:
            return False
        if q:
            needle = q.lower()
            haystack = [self.title.lower(), self.description.lower(), *self.tags]
            return any(needle in text for text in haystack)
        return True

    def to_api(self, rendition_url: Callable[[Video, Rendition], str | None]) -> dict[str, Any]:
        """The contract's Video object; `rendition_url` makes each ready rendition's URL."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "source": asdict(self.source) if self.source else None,
            "renditions": [r.to_api(rendition_url(self, r)) for r in self.renditions],
            "error": dict(self.error) if self.error else None,
        }

    def to_record(self) -> dict[str, Any]:
        """A JSON-safe dict with everything, for storage and for passing between processes."""
        record = asdict(self)
        record["tags"] = list(self.tags)
        record["renditions"] = [asdict(r) for r in self.renditions]
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Video:
        """The inverse of `to_record`."""
        data = dict(record)
        data["tags"] = tuple(data.get("tags") or ())
        data["source"] = Source(**data["source"]) if data.get("source") else None
        data["renditions"] = tuple(Rendition(**r) for r in data.get("renditions") or ())
        return cls(**data)


def settle(video: Video) -> Video:
    """Derive a processing video's status from its renditions: failed if one failed, ready if all settled."""
    if video.status != "processing" or not video.renditions:
        return video
    failed = [r for r in video.renditions if r.status == "failed"]
    if failed:
        first = failed[0]
        message = f"rendition {first.name} failed: {first.reason or 'error'}"
        return replace(video, status="failed", error={"code": "rendition_failed", "message": message})
    if all(r.settled for r in video.renditions):
        return replace(video, status="ready")
    return video
