"""SQS (the pipeline's dead-letter queue) -> Lambda: mark the video of each event that failed every attempt `failed`.

The probe and render functions are invoked asynchronously; when an event fails all the attempts Lambda makes
(a crash, a timeout, an INIT cut off), Lambda sends it to the pipeline-failures queue. Without a reader, its
video would stay `awaiting_upload` or `processing` forever: here it ends `failed` with a reason the owner
sees, and the status topic announces it, as the microservices' worker buries its dead letters.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from serverless.functions.wiring import notifier, repo

logger, metrics = Logger(), Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "VideoCatalog"))
REASON = ("processing never finished: the pipeline's function failed every attempt Lambda made for this "
          "video's event ({error}), and the event went to the dead-letter queue")


def video_id_of(body: dict[str, Any]) -> str | None:
    """The video a dead-lettered event was about: a render job's `video_id`, or the key of an S3 upload event."""
    if body.get("video_id"):
        return str(body["video_id"])
    for record in body.get("Records") or []:
        key = unquote_plus(((record.get("s3") or {}).get("object") or {}).get("key", ""))
        if key.startswith("sources/") and len(key) > len("sources/"):
            return key.split("/", 1)[1]
    return None


def fail(video_id: str, error: str) -> bool:
    """Mark the video failed unless it already settled (a later attempt may have succeeded); True when marked."""
    video = repo().get(video_id)
    if video is None or video.status in ("ready", "failed"):
        return False
    failed = video.touch(status="failed", error={"code": "processing_failed", "message": REASON.format(error=error)})
    if not repo().save_if_status(failed, video.status):
        return False  # it moved on meanwhile: a render settled it, or it was deleted
    notifier().video_settled(failed)
    return True


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    """Each record is one dead-lettered event; a malformed one is logged and dropped (never redelivered)."""
    marked = skipped = 0
    for record in event.get("Records", []):
        try:
            video_id = video_id_of(json.loads(record.get("body") or ""))
        except (TypeError, ValueError, AttributeError):
            video_id = None
        error = ((record.get("messageAttributes") or {}).get("ErrorMessage") or {}).get("stringValue") or "unknown"
        if video_id is None:
            logger.warning("a dead letter names no video", extra={"message_id": record.get("messageId")})
            skipped += 1
        elif fail(video_id, error):
            logger.info("video failed after its dead letter", extra={"video_id": video_id, "error": error})
            marked += 1
        else:
            skipped += 1
    metrics.add_metric(name="VideosFailedFromDeadLetters", unit=MetricUnit.Count, value=marked)
    return {"marked_failed": marked, "skipped": skipped}
