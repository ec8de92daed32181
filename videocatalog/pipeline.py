"""The transcoding cascade run in-process: probe the source, plan renditions, make each one."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from videocatalog import renditions
from videocatalog.errors import Unavailable
from videocatalog.mediainfo import UnsupportedMedia
from videocatalog.model import Video
from videocatalog.ports import BlobStore, JobQueue, Transcoder, VideoRepository
from videocatalog.service import source_key

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def process_video(repo: VideoRepository, blobs: BlobStore, transcoder: Transcoder, video_id: str,
                  workdir: str) -> Video | None:
    """Run (or resume) the whole cascade for one video; idempotent, so a redelivered job is safe."""
    video = repo.get(video_id)
    if video is None or video.status in ("ready", "failed"):
        return video
    src = str(Path(workdir) / "source")
    blobs.get_to_file(source_key(video_id), src)
    if not video.renditions:
        try:
            source = transcoder.probe(src)
        except UnsupportedMedia as exc:
            failed = video.touch(status="failed", renditions=(),
                                 error={"code": "unsupported_media", "message": str(exc)})
            repo.save(failed)
            return failed
        video = video.touch(status="processing", source=source, renditions=renditions.plan(video_id, source))
        repo.save(video)
    assert video.source is not None
    for planned in video.renditions:
        if planned.settled:
            continue  # made before a restart, or skipped by the plan
        out = str(Path(workdir) / Path(planned.key or planned.name).name)
        made = transcoder.render(src, planned, video.source, out)
        if made.status == "ready" and made.key:
            blobs.put_file(made.key, out)
        updated = repo.update_rendition(video_id, made)
        if updated is None:  # deleted while we worked: drop what we wrote
            blobs.delete_prefix(f"renditions/{video_id}/")
            return None
        video = updated
    return video


def fail_video(repo: VideoRepository, video_id: str, message: str) -> None:
    """Mark a video failed after its job kept failing, so nothing stays processing forever."""
    video = repo.get(video_id)
    if video is not None and video.status not in ("ready", "failed"):
        repo.save(video.touch(status="failed", error={"code": "processing_failed", "message": message}))


def unavailable_backoff_s(attempts: int) -> float:
    """How long a job waits after a delivery that met a peer down: 5 s, 10 s, 20 s... at most a minute."""
    return float(min(60, 5 * 2 ** max(0, attempts - 1)))


def work_once(repo: VideoRepository, blobs: BlobStore, jobs: JobQueue, transcoder: Transcoder,
              lease_s: float = 600) -> bool:
    """Claim one job and run it; returns False when the queue was empty."""
    job = jobs.claim(lease_s)
    if job is None:
        return False
    video_id = job.body["video_id"]
    try:
        with tempfile.TemporaryDirectory(prefix="transcode-") as workdir:
            process_video(repo, blobs, transcoder, video_id, workdir)
    except Unavailable:
        # A peer is down (restarting, say): not the job's fault. Handed back at once, the job would use up its
        # attempts within a second and fail an upload a short outage should only delay; so it comes back later,
        # and the loop pauses (work_until) until the peer answers.
        jobs.release(job, unavailable_backoff_s(job.attempts))
        raise
    except Exception as exc:
        log.exception("job for %s failed (attempt %d)", video_id, job.attempts)
        if job.attempts < MAX_ATTEMPTS:
            jobs.release(job)
            return True
        fail_video(repo, video_id, f"transcoding failed after {job.attempts} attempts: {exc}")
    jobs.ack(job)
    return True


def work_until(stop: threading.Event, step: Callable[[], bool], idle_s: float = 0.5,
               when_idle: Callable[[], None] | None = None, error_wait_s: float = 1.0) -> None:
    """Call `step` (one job; False when there was none) until `stop` is set: every worker's loop.

    An error never ends the loop: the job comes back by its release or its lease, and the loop waits
    `error_wait_s` before trying again. A peer that is down (Unavailable) is logged once per outage, not on
    every tick. `when_idle` runs when there was no job.
    """
    paused = False
    while not stop.is_set():
        try:
            worked = step()
            if not worked and when_idle is not None:
                when_idle()
            paused = False
        except Unavailable as exc:
            if not paused:
                log.warning("worker paused: %s", exc.message)
            paused = True
            stop.wait(error_wait_s)
            continue
        except Exception:
            log.exception("worker loop error")
            stop.wait(error_wait_s)
            continue
        if not worked:
            stop.wait(idle_s)
