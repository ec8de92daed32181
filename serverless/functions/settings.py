"""Each function's configuration: environment variables the deployer sets, with local defaults."""

from __future__ import annotations

import os


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def videos_table() -> str:
    """The DynamoDB table of videos."""
    return _env("VIDEOS_TABLE", "videocatalog-videos")


def counts_table() -> str:
    """The DynamoDB table of per-minute view counts."""
    return _env("VIEW_COUNTS_TABLE", "videocatalog-view-counts")


def idempotency_table() -> str:
    """The DynamoDB table where Powertools records handled events."""
    return _env("IDEMPOTENCY_TABLE", "videocatalog-idempotency")


def media_bucket() -> str:
    """The S3 bucket holding sources/ and renditions/."""
    return _env("MEDIA_BUCKET", "videocatalog-media")


def views_stream() -> str:
    """The Kinesis stream of view events."""
    return _env("VIEWS_STREAM", "videocatalog-views")


def status_topic() -> str:
    """The SNS topic told when a video becomes ready or failed."""
    return _env("STATUS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:videocatalog-status")


def render_function() -> str:
    """The render function (its `live` alias) the probe fans out to."""
    return _env("RENDER_FUNCTION", "videocatalog-render:live")


def url_ttl_s() -> int:
    """Lifetime of presigned URLs (upload and renditions)."""
    return int(_env("WORKSHOP_UPLOAD_TTL_S", "3600"))
