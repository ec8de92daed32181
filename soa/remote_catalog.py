"""The logic tier seen from the presentation tier: the methods of `Catalog`, each one HTTP call away."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from videocatalog import config
from videocatalog.adapters.http_data import list_params, page_from_json
from videocatalog.adapters.http_peer import Peer, capped
from videocatalog.model import Video
from videocatalog.ports import ListQuery, Page
from videocatalog.service import TrendingItems
from videocatalog.validation import NewVideo


def _path(video_id: str) -> str:
    return f"/videos/{quote(video_id, safe='')}"


class RemoteCatalog:
    """A stand-in for `Catalog` that the shared API blueprint serves from; errors come back as raised."""

    def __init__(self, peer: Peer, max_upload_bytes: int | None = None) -> None:
        self.peer = peer
        self.max_upload_bytes = max_upload_bytes or config.max_upload_bytes()

    def create(self, new: NewVideo) -> Video:
        """Add a video awaiting its upload."""
        body = {"title": new.title, "description": new.description, "tags": list(new.tags)}
        return Video.from_record(self.peer.call("POST", "/videos", json=body))

    def get(self, video_id: str) -> Video:
        """The video, or NotFound."""
        return Video.from_record(self.peer.call("GET", _path(video_id)))

    def list(self, query: ListQuery) -> Page:
        """A page of videos matching the query, newest first."""
        return page_from_json(self.peer.call("GET", "/videos", params=list_params(query)))

    def delete(self, video_id: str) -> None:
        """Remove the video and everything that belongs to it."""
        self.peer.call("DELETE", _path(video_id))

    def accept_upload(self, video_id: str, stream: IO[bytes], declared_bytes: int | None) -> Video:
        """Stream the source through to the logic tier (never more than the limit and one chunk)."""
        params = {} if declared_bytes is None else {"declared_bytes": declared_bytes}
        record = self.peer.call("PUT", f"{_path(video_id)}/upload", params=params,
                                data=capped(stream, self.max_upload_bytes), transfer=True)
        return Video.from_record(record)

    def open_rendition(self, video_id: str, name: str) -> tuple[Iterator[bytes], str]:
        """The bytes and content type of a ready rendition, streamed from the logic tier."""
        return self.peer.stream(f"{_path(video_id)}/renditions/{quote(name, safe='')}")

    def record_view(self, video_id: str) -> None:
        """Count one view of an existing video."""
        self.peer.call("POST", f"{_path(video_id)}/views")

    def trending(self, limit: int = 10) -> TrendingItems:
        """The most viewed videos of the last hour."""
        return self.peer.call("GET", "/trending", params={"limit": limit})["items"]
