"""One rendition of one video (async invoke from the probe): render it, store it, record it, maybe settle.

Idempotent by state: a rendition that is no longer `pending` is not made again, so Lambda's
async retries are safe. The source is cached in /tmp, which a warm environment may still hold
(never relied on: a cold one downloads it again).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from serverless.functions.ffmpeg_layer import ensure_ffmpeg
from serverless.functions.wiring import blobs, notifier, repo
from videocatalog import transcode
from videocatalog.model import Rendition, Video
from videocatalog.service import source_key

logger, metrics = Logger(), Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "VideoCatalog"))
ensure_ffmpeg()  # during INIT, once per environment


def _tmp() -> Path:
    return Path(os.environ.get("TMPDIR", "/tmp"))


def cached_source(video: Video) -> Path:
    """The video's source in /tmp: reused when a warm environment already has it, else downloaded."""
    folder = _tmp() / "sources"
    folder.mkdir(exist_ok=True)
    path = folder / video.id
    if path.exists() and video.source and path.stat().st_size == video.source.bytes:
        metrics.add_metric(name="SourceCacheHits", unit=MetricUnit.Count, value=1)
        return path
    for other in folder.iterdir():  # keep /tmp small: one cached source per environment
        other.unlink(missing_ok=True)
    part = folder / f".{video.id}.part"
    blobs().get_to_file(source_key(video.id), str(part))
    part.rename(path)
    return path


def make(video: Video, planned: Rendition) -> Rendition:
    """Render and store one rendition; failures come back as a `failed` rendition, never an exception."""
    assert video.source is not None and planned.key
    out = _tmp() / Path(planned.key).name
    try:
        made = transcode.render(cached_source(video), planned, video.source, out)
        if made.status == "ready" and made.key:
            blobs().put_file(made.key, str(out), content_type=made.content_type)
        return made
    except Exception as exc:  # S3 trouble, full /tmp...: record it rather than leave the video processing
        logger.exception("rendition failed", extra={"video_id": video.id, "rendition": planned.name})
        return Rendition(name=planned.name, status="failed", reason=f"{type(exc).__name__}: {exc}"[:200])
    finally:
        out.unlink(missing_ok=True)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    video_id, name = str(event.get("video_id", "")), str(event.get("rendition", ""))
    video = repo().get(video_id)
    planned = video.rendition(name) if video else None
    if video is None or planned is None or planned.settled:
        return {"outcome": "nothing to do"}
    made = make(video, planned)
    updated, settled_now = repo().update_and_settle(video_id, made)
    if updated is None:  # deleted while we worked: drop what we wrote
        blobs().delete_prefix(f"renditions/{video_id}/")
        return {"outcome": "deleted"}
    metrics.add_dimension(name="rendition", value=name)
    metrics.add_metric(name="Renditions" if made.status == "ready" else "RenditionFailures",
                       unit=MetricUnit.Count, value=1)
    if settled_now:  # exactly one render settles the video: it tells the subscribers
        notifier().video_settled(updated)
        logger.info("settled", extra={"video_id": video_id, "status": updated.status})
    return {"outcome": made.status, "video_status": updated.status}
