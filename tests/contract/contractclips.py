"""Test clips: made with the project's generator, and read back with `ffmpeg -i` (not the app's probe)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

from videocatalog import testmedia

VIDEO_RE = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+).*?, (\d+)x(\d+)\b")
AUDIO_RE = re.compile(r"Stream #\d+:\d+.*?: Audio: (\w+)")
DURATION_RE = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")


CLIPS = {  # name: (width, height, audio, black lead-in s); 1 s of pattern keeps the cascade fast
    "landscape": (854, 480, True, 0.5),  # the lead-in checks that the thumbnail is not a black frame
    "portrait": (360, 640, True, 0.0),
    "silent": (640, 360, False, 0.0),
    "tiny": (320, 240, True, 0.0),
}


class Media:
    """Test media made on first use with the project's own generator (ffmpeg lavfi), kept per session."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        """The file called `name` (a key of CLIPS, or "not_video")."""
        target = self.folder / (f"{name}.mp4" if name in CLIPS else f"{name}.bin")
        if not target.exists():
            if name == "not_video":
                testmedia.not_video(target)
            else:
                width, height, audio, black_s = CLIPS[name]
                testmedia.make_clip(target, width, height, 1.0, audio=audio, black_s=black_s)
        return target

    def bytes(self, name: str) -> bytes:
        """The content of the file called `name`."""
        return self.path(name).read_bytes()


@dataclass(frozen=True)
class MediaInfo:
    """Codecs, picture size and duration of a media file (None where absent)."""

    video_codec: str | None
    width: int | None
    height: int | None
    audio_codec: str | None
    duration_s: float | None


def inspect(path: Path) -> MediaInfo:
    """Read the streams of the file at `path` with the ffmpeg of imageio-ffmpeg."""
    argv = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    text = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=60).stderr.decode(
        "utf-8", "replace")
    video, audio, duration = VIDEO_RE.search(text), AUDIO_RE.search(text), DURATION_RE.search(text)
    seconds = None
    if duration:
        hours, minutes, secs = duration.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + float(secs)
    return MediaInfo(
        video_codec=video.group(1) if video else None,
        width=int(video.group(2)) if video else None,
        height=int(video.group(3)) if video else None,
        audio_codec=audio.group(1) if audio else None,
        duration_s=seconds,
    )


def expected_size(name: str, width: int, height: int) -> tuple[int, int] | None:
    """The contract's size of rendition `name` of a width x height source; None when it is skipped."""
    short, long_ = min(width, height), max(width, height)
    if name == "hq":
        return width - width % 2, height - height % 2
    if name in ("480p", "360p"):
        target = int(name[:-1])
        if short < target:
            return None
        other = long_ * target / short
        return (other, target) if width >= height else (target, other)
    if name == "thumbnail":
        other = short * 320 / long_
        return (320, other) if width >= height else (other, 320)
    raise ValueError(name)


def assert_size(name: str, got: tuple[int, int], want: tuple[float, float]) -> None:
    """Check a produced size: fixed sides exactly, the derived (float) side within even-rounding."""
    for axis, g, w in zip("wh", got, want, strict=True):
        slack = 0 if isinstance(w, int) else 2
        assert abs(g - w) <= slack, f"{name}: {axis} is {g}, expected {w:g} (size {got}, want {want})"
    if name != "thumbnail":
        assert got[0] % 2 == 0 and got[1] % 2 == 0, f"{name}: odd dimensions {got}"
