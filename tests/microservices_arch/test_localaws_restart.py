"""The microservices' local AWS killed with SIGKILL: a restart brings back the transcode jobs of its last snapshot."""

from __future__ import annotations

import os
import signal
import time

import pytest

from workshop.archs.microservices import aws as ms_localaws
from workshop.archs.microservices.run import ARCH
from workshop.runtime import procs


@pytest.fixture
def harness_env(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("WORKSHOP_LOCALAWS_SNAPSHOT_INTERVAL", "0.3")
    port = procs.free_port()
    try:
        yield port
    finally:
        procs.stop_all(ARCH)


def _jobs(port: int, url: str) -> list[str]:
    sqs = ms_localaws.sqs_client(port)
    bodies: list[str] = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [m["Body"] for m in batch]
    return sorted(bodies)


def test_kill_9_then_restart_keeps_the_snapshotted_jobs_and_up_starts_empty(harness_env):
    port = harness_env
    variables = ms_localaws.start(port)
    url = variables["TRANSCODE_QUEUE_URL"]
    for i in range(3):
        ms_localaws.sqs_client(port).send_message(QueueUrl=url, MessageBody=f'{{"video_id": "v{i}"}}')
    # Snapshots follow requests: one begun after this request (itself after `mark`) holds all three jobs.
    mark = time.time()
    time.sleep(0.1)
    ms_localaws.sqs_client(port).list_queues()
    deadline = time.monotonic() + 30
    while not (ms_localaws.state_file().exists() and ms_localaws.state_file().stat().st_mtime > mark + 0.05):
        assert time.monotonic() < deadline, "the local AWS wrote no snapshot"
        time.sleep(0.05)
    os.killpg(procs.records(ARCH)["localaws"]["pid"], signal.SIGKILL)

    assert ms_localaws.restart() == variables  # same port, same queue URLs
    assert _jobs(port, url) == [f'{{"video_id": "v{i}"}}' for i in range(3)]

    procs.stop_all(ARCH)
    assert ms_localaws.start(port) == variables  # `up` again: a fresh, empty queue
    assert _jobs(port, url) == []
