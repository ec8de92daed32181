"""The JobQueue port on Amazon SQS (boto3): claim = receive with a visibility timeout, ack = delete.

A claimed message stays invisible while its lease lasts; a keepalive thread extends the lease while
this process works on it, so a short lease both covers long transcodes and brings the job back soon
after a worker dies (its keepalive dies with it). `attempts` is SQS's ApproximateReceiveCount, and a
queue made by `ensure_queues` moves a job to its dead-letter queue after `max_receives` deliveries.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from videocatalog.ports import Job

log = logging.getLogger(__name__)


def sqs_client() -> Any:
    """An SQS client; boto3 reads AWS_ENDPOINT_URL, so the same code targets the local AWS or AWS."""
    return boto3.client("sqs")


def ensure_queues(client: Any, name: str, max_receives: int = 3, dlq_suffix: str = "-dlq") -> tuple[str, str]:
    """Create (idempotently) a queue and its dead-letter queue with a RedrivePolicy; returns both URLs."""
    dlq_url = client.create_queue(QueueName=name + dlq_suffix)["QueueUrl"]
    dlq_arn = client.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receives)})
    url = client.create_queue(QueueName=name)["QueueUrl"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})
    return url, dlq_url


class _Keepalive:
    """Extends one message's visibility every third of its lease until stopped."""

    def __init__(self, client: Any, url: str, receipt: str, lease_s: int) -> None:
        self.stop_event = threading.Event()
        self._args = (client, url, receipt, lease_s)
        threading.Thread(target=self._run, name="sqs-keepalive", daemon=True).start()

    def _run(self) -> None:
        client, url, receipt, lease_s = self._args
        while not self.stop_event.wait(max(lease_s / 3, 0.5)):
            try:
                client.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=lease_s)
            except (ClientError, BotoCoreError):  # acked meanwhile, or the queue is gone: nothing to keep
                log.warning("could not extend the lease of a job", exc_info=True)
                return


class SqsJobQueue:
    """At-least-once jobs on one SQS queue URL."""

    def __init__(self, client: Any, url: str, wait_s: int = 1, keepalive: bool = True) -> None:
        self.client, self.url, self.wait_s, self.keepalive = client, url, wait_s, keepalive
        self._alive: dict[str, _Keepalive] = {}

    def enqueue(self, body: dict[str, Any]) -> None:
        self.client.send_message(QueueUrl=self.url, MessageBody=json.dumps(body))

    def claim(self, lease_s: float) -> Job | None:
        lease = max(1, math.ceil(lease_s))
        resp = self.client.receive_message(
            QueueUrl=self.url, MaxNumberOfMessages=1, VisibilityTimeout=lease, WaitTimeSeconds=self.wait_s,
            MessageSystemAttributeNames=["ApproximateReceiveCount"])
        messages = resp.get("Messages") or []
        if not messages:
            return None
        msg = messages[0]
        attempts = int(msg.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        job = Job(json.loads(msg["Body"]), msg["ReceiptHandle"], attempts, {"message_id": msg["MessageId"]})
        if self.keepalive:
            self._alive[job.receipt] = _Keepalive(self.client, self.url, job.receipt, lease)
        return job

    def _forget(self, job: Job) -> None:
        keepalive = self._alive.pop(job.receipt, None)
        if keepalive is not None:
            keepalive.stop_event.set()

    def ack(self, job: Job) -> None:
        self._forget(job)
        self.client.delete_message(QueueUrl=self.url, ReceiptHandle=job.receipt)

    def release(self, job: Job, delay_s: float = 0) -> None:
        self._forget(job)
        self.client.change_message_visibility(QueueUrl=self.url, ReceiptHandle=job.receipt,
                                              VisibilityTimeout=max(0, math.ceil(delay_s)))

    def depth(self) -> int:
        """Messages waiting plus messages in flight (approximate, as SQS reports them)."""
        attrs = self.client.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return sum(int(v) for v in attrs["Attributes"].values())
