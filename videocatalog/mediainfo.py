"""What ffmpeg prints about an input file, read into facts (there is no ffprobe in imageio-ffmpeg)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

CONTAINER_TYPES = {"avi": "video/x-msvideo", "mpegts": "video/mp2t", "flv": "video/x-flv",
                   "mpeg": "video/mpeg", "ogg": "video/ogg", "asf": "video/x-ms-asf", "gif": "image/gif"}
IMAGE_CODECS = {"mjpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "bmp": "image/bmp"}


class UnsupportedMedia(Exception):
    """The file holds no decodable video stream."""

    code = "unsupported_media"


@dataclass(frozen=True)
class MediaInfo:
    """What ffmpeg printed about an input file (dimensions as displayed, i.e. after rotation)."""

    content_type: str | None
    duration_s: float | None
    width: int | None
    height: int | None
    has_video: bool
    has_audio: bool
    is_image: bool
    decoded_frames: int


def last_line(stderr: bytes) -> str:
    """The last non-empty line of ffmpeg's stderr, without its "[component @ 0x...]" prefix."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    # Drop ffmpeg's "[component @ 0x...]" prefix: it means nothing to a reader of the API.
    return re.sub(r"^\[[^\]]*@ 0x[0-9a-f]+\]\s*", "", lines[-1]) if lines else ""


def parse_ffmpeg_info(stderr: str, path: Path) -> MediaInfo:
    """Read container, duration, streams and decoded frames from the stderr of `ffmpeg -i FILE`."""
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Input #0, ")), None)
    if start is None:
        reason = last_line(stderr.encode()).removeprefix("Error opening input files: ")
        raise UnsupportedMedia(f"not a media file ({reason or 'ffmpeg cannot open it'})")
    container = lines[start][len("Input #0, "):].split(", from ")[0]
    block = list(takewhile(lambda line: line.startswith(" "), lines[start + 1:]))
    text = "\n".join(block)
    streams = _streams(block)
    video = next((s for s in streams if s[0] == "Video" and "(attached pic)" not in s[1]), None)
    width, height = _dimensions(*video[1:]) if video else (None, None)
    codec = video[1].split()[0].rstrip(",") if video else ""
    duration = re.search(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", text)
    frames = re.findall(r"frame=\s*(\d+)", stderr)
    is_image = container == "image2" or container.endswith("_pipe")
    content_type = IMAGE_CODECS.get(codec) if is_image else _content_type(container, text, bool(video), path)
    return MediaInfo(
        content_type=content_type,
        duration_s=int(duration[1]) * 3600 + int(duration[2]) * 60 + float(duration[3]) if duration else None,
        width=width, height=height, has_video=video is not None,
        has_audio=any(s[0] == "Audio" for s in streams), is_image=is_image,
        decoded_frames=int(frames[-1]) if frames else 0)


def _streams(block: list[str]) -> list[tuple[str, str, str]]:
    # (kind, the stream line after "Kind: ", the stream's metadata and side-data lines)
    streams: list[tuple[str, str, str]] = []
    for line in block:
        match = re.match(r"\s+Stream #0:\d+\S*: (\w+): (.*)", line)
        if match:
            streams.append((match[1], match[2], ""))
        elif streams:
            kind, desc, extra = streams[-1]
            streams[-1] = (kind, desc, extra + line + "\n")
    return streams


def _dimensions(desc: str, extra: str) -> tuple[int | None, int | None]:
    size = re.search(r", (\d+)x(\d+)", desc)
    if not size:
        return None, None
    width, height = int(size[1]), int(size[2])
    rotation = re.search(r"rotation of (-?[\d.]+) degrees|rotate\s*: (-?\d+)", extra)
    turns = round(abs(float(rotation[1] or rotation[2])) / 90) if rotation else 0
    # A phone's portrait video is stored landscape with a 90-degree display matrix: report what is shown.
    return (height, width) if turns % 2 else (width, height)


def _content_type(container: str, text: str, has_video: bool, path: Path) -> str:
    if container.startswith("mov,mp4"):
        brand = re.search(r"major_brand\s*:\s*(\S+)", text)
        if brand and brand[1].startswith("qt"):
            return "video/quicktime"
        if brand and brand[1].startswith("3g"):
            return "video/3gpp"
        return "video/mp4" if has_video else "audio/mp4"
    if container.startswith("matroska"):
        # ffmpeg names one demuxer for both; the EBML DocType near the start of the file tells them apart.
        with path.open("rb") as head:
            return "video/webm" if b"webm" in head.read(4096) else "video/x-matroska"
    return CONTAINER_TYPES.get(container, "application/octet-stream")
