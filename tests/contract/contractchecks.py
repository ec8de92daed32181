"""Checks of the contract suite: the error shape, validation errors naming the field, the Video shape."""

from __future__ import annotations

from datetime import datetime

import requests

ERROR_CODES = {"validation_error", "unauthorized", "not_found", "conflict", "payload_too_large",
               "throttled", "unavailable", "internal"}
VIDEO_KEYS = {"id", "title", "description", "tags", "status", "created_at", "updated_at", "source",
              "renditions", "error"}


def parse_time(text: str) -> datetime:
    """An RFC 3339 timestamp as an aware datetime."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, f"timestamp without a zone: {text}"
    return parsed


def assert_error(resp: requests.Response, status: int | tuple[int, ...], code: str | None = None) -> dict:
    """Check an error response: status, JSON content type, the error shape and a contract code."""
    allowed = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in allowed, (resp.status_code, resp.text[:500])
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"error is not JSON ({ctype}): {resp.text[:200]}"
    assert "Traceback" not in resp.text
    body = resp.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), body
    err = body["error"]
    assert err.get("code") in ERROR_CODES, err
    assert isinstance(err.get("message"), str) and err["message"], err
    if code is not None:
        assert err["code"] == code, err
    return err


def assert_names_field(err: dict, field: str) -> None:
    """Check that a validation error names `field` in its `field` or its message."""
    named = f"{err.get('field', '')} {err['message']}"
    assert field in named, f"error does not name {field!r}: {err}"


def assert_video_shape(video: dict) -> None:
    """Check a Video object has every contract field with a sensible type."""
    assert VIDEO_KEYS <= set(video), VIDEO_KEYS - set(video)
    assert isinstance(video["id"], str) and video["id"]
    assert video["status"] in {"awaiting_upload", "processing", "ready", "failed"}
    assert isinstance(video["tags"], list) and isinstance(video["renditions"], list)
    parse_time(video["created_at"])
    parse_time(video["updated_at"])
