"""Fixed payloads for the workshop's functions: GET /videos for the list function, one 720p rendition for render."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def list_event() -> bytes:
    """An HTTP API (payload 2.0) event for GET /videos, as the gateway sends it."""
    return json.dumps({
        "version": "2.0", "routeKey": "GET /videos", "rawPath": "/videos", "rawQueryString": "",
        "headers": {"accept": "application/json"}, "isBase64Encoded": False,
        "requestContext": {"http": {"method": "GET", "path": "/videos", "sourceIp": "127.0.0.1"},
                           "stage": "$default", "routeKey": "GET /videos", "requestId": "tune"},
    }).encode()


class RenderFixture:
    """A ready video (a 1280x720 clip of `seconds`), its rendition set back to `pending` before each call."""

    def __init__(self, base_url: str, endpoint: str, function_env: dict[str, str], rendition: str = "hq",
                 seconds: float = 10.0) -> None:
        from videocatalog import testmedia
        from workshop.measure.client import CatalogClient

        # The local AWS's tables, through the core's own repository (the same items the function reads).
        for key, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
                           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
            os.environ.setdefault(key, value)
        with tempfile.TemporaryDirectory() as tmp:
            clip = testmedia.make_clip(Path(tmp) / "clip.mp4", 1280, 720, seconds)
            _, video = CatalogClient(base_url).upload_to_ready_s(clip, title="power tuning clip")
        self.video_id, self.rendition = video["id"], rendition
        self.table = function_env.get("VIDEOS_TABLE", "videocatalog-videos")

    def __call__(self) -> bytes:
        """Set the rendition back to pending (render skips settled ones) and return the render event."""
        from videocatalog.adapters.dynamodb import DynamoRepository

        repo = DynamoRepository(self.table)
        video = repo.get(self.video_id)
        if video is None or video.rendition(self.rendition) is None:
            raise RuntimeError(f"video {self.video_id} or its rendition {self.rendition!r} is gone")
        renditions = tuple(dataclasses.replace(r, status="pending") if r.name == self.rendition else r
                           for r in video.renditions)
        repo.save(video.touch(renditions=renditions, status="processing"))
        return json.dumps({"video_id": self.video_id, "rendition": self.rendition}).encode()


def payload_for(short: str, payload: str | None, info: Mapping[str, Any], function_env: dict[str, str],
                rendition: str, seconds: float) -> Any:
    """A callable giving the payload of each invocation: --payload if given, else the function's fixture."""
    if payload is not None:
        body = Path(payload[1:]).read_bytes() if payload.startswith("@") else payload.encode()
        return lambda: body
    if short == "list_videos":
        return list_event
    if short == "render":
        return RenderFixture(info["url"], info["endpoint"], function_env, rendition, seconds)
    raise SystemExit(f"no built-in payload for {short!r}: give one with --payload JSON or --payload @file")
