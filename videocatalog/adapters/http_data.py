"""The ports as HTTP clients of a data service (the SOA's data tier), so the core runs on it unchanged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import IO, Any
from urllib.parse import quote

from videocatalog.adapters.http_peer import Peer, capped
from videocatalog.errors import NotFound, ValidationError
from videocatalog.model import Rendition, Video
from videocatalog.ports import Job, ListQuery, Page
from videocatalog.validation import parse_int

MAX_LIMIT = 10_000  # the largest page one list call between tiers asks for (the public API stops at 100)


def list_params(query: ListQuery) -> dict[str, Any]:
    """A ListQuery as query parameters between tiers (the cursor travels decoded)."""
    params: dict[str, Any] = {"limit": query.limit}
    params.update({k: v for k, v in (("q", query.q), ("tag", query.tag), ("status", query.status)) if v})
    if query.after:
        params["after_created_at"], params["after_id"] = query.after
    return params


def parse_list_params(args: Mapping[str, str]) -> ListQuery:
    """The inverse of `list_params`."""
    limit = parse_int("limit", args.get("limit", "20"), 1, MAX_LIMIT)
    after = None
    if args.get("after_created_at"):
        if not args.get("after_id"):
            raise ValidationError("after_id", "is required with after_created_at")
        after = (args["after_created_at"], args["after_id"])
    return ListQuery(q=args.get("q"), tag=args.get("tag"), status=args.get("status"), limit=limit, after=after)


def page_json(page: Page) -> dict[str, Any]:
    """A Page as JSON between tiers."""
    return {"items": [v.to_record() for v in page.items], "next_after": page.next_after}


def page_from_json(body: dict[str, Any]) -> Page:
    """The inverse of `page_json`."""
    after = body.get("next_after")
    return Page([Video.from_record(r) for r in body["items"]], (after[0], after[1]) if after else None)


def _id(video_id: str) -> str:
    return quote(video_id, safe="")


class HttpRepository:
    """VideoRepository over the data service; the atomic rendition update happens there."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    def add(self, video: Video) -> None:
        self.peer.call("POST", "/videos", json=video.to_record())

    def get(self, video_id: str) -> Video | None:
        try:
            return Video.from_record(self.peer.call("GET", f"/videos/{_id(video_id)}"))
        except NotFound:
            return None

    def save(self, video: Video) -> None:
        self.peer.call("PUT", f"/videos/{_id(video.id)}", json=video.to_record())

    def delete(self, video_id: str) -> bool:
        return bool(self.peer.call("DELETE", f"/videos/{_id(video_id)}")["deleted"])

    def list(self, query: ListQuery) -> Page:
        return page_from_json(self.peer.call("GET", "/videos", params=list_params(query)))

    def update_rendition(self, video_id: str, rendition: Rendition) -> Video | None:
        record = self.peer.call("POST", f"/videos/{_id(video_id)}/renditions", json=asdict(rendition))["video"]
        return Video.from_record(record) if record else None


class HttpBlobStore:
    """BlobStore over the data service; bodies stream in chunks both ways."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    def put_stream(self, key: str, stream: IO[bytes], max_bytes: int) -> int:
        body = capped(stream, max_bytes)
        return self.peer.call("PUT", "/blobs", params={"key": key, "max_bytes": max_bytes}, data=body,
                              transfer=True)["bytes"]

    def put_file(self, key: str, path: str) -> int:
        with open(path, "rb") as fh:  # a file has a length, so it goes with Content-Length, not chunked
            return self.peer.call("PUT", "/blobs", params={"key": key, "max_bytes": 1 << 62}, data=fh,
                                  transfer=True)["bytes"]

    def get_to_file(self, key: str, path: str) -> None:
        chunks, _ = self.peer.stream("/blobs", params={"key": key})
        with open(path, "wb") as out:
            for chunk in chunks:
                out.write(chunk)

    def open(self, key: str) -> Iterator[bytes]:
        return self.peer.stream("/blobs", params={"key": key})[0]

    def size(self, key: str) -> int | None:
        return self.peer.call("GET", "/blobs/size", params={"key": key})["bytes"]

    def delete_prefix(self, prefix: str) -> int:
        return self.peer.call("DELETE", "/blobs", params={"prefix": prefix})["deleted"]


class HttpJobQueue:
    """JobQueue over the data service; leases are kept there, so a job outlives any logic process."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    def enqueue(self, body: dict[str, Any]) -> None:
        self.peer.call("POST", "/jobs", json={"body": body})

    def claim(self, lease_s: float) -> Job | None:
        job = self.peer.call("POST", "/jobs/claim", json={"lease_s": lease_s})["job"]
        return Job(**job) if job else None

    def ack(self, job: Job) -> None:
        self.peer.call("POST", "/jobs/ack", json=asdict(job))

    def release(self, job: Job, delay_s: float = 0) -> None:
        query = f"?delay_s={delay_s:g}" if delay_s > 0 else ""
        self.peer.call("POST", f"/jobs/release{query}", json=asdict(job))

    def release_claimed(self) -> int:
        """Make every claimed job visible again (when the only worker restarts); not part of the port."""
        return self.peer.call("POST", "/jobs/release-claimed")["released"]


class HttpViewLog:
    """ViewLog over the data service."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    def record(self, video_id: str, at: float) -> None:
        self.peer.call("POST", "/views", json={"video_id": video_id, "at": at})

    def top(self, since: float, limit: int) -> list[tuple[str, int]]:
        items = self.peer.call("GET", "/views/top", params={"since": since, "limit": limit})["items"]
        return [(video_id, count) for video_id, count in items]

    def forget(self, video_id: str) -> None:
        self.peer.call("DELETE", f"/views/{_id(video_id)}")


def http_ports(peer: Peer) -> tuple[HttpRepository, HttpBlobStore, HttpJobQueue, HttpViewLog]:
    """Every port on one data service: repository, blob store, job queue, view log."""
    return HttpRepository(peer), HttpBlobStore(peer), HttpJobQueue(peer), HttpViewLog(peer)

