"""The SQS JobQueue adapter on a real moto server: claim, ack, release, lease expiry, keepalive, redrive."""

from __future__ import annotations

import time

import boto3
import pytest
from moto.server import ThreadedMotoServer

from videocatalog.adapters.sqs import SqsJobQueue, ensure_queues
from workshop.runtime import procs


@pytest.fixture(scope="module")
def client():
    port = procs.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield boto3.client("sqs", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
    finally:
        server.stop()


@pytest.fixture
def queues(client, request):
    url, dlq = ensure_queues(client, f"q-{request.node.name[:40]}", max_receives=2)
    return SqsJobQueue(client, url, wait_s=0), SqsJobQueue(client, dlq, wait_s=0, keepalive=False)


def test_claimed_job_is_hidden_until_acked(queues):
    jobs, _ = queues
    jobs.enqueue({"video_id": "v1"})
    job = jobs.claim(30)
    assert job is not None and job.body == {"video_id": "v1"} and job.attempts == 1
    assert jobs.claim(30) is None
    jobs.ack(job)
    assert jobs.depth() == 0


def test_released_job_comes_back_with_its_attempt_counted(queues):
    jobs, _ = queues
    jobs.enqueue({"video_id": "v2"})
    jobs.release(jobs.claim(30))
    again = jobs.claim(30)
    assert again is not None and again.attempts == 2
    jobs.ack(again)


def test_a_job_whose_worker_vanished_returns_after_its_lease(client, queues):
    jobs, _ = queues
    jobs.enqueue({"video_id": "v3"})
    lost = SqsJobQueue(client, jobs.url, wait_s=0, keepalive=False)  # a worker that died: nobody extends its lease
    assert lost.claim(1) is not None
    assert jobs.claim(30) is None
    time.sleep(1.3)
    back = jobs.claim(30)
    assert back is not None and back.body == {"video_id": "v3"}
    jobs.ack(back)


def test_keepalive_holds_a_job_past_its_lease(queues):
    jobs, _ = queues
    jobs.enqueue({"video_id": "v4"})
    job = jobs.claim(1)
    time.sleep(2.5)  # more than twice the lease: without the keepalive it would be visible again
    assert jobs.claim(30) is None
    jobs.ack(job)


def test_job_delivered_max_receives_times_moves_to_the_dead_letter_queue(queues):
    jobs, dead = queues
    jobs.enqueue({"video_id": "v5"})
    for _ in range(2):
        jobs.release(jobs.claim(30))
    assert jobs.claim(30) is None
    moved = dead.claim(30)
    assert moved is not None and moved.body == {"video_id": "v5"}
    dead.ack(moved)
