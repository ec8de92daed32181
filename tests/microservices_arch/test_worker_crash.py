"""A transcode worker killed mid-job: its job comes back when the SQS lease ends, and the video gets ready."""

from __future__ import annotations

import os
import signal
import time

from mslib import worker_status

from workshop.archs.microservices import arch as microservices


def kill(system, record: dict) -> None:
    """Kill a worker instance outright, the way a crash or an OOM kill would (no SIGTERM, no cleanup)."""
    if system.backend == "docker":
        from workshop.runtime import containers

        containers.client().containers.get(record["container"]).kill()
    else:
        os.killpg(record["pid"], signal.SIGKILL)


def busy_worker(system, video_id: str, timeout_s: float = 60) -> tuple[str, dict]:
    """The worker instance that is transcoding `video_id`, once one is."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for name, record in system.instances("transcode").items():
            status = worker_status(record)
            if status and status.get("busy") == video_id:
                return name, record
        time.sleep(0.1)
    raise AssertionError(f"no worker took the job of {video_id} within {timeout_s} s")


def test_killed_worker_job_is_redelivered_and_video_gets_ready(system, clip):
    assert len(microservices.scale("transcode", 2)) == 2
    video = system.create("crash-test")
    system.upload(video, clip)
    name, record = busy_worker(system, video["id"])
    time.sleep(1.0)  # let it get into ffmpeg
    kill(system, record)
    at_kill = system.video(video["id"])
    assert at_kill["status"] == "processing", "the job finished before the worker could be killed"
    survivor = next(r for n, r in system.instances("transcode").items() if n != name)
    before = worker_status(survivor, patience_s=20)
    assert before is not None, "the surviving worker does not answer"

    settled = system.wait_settled(video["id"], timeout_s=180)

    assert settled["status"] == "ready", settled["error"]
    assert {r["status"] for r in settled["renditions"]} <= {"ready", "skipped"}
    # The survivor acks the redelivered job. It may still be on its way: a request the dead worker had already
    # sent can settle the video first, and the job then comes back only when its SQS lease ends.
    deadline, after = time.monotonic() + 60, None
    while time.monotonic() < deadline:
        after = worker_status(survivor, patience_s=20)
        if after is not None and after["jobs_done"] > before["jobs_done"]:
            break
        time.sleep(0.5)
    assert after is not None and after["jobs_done"] == before["jobs_done"] + 1, (before, after)  # it finished it
    # The dead instance is replaced by scale, which counts only live ones.
    names = microservices.scale("transcode", 1)
    assert len(names) == 1 and name not in names
