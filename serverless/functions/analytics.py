"""Kinesis -> Lambda -> DynamoDB (the real-time analytics pattern): count each batch of view events per minute.

A batch is retried whole when the function fails, so Powertools idempotency, keyed on the batch's
shard and sequence numbers, keeps a batch that already counted from counting twice.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from serverless.functions import settings
from videocatalog.adapters.views_aws import CountsViewLog, minute_counts

logger, metrics = Logger(), Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "VideoCatalog"))
persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table())
idempotency = IdempotencyConfig(event_key_jmespath="[first, last]", expires_after_seconds=3600)


def decode(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The view events in a batch of Kinesis records (malformed ones are logged and skipped)."""
    events = []
    for record in records:
        try:
            event = json.loads(base64.b64decode(record["kinesis"]["data"]))
            events.append({"video_id": str(event["video_id"]), "at": float(event["at"])})
        except (KeyError, TypeError, ValueError):
            logger.warning("skipping a malformed view record", extra={"id": record.get("eventID")})
    return events


@idempotent_function(data_keyword_argument="batch", persistence_store=persistence, config=idempotency)
def count(batch: dict[str, Any]) -> dict[str, int]:
    """Add one batch's views to the per-minute counts."""
    counts = CountsViewLog(settings.counts_table())
    per_minute = minute_counts(batch["events"])
    for (video_id, minute), views in per_minute.items():
        counts.add(video_id, minute, views)
    return {"views": sum(per_minute.values()), "items": len(per_minute)}


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    records = event.get("Records", [])
    if not records:
        return {"views": 0}
    batch = {"first": records[0].get("eventID", ""), "last": records[-1].get("eventID", ""),
             "events": decode(records)}
    result = count(batch=batch)
    metrics.add_metric(name="ViewsCounted", unit=MetricUnit.Count, value=result["views"])
    metrics.add_metric(name="BatchSize", unit=MetricUnit.Count, value=len(records))
    return result
