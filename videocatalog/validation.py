"""Validation of the contract's inputs: request bodies and list queries."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from videocatalog.errors import ValidationError
from videocatalog.model import STATUSES
from videocatalog.ports import ListQuery
from videocatalog.textrules import CREATED_AT_RE, CURSOR_ALPHABET, VIDEO_ID_RE, has_control, trim

TAG_RE = re.compile(r"[a-z0-9-]{1,50}")  # used with fullmatch: `$` would let a trailing newline in
MAX_TITLE, MAX_DESCRIPTION, MAX_TAGS = 200, 5000, 20
CURSOR_RE = re.compile(f"[{CURSOR_ALPHABET}]{{1,400}}")
LIST_PARAMS = {"q", "tag", "status", "limit", "cursor"}


@dataclass(frozen=True)
class NewVideo:
    """A validated `POST /videos` body."""

    title: str
    description: str = ""
    tags: tuple[str, ...] = ()


def parse_json_object(raw: bytes | str) -> dict[str, Any]:
    """Decode a request body that must be a JSON object."""
    try:
        body = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise ValidationError("body", "must be a JSON object") from exc
    if not isinstance(body, dict):
        raise ValidationError("body", "must be a JSON object")
    return body


def is_unicode_text(text: str) -> bool:
    """False for a string no store can encode: a lone surrogate (the valid JSON escape "\\udc00") is no UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(field: str, text: str) -> str:
    """`text`, or a ValidationError naming `field` when it is not valid Unicode text."""
    if not is_unicode_text(text):
        raise ValidationError(field, "must be valid Unicode text")
    return text


def parse_int(field: str, text: str, low: int, high: int) -> int:
    """The integer `text` (ASCII digits only: `"²".isdigit()` is true) if it lies in [low, high]."""
    if not (text.isascii() and text.isdigit() and len(text) <= 20) or not low <= int(text) <= high:
        raise ValidationError(field, f"must be an integer from {low} to {high}")
    return int(text)


def parse_new_video(body: Any) -> NewVideo:
    """Check a create body: title 1-200 (trimmed), description <= 5000, <= 20 tags of a-z0-9-."""
    if not isinstance(body, dict):
        raise ValidationError("body", "must be a JSON object")
    unknown = sorted(set(body) - {"title", "description", "tags"})
    if unknown:
        raise ValidationError(unknown[0], "unknown field")
    title = body.get("title")
    if not isinstance(title, str):
        raise ValidationError("title", "is required and must be a string")
    # Controls are refused anywhere (before trimming), as the contract's pattern says.
    if has_control(check_text("title", title)):
        raise ValidationError("title", "must not contain control characters")
    title = trim(title)
    if not 1 <= len(title) <= MAX_TITLE:
        raise ValidationError("title", f"must be 1-{MAX_TITLE} characters after trimming")
    description = body.get("description", "")
    if not isinstance(description, str):
        raise ValidationError("description", "must be a string")
    check_text("description", description)
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError("description", f"must be at most {MAX_DESCRIPTION} characters")
    return NewVideo(title, description, _parse_tags(body.get("tags", [])))


def _parse_tags(tags: Any) -> tuple[str, ...]:
    if not isinstance(tags, list):
        raise ValidationError("tags", "must be a list of strings")
    if len(tags) > MAX_TAGS:
        raise ValidationError("tags", f"at most {MAX_TAGS} tags")
    for tag in tags:
        if not isinstance(tag, str) or not TAG_RE.fullmatch(tag):
            raise ValidationError("tags", "each tag must be 1-50 characters of a-z, 0-9 and -")
    return tuple(dict.fromkeys(tags))  # keep order, drop repeats


def parse_list_query(args: Mapping[str, str]) -> ListQuery:
    """Check `GET /videos` query parameters and decode the cursor."""
    unknown = sorted(set(args) - LIST_PARAMS)
    if unknown:
        raise ValidationError(unknown[0], "unknown query parameter")
    limit_text = args.get("limit", "20")
    limit = parse_int("limit", limit_text or "", 1, 100)
    # An empty `status` or `tag` is refused, not ignored: the contract's enum and minLength allow no "".
    status = args.get("status")
    if status is not None and status not in STATUSES:
        raise ValidationError("status", f"must be one of {', '.join(STATUSES)}")
    tag = args.get("tag")
    if tag is not None and not TAG_RE.fullmatch(tag):
        raise ValidationError("tag", "must be 1-50 characters of a-z, 0-9 and -")
    q = args.get("q") or None
    if q is not None and len(check_text("q", q)) > MAX_TITLE:
        raise ValidationError("q", f"must be at most {MAX_TITLE} characters")
    cursor = args.get("cursor")
    after = decode_cursor(cursor) if cursor is not None else None
    return ListQuery(q=q, tag=tag, status=status, limit=limit, after=after)


def encode_cursor(after: tuple[str, str] | None) -> str | None:
    """The opaque cursor for a page that continues after (created_at, id)."""
    if after is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(list(after)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    """The (created_at, id) inside a cursor; raises ValidationError naming `cursor`."""
    if not CURSOR_RE.fullmatch(cursor):
        raise ValidationError("cursor", "is not a cursor this API issued")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError("cursor", "is not a cursor this API issued") from exc
    # We issue only [created_at, id] as written by the API (the contract's `cursor` format).
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
            and CREATED_AT_RE.fullmatch(value[0]) and VIDEO_ID_RE.fullmatch(value[1])):
        raise ValidationError("cursor", "is not a cursor this API issued")
    return value[0], value[1]
