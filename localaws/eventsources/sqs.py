"""SQS -> Lambda: batches, partial batch failures (ReportBatchItemFailures); moto's redrive policy does the DLQ."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from localaws.runtime.pool import ShuttingDown, Throttled
from localaws.services.state import mapping_target

log = logging.getLogger(__name__)


def sqs_record(msg: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One SQS message in the shape Lambda's event carries it."""
    attrs = {}
    for name, value in (msg.get("MessageAttributes") or {}).items():
        attrs[name] = {"stringValue": value.get("StringValue"), "binaryValue": value.get("BinaryValue"),
                       "stringListValues": [], "binaryListValues": [], "dataType": value.get("DataType")}
    return {"messageId": msg["MessageId"], "receiptHandle": msg["ReceiptHandle"], "body": msg["Body"],
            "attributes": msg.get("Attributes") or {}, "messageAttributes": attrs, "md5OfBody": msg.get("MD5OfBody"),
            "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region}


def failed_ids(payload: bytes, batch: list[dict[str, Any]]) -> set[str] | None:
    """Message ids the function reported as failed; None means the whole batch failed."""
    try:
        result = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return set()  # null, other values or an empty list: the whole batch succeeded
    ids = {m["MessageId"] for m in batch}
    failed = {str((f or {}).get("itemIdentifier")) for f in result["batchItemFailures"]}
    return failed if failed <= ids else None  # an unknown id fails the whole batch, as on AWS


class SqsPoller:
    """One thread polling one queue for one mapping."""

    def __init__(self, platform: Any, esm: Any, region: str) -> None:
        self.platform, self.esm, self.region = platform, esm, region
        self.started = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sqs-{esm.uuid[:8]}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        sqs = self.platform.clients.get("sqs", self.region)
        arn = self.esm.event_source_arn
        url = sqs.get_queue_url(QueueName=arn.split(":")[5])["QueueUrl"]
        self.started.set()
        while not self._stopping.is_set():
            try:
                busy = self._poll_once(sqs, url, arn)
            except Exception:  # keep polling; the messages come back after their visibility timeout
                log.exception("SQS poller for %s", arn)
                busy = False
            if not busy:
                self._stopping.wait(self.platform.cfg.poll_interval_s)

    def _poll_once(self, sqs: Any, url: str, arn: str) -> bool:
        size = int(self.esm.batch_size or 10)
        batch: list[dict[str, Any]] = []
        while len(batch) < size:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(10, size - len(batch)),
                                      AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages", [])
            batch += got
            if not got:
                break
        if not batch:
            return False
        event = {"Records": [sqs_record(m, arn, self.region) for m in batch]}
        try:
            # Resolved per batch: a mapping on an alias follows the alias (and its weights).
            result = self.platform.invoker.invoke(self.region, mapping_target(self.esm), None,
                                                  json.dumps(event).encode())
        except (Throttled, ShuttingDown):
            return False  # the messages reappear after their visibility timeout
        if result.function_error:
            return True  # whole batch fails: visible again later, moto's redrive counts receives
        failed: set[str] | None = set()
        if "ReportBatchItemFailures" in (self.esm.function_response_types or []):
            failed = failed_ids(result.payload, batch)
        if failed is None:
            return True
        done = [m for m in batch if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done[start:start + 10])])
        return True

    def stop(self) -> None:
        """Stop polling (the current batch finishes first)."""
        self._stopping.set()
        self._thread.join(timeout=5)
