"""S3 ObjectCreated on sources/: probe the upload, plan the cascade, fan out one render invocation per rendition.

S3 delivers at least once and Lambda retries failed async invocations, so each upload (bucket, key,
sequencer) is handled once through Powertools idempotency backed by a DynamoDB table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from serverless.functions import settings
from serverless.functions.ffmpeg_layer import ensure_ffmpeg
from serverless.functions.wiring import blobs, notifier, repo
from videocatalog import config, renditions, transcode
from videocatalog.adapters.awsclients import client
from videocatalog.model import Source, Video
from videocatalog.service import source_key

logger, metrics = Logger(), Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "VideoCatalog"))
ensure_ffmpeg()  # during INIT, once per environment
persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table())
idempotency = IdempotencyConfig(expires_after_seconds=24 * 3600)


def _fail(video: Video, code: str, message: str, expected: str) -> dict[str, str]:
    failed = video.touch(status="failed", renditions=(), error={"code": code, "message": message})
    if repo().save_if_status(failed, expected):
        notifier().video_settled(failed)
        metrics.add_metric(name="VideosFailed", unit="Count", value=1)
    return {"outcome": code}


@idempotent_function(data_keyword_argument="upload", persistence_store=persistence, config=idempotency)
def process_upload(upload: dict[str, Any]) -> dict[str, str]:
    """Handle one uploaded source once: fail it, or plan it and start its renditions."""
    video_id = upload["key"].split("/", 1)[1]
    video = repo().get(video_id)
    if video is None:  # deleted before its (unrevocable) upload URL was used: do not revive it
        blobs().delete_prefix(source_key(video_id))
        return {"outcome": "orphan"}
    if video.status == "processing" and video.renditions:  # a retry after the plan: start what is pending
        return _fan_out(video)
    if video.status == "processing":  # a retry of an attempt that failed before the plan
        processing = video
    elif video.status == "awaiting_upload":
        size = blobs().size(upload["key"]) or 0
        if size > config.max_upload_bytes():  # a presigned PUT cannot cap the size: enforce it here
            blobs().delete_prefix(source_key(video_id))
            return _fail(video, "payload_too_large", f"source of {size} bytes exceeds {config.max_upload_bytes()}",
                         "awaiting_upload")
        processing = video.touch(status="processing", source=Source(bytes=size))
        if not repo().save_if_status(processing, "awaiting_upload"):
            return {"outcome": "duplicate"}
    else:
        return {"outcome": "duplicate"}
    local = Path(os.environ.get("TMPDIR", "/tmp")) / f"probe-{video_id}"
    try:
        blobs().get_to_file(upload["key"], str(local))
        source = transcode.probe(local)
    except transcode.UnsupportedMedia as exc:
        return _fail(processing, "unsupported_media", str(exc), "processing")
    finally:
        local.unlink(missing_ok=True)
    planned = processing.touch(source=source, renditions=renditions.plan(video_id, source))
    if not repo().save_if_status(planned, "processing"):
        return {"outcome": "deleted"}
    return _fan_out(planned)


def _fan_out(video: Video) -> dict[str, str]:
    """The PlayOn! cascade: one asynchronous render invocation per pending rendition, all at once."""
    pending = [r.name for r in video.renditions if r.status == "pending"]
    for name in pending:
        client("lambda").invoke(FunctionName=settings.render_function(), InvocationType="Event",
                                Payload=json.dumps({"video_id": video.id, "rendition": name}).encode())
    metrics.add_metric(name="RenditionsStarted", unit="Count", value=len(pending))
    logger.info("planned", extra={"video_id": video.id, "pending": pending})
    return {"outcome": "planned"}


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    outcomes = []
    metrics.add_metric(name="UploadEvents", unit="Count", value=len(event.get("Records", [])))
    for record in event.get("Records", []):
        obj = record["s3"]["object"]
        key = unquote_plus(obj["key"])
        if not key.startswith("sources/"):
            continue
        upload = {"bucket": record["s3"]["bucket"]["name"], "key": key,
                  "version": obj.get("sequencer") or obj.get("eTag") or ""}
        outcomes.append(process_upload(upload=upload)["outcome"])
    return {"outcomes": outcomes}
