"""Reading requests between services: JSON bodies, records, typed fields and arguments, and draining.

Every reader answers malformed input with a ValidationError naming the field (a 400), never a 500.
"""

from __future__ import annotations

import dataclasses
import math
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from flask import request

from videocatalog.errors import ValidationError
from videocatalog.model import Video
from videocatalog.validation import is_unicode_text, parse_int


def body() -> dict[str, Any]:
    """The request's JSON object, every string in it valid Unicode text (the stores cannot encode a lone surrogate)."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting
        data = None
    if not isinstance(data, dict):
        raise ValidationError("body", "must be a JSON object")
    for key, value in data.items():
        if not is_unicode_text(key):
            raise ValidationError("body", "must be valid Unicode text")
        if not _all_text_unicode(value):
            raise ValidationError(key, "must be valid Unicode text")
    return data


def _all_text_unicode(value: Any) -> bool:
    stack = [value]  # a loop, not recursion: the JSON may nest as deep as the parser allowed
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not is_unicode_text(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def build(cls: type, data: dict[str, Any]) -> Any:
    """A Video (from its record) or another dataclass from a JSON object; 400 when it does not fit its types."""
    if cls is Video:
        for name in ("tags", "renditions"):  # from_record would turn a string into a tuple of letters
            if data.get(name) is not None and not isinstance(data[name], list):
                raise ValidationError(name, "must be a list")
    try:
        obj = cls.from_record(data) if cls is Video else cls(**data)
    except (TypeError, KeyError, ValueError) as exc:
        raise ValidationError("body", f"not a {cls.__name__}: {exc}") from exc
    wrong = _misfit(obj)
    if wrong is not None:
        raise ValidationError(wrong, f"has the wrong type for a {cls.__name__}")
    return obj


_HINTS: dict[type, dict[str, Any]] = {}


def _misfit(obj: Any) -> str | None:
    """The first field of the dataclass `obj` whose value does not have its declared type, or None."""
    cls = type(obj)
    hints = _HINTS.get(cls) or _HINTS.setdefault(cls, get_type_hints(cls))
    return next((f.name for f in dataclasses.fields(obj) if not _fits(getattr(obj, f.name), hints[f.name])), None)


def _fits(value: Any, hint: Any) -> bool:
    origin, params = get_origin(hint), get_args(hint)
    if hint is Any:
        return True
    if origin in (Union, types.UnionType):
        return any(_fits(value, p) for p in params)
    if origin is tuple:  # only tuple[X, ...] occurs in the model
        return isinstance(value, tuple) and all(_fits(v, params[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(_fits(k, params[0]) and _fits(v, params[1]) for k, v in value.items())
    if hint in (int, float):  # JSON has one number type; a bool is no number here
        return isinstance(value, int if hint is int else (int, float)) and not isinstance(value, bool)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return isinstance(value, hint) and _misfit(value) is None
    return isinstance(value, hint)


def text_field(data: dict[str, Any], name: str) -> str:
    """A required, non-empty string field of a JSON object."""
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ValidationError(name, "is required and must be a non-empty string")
    return value


def number_field(data: dict[str, Any], name: str, *, minimum: float | None = None) -> float:
    """A required, finite number field of a JSON object (at least `minimum`, when given)."""
    value = data.get(name)
    try:
        number = math.nan if isinstance(value, bool) or not isinstance(value, (int, float)) else float(value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        raise ValidationError(name, "is required and must be a finite number")
    if minimum is not None and number < minimum:
        raise ValidationError(name, f"must be at least {minimum:g}")
    return number


def arg(name: str) -> str:
    """A required query argument."""
    value = request.args.get(name)
    if not value:
        raise ValidationError(name, "is required")
    return value


def int_arg(name: str, low: int, high: int, default: int | None = None) -> int:
    """An integer query argument from `low` to `high` (ASCII digits); required unless it has a default (when absent)."""
    text = request.args.get(name)
    if text is None:
        if default is None:
            raise ValidationError(name, "is required")
        return default
    return parse_int(name, text, low, high)


def float_arg(name: str) -> float:
    """A required query argument that is a finite number."""
    text = arg(name)
    try:
        value = float(text) if text.isascii() else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValidationError(name, "must be a finite number")
    return value


def drain(limit: int = 1 << 20) -> None:
    """Read what the caller still sends (up to `limit`), so it gets to read our error on a usable connection."""
    while limit > 0 and (chunk := request.stream.read(1 << 16)):
        limit -= len(chunk)
