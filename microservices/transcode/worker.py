"""The transcode worker: takes jobs from SQS and runs the core's cascade (`videocatalog.pipeline`).

It is stateless: the source comes from the upload service, renditions go back to it, and every state
change is recorded at the catalog service, so any number of replicas can run (`workshop scale`).
A job whose worker dies comes back when its SQS lease ends; a job that keeps failing is marked failed
on its last delivery, and one whose workers kept dying lands in the dead-letter queue, which the
workers drain by marking those videos failed.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import Any

from health import serve_health

from videocatalog import config, pipeline
from videocatalog.adapters.http_data import HttpBlobStore, HttpRepository
from videocatalog.adapters.http_retry import RetryingPeer as Peer
from videocatalog.adapters.sqs import SqsJobQueue, sqs_client
from videocatalog.faults import Fault, parse_fault
from videocatalog.ports import Job
from videocatalog.transcode import FfmpegTranscoder

log = logging.getLogger("transcode")
DEAD_LETTER_REASON = ("transcoding never finished: the job was delivered as often as the queue allows (its "
                      "worker failed or stopped each time) and went to the dead-letter queue")


def lease_s() -> float:
    """How long a claimed job stays hidden (extended while worked on): also how soon a dead worker's job returns."""
    return float(os.environ.get("WORKSHOP_TRANSCODE_LEASE_S", "30"))


class FaultyBlobs:
    """The blob store, failing or slowing the transcode operation when a bad release says so."""

    def __init__(self, blobs: Any, fault: Fault | None) -> None:
        self.blobs, self.fault = blobs, fault

    def __getattr__(self, name: str) -> Any:
        return getattr(self.blobs, name)

    def get_to_file(self, key: str, path: str) -> None:
        if self.fault and self.fault.applies_to("transcode_video"):
            if self.fault.kind == "latency":
                time.sleep(self.fault.delay_s)
            else:
                raise RuntimeError("injected fault of a bad release")
        self.blobs.get_to_file(key, path)


class TrackedQueue(SqsJobQueue):
    """The job queue, remembering which video this worker is busy with (shown on /health)."""

    busy: str | None = None
    done = 0

    def claim(self, lease_s: float) -> Job | None:
        job = super().claim(lease_s)
        self.busy = job.body.get("video_id") if job else None
        return job

    def ack(self, job: Job) -> None:
        super().ack(job)
        self.busy, self.done = None, self.done + 1

    def release(self, job: Job, delay_s: float = 0) -> None:
        super().release(job, delay_s)
        self.busy = None


class Worker:
    """The loop of one worker replica."""

    def __init__(self) -> None:
        self.repo = HttpRepository(Peer(config.required("CATALOG_URL"), "catalog"))
        upload = HttpBlobStore(Peer(config.required("UPLOAD_URL"), "upload"))
        self.blobs = FaultyBlobs(upload, parse_fault(config.fault()))
        client = sqs_client()
        self.jobs = TrackedQueue(client, config.required("TRANSCODE_QUEUE_URL"))
        self.dead = SqsJobQueue(client, config.required("TRANSCODE_DLQ_URL"), wait_s=0, keepalive=False)
        self.stop = threading.Event()

    def status(self) -> dict[str, Any]:
        return {"status": "ok", "service": "transcode", "release": config.release(), "pid": os.getpid(),
                "busy": self.jobs.busy, "jobs_done": self.jobs.done}

    def bury_dead_letters(self) -> None:
        """Mark the videos of dead-lettered jobs failed, so none stays processing forever."""
        while (job := self.dead.claim(60)) is not None:
            pipeline.fail_video(self.repo, job.body["video_id"], DEAD_LETTER_REASON)
            self.dead.ack(job)

    def run(self) -> None:
        """Work jobs until SIGTERM; a job in progress is finished first."""
        transcoder = FfmpegTranscoder()
        # No idle wait: claiming long-polls the queue. A peer or the queue down: the job's lease brings it back.
        pipeline.work_until(self.stop, lambda: pipeline.work_once(self.repo, self.blobs, self.jobs, transcoder,
                                                                   lease_s()),
                            idle_s=0, when_idle=self.bury_dead_letters)


def main() -> None:
    """Start the health endpoint and work until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s transcode %(levelname)s %(message)s")
    worker = Worker()
    serve_health(int(config.required("PORT")), worker.status)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop.set())
    worker.run()


if __name__ == "__main__":
    main()
