"""Reading requests between services: JSON bodies, records, required arguments, and draining."""

from __future__ import annotations

from typing import Any

from flask import request

from ..errors import ValidationError
from ..model import Video


def body() -> dict[str, Any]:
    """The request's JSON object."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("body", "must be a JSON object")
    return data


def build(cls: type, data: dict[str, Any]) -> Any:
    """A Video (from its record) or another dataclass from a JSON object; 400 when it does not fit."""
    try:
        return cls.from_record(data) if cls is Video else cls(**data)
    except (TypeError, KeyError, ValueError) as exc:
        raise ValidationError("body", f"not a {cls.__name__}: {exc}") from exc


def arg(name: str) -> str:
    """A required query argument."""
    value = request.args.get(name)
    if not value:
        raise ValidationError(name, "is required")
    return value


def drain(limit: int = 1 << 20) -> None:
    """Read what the caller still sends (up to `limit`), so it gets to read our error on a usable connection."""
    while limit > 0 and (chunk := request.stream.read(1 << 16)):
        limit -= len(chunk)
