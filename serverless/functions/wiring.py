"""Adapters and the core's Catalog for a function, built once per execution environment (on first use)."""

from __future__ import annotations

import functools
from typing import Any

from serverless.functions import settings
from videocatalog.adapters.dynamodb import DynamoRepository
from videocatalog.adapters.s3 import S3BlobStore
from videocatalog.adapters.sns import SnsNotifier
from videocatalog.adapters.views_aws import CountsViewLog, KinesisViewLog
from videocatalog.model import Rendition, Video
from videocatalog.service import Catalog


@functools.cache
def repo() -> DynamoRepository:
    """The video table."""
    return DynamoRepository(settings.videos_table())


@functools.cache
def blobs() -> S3BlobStore:
    """The media bucket."""
    return S3BlobStore(settings.media_bucket())


@functools.cache
def notifier() -> SnsNotifier:
    """The status topic."""
    return SnsNotifier(settings.status_topic())


@functools.cache
def catalog(views: str = "counts") -> Catalog:
    """The core's use cases on DynamoDB and S3; views go to the stream ("stream") or the counts ("counts")."""
    view_log: Any = KinesisViewLog(settings.views_stream()) if views == "stream" else CountsViewLog(
        settings.counts_table())
    return Catalog(repo(), blobs(), view_log)  # uploads go straight to S3: no upload use case here


def rendition_url(video: Video, rendition: Rendition) -> str | None:
    """A presigned S3 GET URL for a ready rendition."""
    return blobs().presign_get(rendition.key, settings.url_ttl_s()) if rendition.key else None


def video_json(video: Video) -> dict[str, Any]:
    """The contract's Video object with presigned rendition URLs."""
    return video.to_api(rendition_url)
