"""In-memory fakes of every port, for unit tests and notebooks."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from typing import IO, Any

from videocatalog.errors import PayloadTooLarge
from videocatalog.model import Rendition, Video
from videocatalog.ports import Job, ListQuery, Page, page_from


class MemoryRepository:
    """Videos in a dict."""

    def __init__(self) -> None:
        self._videos: dict[str, Video] = {}
        self._lock = threading.Lock()

    def add(self, video: Video) -> None:
        with self._lock:
            self._videos[video.id] = video

    def get(self, video_id: str) -> Video | None:
        return self._videos.get(video_id)

    def save(self, video: Video) -> None:
        self.add(video)

    def delete(self, video_id: str) -> bool:
        with self._lock:
            return self._videos.pop(video_id, None) is not None

    def list(self, query: ListQuery) -> Page:
        rows = sorted(self._videos.values(), key=lambda v: (v.created_at, v.id), reverse=True)
        rows = [v for v in rows if (query.after is None or (v.created_at, v.id) < query.after)
                and v.matches(query.q, query.tag, query.status)]
        return page_from(rows[: query.limit + 1], query.limit)

    def update_rendition(self, video_id: str, rendition: Rendition) -> Video | None:
        with self._lock:
            video = self._videos.get(video_id)
            if video is None:
                return None
            self._videos[video_id] = video.with_rendition(rendition)
            return self._videos[video_id]


class MemoryBlobStore:
    """Blobs in a dict of bytes."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put_stream(self, key: str, stream: IO[bytes], max_bytes: int) -> int:
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise PayloadTooLarge(f"upload exceeds {max_bytes} bytes")
        self.blobs[key] = data
        return len(data)

    def put_file(self, key: str, path: str) -> int:
        with open(path, "rb") as fh:
            self.blobs[key] = fh.read()
        return len(self.blobs[key])

    def get_to_file(self, key: str, path: str) -> None:
        with open(path, "wb") as fh:
            fh.write(self.blobs[key])

    def open(self, key: str) -> Iterator[bytes]:
        data = self.blobs[key]
        for start in range(0, len(data), 65536):
            yield data[start:start + 65536]

    def size(self, key: str) -> int | None:
        return len(self.blobs[key]) if key in self.blobs else None

    def delete_prefix(self, prefix: str) -> int:
        doomed = [k for k in self.blobs if k.startswith(prefix)]
        for key in doomed:
            del self.blobs[key]
        return len(doomed)


class MemoryJobQueue:
    """An at-least-once queue with leases, like SQS's visibility timeout."""

    def __init__(self, clock=time.monotonic) -> None:
        self._jobs: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._clock = clock

    def enqueue(self, body: dict[str, Any]) -> None:
        with self._lock:
            self._jobs[next(self._ids)] = {"body": body, "visible_at": 0.0, "attempts": 0}

    def claim(self, lease_s: float) -> Job | None:
        with self._lock:
            now = self._clock()
            for job_id, job in sorted(self._jobs.items()):
                if job["visible_at"] <= now:
                    job["visible_at"], job["attempts"] = now + lease_s, job["attempts"] + 1
                    return Job(job["body"], f"{job_id}:{job['attempts']}", job["attempts"])
        return None

    def ack(self, job: Job) -> None:
        job_id, attempts = (int(x) for x in job.receipt.split(":"))
        with self._lock:
            if self._jobs.get(job_id, {}).get("attempts") == attempts:
                del self._jobs[job_id]

    def release(self, job: Job, delay_s: float = 0) -> None:
        job_id = int(job.receipt.split(":")[0])
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id]["visible_at"] = self._clock() + delay_s if delay_s > 0 else 0.0

    def __len__(self) -> int:
        return len(self._jobs)


class MemoryViewLog:
    """View events in a list."""

    def __init__(self) -> None:
        self.events: list[tuple[str, float]] = []

    def record(self, video_id: str, at: float) -> None:
        self.events.append((video_id, at))

    def top(self, since: float, limit: int) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for video_id, at in self.events:
            if at >= since:
                counts[video_id] = counts.get(video_id, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    def forget(self, video_id: str) -> None:
        self.events = [e for e in self.events if e[0] != video_id]
