"""The logic tier's transcoding worker: the core pipeline, looping in a thread, on the data tier's ports."""

from __future__ import annotations

import logging
import threading
from typing import Any

from soa import settings
from videocatalog import pipeline
from videocatalog.adapters.http_data import HttpJobQueue, http_ports
from videocatalog.adapters.http_peer import Peer
from videocatalog.ports import Job, JobQueue
from videocatalog.transcode import FfmpegTranscoder

log = logging.getLogger("soa.worker")


class TrackedJobs:
    """A JobQueue that remembers the job it handed out until it is acked or released.

    When the data tier drops out mid-job, the pipeline cannot release the job; the loop releases it
    here once the tier is back, so the video is retried now rather than when the lease ends.
    """

    def __init__(self, inner: JobQueue) -> None:
        self.inner = inner
        self.open: Job | None = None

    def enqueue(self, body: dict[str, Any]) -> None:
        self.inner.enqueue(body)

    def claim(self, lease_s: float) -> Job | None:
        self.open = self.inner.claim(lease_s)
        return self.open

    def ack(self, job: Job) -> None:
        self.inner.ack(job)
        self.open = None

    def release(self, job: Job, delay_s: float = 0) -> None:
        self.inner.release(job, delay_s)
        self.open = None

    def release_open(self) -> None:
        """Give back the job left open by an interrupted run, if any."""
        if self.open is not None:
            self.release(self.open)


def run(peer: Peer, stop: threading.Event, idle_s: float = 0.5) -> None:
    """Work through transcoding jobs until `stop` is set; a missing data tier only pauses the loop."""
    repo, blobs, jobs, _ = http_ports(peer)
    tracked, transcoder = TrackedJobs(jobs), FfmpegTranscoder()

    def step() -> bool:
        tracked.release_open()
        return pipeline.work_once(repo, blobs, tracked, transcoder, lease_s=settings.job_lease_s())

    pipeline.work_until(stop, step, idle_s)


def start_thread() -> threading.Event:
    """Start the worker in a daemon thread of this process; set the returned event to stop it."""
    stop = threading.Event()
    peer = Peer(settings.data_url(), name="data tier")
    threading.Thread(target=run, args=(peer, stop), name="transcoder", daemon=True).start()
    return stop


def release_interrupted_jobs() -> int:
    """Make jobs claimed by a logic tier that stopped mid-transcode visible again (run once at start)."""
    return HttpJobQueue(Peer(settings.data_url(), name="data tier")).release_claimed()
