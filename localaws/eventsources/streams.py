"""Kinesis and DynamoDB Streams -> Lambda: per shard, ordered batches from the starting position.

A failed batch blocks its shard and is retried (until MaximumRetryAttempts, then skipped), as on AWS.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from typing import Any

from localaws.runtime.pool import ShuttingDown, Throttled
from localaws.services.state import mapping_target, record_checkpoint, restored_checkpoint

log = logging.getLogger(__name__)


def kinesis_record(rec: dict[str, Any], shard_id: str, stream_arn: str, region: str) -> dict[str, Any]:
    """One Kinesis record in the shape Lambda's event carries it."""
    return {
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": rec["PartitionKey"],
                    "sequenceNumber": rec["SequenceNumber"], "data": base64.b64encode(rec["Data"]).decode(),
                    "approximateArrivalTimestamp": rec["ApproximateArrivalTimestamp"].timestamp()},
        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": f"{shard_id}:{rec['SequenceNumber']}",
        "eventName": "aws:kinesis:record", "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda",
        "awsRegion": region, "eventSourceARN": stream_arn,
    }


def dynamodb_record(rec: dict[str, Any], shard_id: str, stream_arn: str, region: str) -> dict[str, Any]:
    """One DynamoDB stream record in the shape Lambda's event carries it."""
    out = json.loads(json.dumps(rec, default=lambda v: v.timestamp() if hasattr(v, "timestamp") else str(v)))
    out.update(eventSourceARN=stream_arn, awsRegion=region)
    return out


class StreamPoller:
    """One thread per shard of a Kinesis stream or DynamoDB stream, invoking the function in order."""

    def __init__(self, platform: Any, esm: Any, region: str) -> None:
        self.platform, self.esm, self.region = platform, esm, region
        self.kind = "dynamodbstreams" if ":dynamodb:" in esm.event_source_arn else "kinesis"
        self.started = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        threading.Thread(target=self._start, daemon=True).start()

    def _shards(self, client: Any) -> list[tuple[str, dict[str, Any]]]:
        arn = self.esm.event_source_arn
        position = (self.esm.starting_position or "TRIM_HORIZON").upper()
        if self.kind == "kinesis":
            name = arn.split("/", 1)[1]
            shards = client.describe_stream(StreamName=name)["StreamDescription"]["Shards"]
            base = {"StreamName": name, "ShardIteratorType": position}
            if position == "AT_TIMESTAMP":
                base["Timestamp"] = self.esm.starting_position_timestamp
        else:
            shards = client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
            base = {"StreamArn": arn, "ShardIteratorType": position}
        return [(s["ShardId"], self._resume({**base, "ShardId": s["ShardId"]})) for s in shards]

    def _resume(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        # After a restored state file: go on after the last record delivered before the restart, not from the
        # starting position again (TRIM_HORIZON would hand every record to the function a second time).
        done = restored_checkpoint(self.esm.uuid, kwargs["ShardId"])
        if done is None:
            return kwargs
        kwargs.pop("Timestamp", None)
        return {**kwargs, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": done}

    def _checkpoint(self, shard_id: str, batch: list[dict[str, Any]]) -> None:
        last = batch[-1]
        sequence = last["SequenceNumber"] if self.kind == "kinesis" else last["dynamodb"]["SequenceNumber"]
        record_checkpoint(self.esm.uuid, shard_id, sequence)

    def _start(self) -> None:
        try:
            client = self.platform.clients.get(self.kind, self.region)
            for shard_id, kwargs in self._shards(client):
                iterator = client.get_shard_iterator(**kwargs)["ShardIterator"]
                thread = threading.Thread(target=self._run, args=(client, shard_id, iterator), daemon=True)
                self._threads.append(thread)
                thread.start()
        except Exception:  # the stream is gone or not ready; the sync loop will not retry this mapping
            log.exception("stream poller for %s", self.esm.event_source_arn)
        self.started.set()

    def _run(self, client: Any, shard_id: str, iterator: str) -> None:
        try:
            self._consume(client, shard_id, iterator)
        except Exception:  # the stream went away or the platform is stopping
            log.exception("stream poller for %s", shard_id)

    def _consume(self, client: Any, shard_id: str, iterator: str) -> None:
        size = int(self.esm.batch_size or 100)
        pending: list[dict[str, Any]] = []
        attempts = 0
        while not self._stopping.is_set() and iterator:
            if not pending:
                out = client.get_records(ShardIterator=iterator, Limit=size)
                iterator, pending = out.get("NextShardIterator"), out.get("Records", [])
                if not pending:
                    self._stopping.wait(self.platform.cfg.poll_interval_s)
                    continue
            if self._deliver(shard_id, pending):
                self._checkpoint(shard_id, pending)
                pending, attempts = [], 0
                continue
            attempts += 1
            limit = self.esm.max_retry_attempts
            if limit is not None and int(limit) >= 0 and attempts > int(limit):
                self._checkpoint(shard_id, pending)
                pending, attempts = [], 0  # give up on this batch, move on (records are skipped)
            else:
                self._stopping.wait(self.platform.cfg.async_retry_delay_s)

    def _deliver(self, shard_id: str, batch: list[dict[str, Any]]) -> bool:
        shape = kinesis_record if self.kind == "kinesis" else dynamodb_record
        event = {"Records": [shape(r, shard_id, self.esm.event_source_arn, self.region) for r in batch]}
        try:
            # Resolved per batch: a mapping on an alias follows the alias (and its weights).
            result = self.platform.invoker.invoke(self.region, mapping_target(self.esm), None,
                                                  json.dumps(event).encode())
        except (Throttled, ShuttingDown):
            return False
        return not result.function_error

    def stop(self) -> None:
        """Stop every shard thread."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
