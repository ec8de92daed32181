"""Rendition rules of the cascade: which outputs a source gets, at what size, and where they are stored."""

from __future__ import annotations

from dataclasses import replace

from videocatalog.model import RENDITION_NAMES, Rendition, Source

# The shorter side each scaled-down video rendition gets.
TARGET_SHORT_SIDE = {"480p": 480, "360p": 360}
THUMBNAIL_LONG_SIDE = 320
EXTENSIONS = {"hq": "mp4", "480p": "mp4", "360p": "mp4", "audio": "m4a", "thumbnail": "jpg"}
CONTENT_TYPES = {"mp4": "video/mp4", "m4a": "audio/mp4", "jpg": "image/jpeg"}


def rendition_key(video_id: str, name: str) -> str:
    """The blob-store key of rendition `name` of video `video_id`."""
    return f"renditions/{video_id}/{name}.{EXTENSIONS[name]}"


def even_down(value: int) -> int:
    """`value` rounded down to an even number, at least 2."""
    return max(2, value - value % 2)


def even_nearest(value: float) -> int:
    """`value` rounded to the nearest even number (halves round up), at least 2."""
    return max(2, int(value / 2 + 0.5) * 2)


def scale_short_side(width: int, height: int, short: int) -> tuple[int, int]:
    """Dimensions whose shorter side is `short` and whose longer side keeps the aspect ratio, even."""
    if width >= height:
        return even_nearest(width * short / height), short
    return short, even_nearest(height * short / width)


def scale_long_side(width: int, height: int, long: int) -> tuple[int, int]:
    """Dimensions whose longer side is `long` and whose shorter side keeps the aspect ratio, even."""
    if width >= height:
        return long, even_nearest(height * long / width)
    return even_nearest(width * long / height), long


def plan(video_id: str, source: Source) -> tuple[Rendition, ...]:
    """One Rendition per name in RENDITION_NAMES: pending with its target size, or skipped with a reason."""
    if not source.width or not source.height:
        raise ValueError("a source without width and height cannot be planned (probe it first)")
    return tuple(_plan_one(video_id, name, source.width, source.height, bool(source.has_audio))
                 for name in RENDITION_NAMES)


def _plan_one(video_id: str, name: str, width: int, height: int, has_audio: bool) -> Rendition:
    pending = Rendition(name=name, status="pending", key=rendition_key(video_id, name),
                        content_type=CONTENT_TYPES[EXTENSIONS[name]])
    if name == "hq":
        return _sized(pending, (even_down(width), even_down(height)))
    if name in TARGET_SHORT_SIDE:
        short = TARGET_SHORT_SIDE[name]
        if min(width, height) < short:
            return Rendition(name=name, status="skipped", reason="no_upscale")
        return _sized(pending, scale_short_side(width, height, short))
    if name == "audio":
        return pending if has_audio else Rendition(name=name, status="skipped", reason="no_audio")
    if name == "thumbnail":
        return _sized(pending, scale_long_side(width, height, THUMBNAIL_LONG_SIDE))
    raise ValueError(f"unknown rendition {name!r}")


def _sized(rendition: Rendition, size: tuple[int, int]) -> Rendition:
    return replace(rendition, width=size[0], height=size[1])
