"""GatewayCatalog: the Catalog's methods, each routed over HTTP to the service that owns the data.

Reads and writes of metadata go to the catalog service, upload bodies and rendition bytes to the
upload service, views and trending to the analytics service. Every call has a timeout (see
`videocatalog.adapters.http_peer`); a peer that is down or slow becomes 503 `unavailable`.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

from videocatalog import config
from videocatalog.adapters.http_data import HttpBlobStore, HttpRepository
from videocatalog.adapters.http_peer import Peer, capped
from videocatalog.errors import PayloadTooLarge
from videocatalog.model import Video
from videocatalog.ports import ListQuery, Page
from videocatalog.service import Videos, source_key
from videocatalog.validation import NewVideo

DECLARED_LENGTH = "X-Declared-Length"  # the body goes on chunked, so its declared size travels apart


class GatewayCatalog:
    """A Catalog-like backend for the shared API blueprint, over the catalog, upload and analytics services."""

    def __init__(self, catalog: Peer, upload: Peer, analytics: Peer, max_upload_bytes: int | None = None) -> None:
        self.repo, self.blobs = HttpRepository(catalog), HttpBlobStore(upload)
        # The core's create/get/list/open_rendition run here on the remote ports; the rest is routed.
        self.core = Videos(self.repo, self.blobs)
        self.upload, self.analytics = upload, analytics
        self.max_upload_bytes = max_upload_bytes or config.max_upload_bytes()

    def create(self, new: NewVideo) -> Video:
        return self.core.create(new)

    def get(self, video_id: str) -> Video:
        return self.core.get(video_id)

    def list(self, query: ListQuery) -> Page:
        return self.core.list(query)

    def open_rendition(self, video_id: str, name: str) -> tuple[Iterator[bytes], str]:
        return self.core.open_rendition(video_id, name)

    def accept_upload(self, video_id: str, stream: IO[bytes], declared_bytes: int | None) -> Video:
        """Stream the source to the upload service, which stores it and queues its transcoding."""
        if declared_bytes is not None and declared_bytes > self.max_upload_bytes:
            raise PayloadTooLarge(f"upload of {declared_bytes} bytes exceeds {self.max_upload_bytes}")
        headers = {"Content-Type": "application/octet-stream"}
        if declared_bytes is not None:
            headers[DECLARED_LENGTH] = str(declared_bytes)
        record = self.upload.call("PUT", f"/videos/{quote(video_id, safe='')}/source", transfer=True,
                                  data=capped(stream, self.max_upload_bytes), headers=headers)
        return Video.from_record(record)

    def delete(self, video_id: str) -> None:
        """Remove bytes and views first, the metadata last: a retry after a 503 finds the video and finishes."""
        self.core.get(video_id)  # 404 before touching anything
        self.blobs.delete_prefix(source_key(video_id))
        self.blobs.delete_prefix(f"renditions/{video_id}/")
        self.analytics.call("DELETE", f"/views/{quote(video_id, safe='')}")
        self.repo.delete(video_id)
        # A worker may have stored a rendition between the two; it finds the video gone and stops.
        self.blobs.delete_prefix(f"renditions/{video_id}/")

    def record_view(self, video_id: str) -> None:
        """Check the video exists, then count the view at analytics (with the title its trending shows)."""
        video = self.core.get(video_id)
        self.analytics.call("POST", f"/views/{quote(video_id, safe='')}", json={"title": video.title})

    def trending(self) -> builtins.list[dict[str, Any]]:
        return self.analytics.call("GET", "/trending")["items"]
