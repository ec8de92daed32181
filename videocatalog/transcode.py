"""The transcoder: probe a file and make its renditions with the ffmpeg binary shipped by imageio-ffmpeg."""

from __future__ import annotations

import functools
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import imageio_ffmpeg

from videocatalog.mediainfo import MediaInfo, UnsupportedMedia, last_line, parse_ffmpeg_info
from videocatalog.model import Rendition, Source
from videocatalog.renditions import plan

__all__ = ["FfmpegTranscoder", "MediaInfo", "UnsupportedMedia", "parse_ffmpeg_info", "probe", "render",
           "render_command"]

StrPath = str | os.PathLike[str]
AAC = ["-c:a", "aac", "-b:a", "128k"]
THUMBNAIL_BATCH = 25  # frames the `thumbnail` filter compares: about one second, enough to skip a black frame


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary (from the imageio-ffmpeg wheel, or IMAGEIO_FFMPEG_EXE)."""
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def ffmpeg_threads() -> int | None:
    """Threads per ffmpeg run from WORKSHOP_FFMPEG_THREADS; None lets ffmpeg choose."""
    value = os.environ.get("WORKSHOP_FFMPEG_THREADS", "").strip()
    return int(value) if value else None


def render_timeout_s() -> float:
    """Default limit of one rendition's ffmpeg run, from WORKSHOP_RENDER_TIMEOUT_S (600 s)."""
    return float(os.environ.get("WORKSHOP_RENDER_TIMEOUT_S", "600"))


def probe(path: StrPath) -> Source:
    """What the file holds; raises UnsupportedMedia unless it has a video stream that decodes."""
    size = os.path.getsize(path)  # a missing file is the caller's bug, not unsupported media: let it raise
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path),
            "-map", "0:V:0", "-frames:v", "1", "-f", "null", "-"]
    info = parse_ffmpeg_info(_run_probe(argv), Path(path))
    if not info.has_video or not info.width or not info.height:
        raise UnsupportedMedia("no video stream")
    if info.is_image:
        raise UnsupportedMedia("a still image, not a video")
    if info.decoded_frames < 1:
        raise UnsupportedMedia("the video stream does not decode")
    return Source(bytes=size, content_type=info.content_type, duration_s=info.duration_s,
                  width=info.width, height=info.height, has_audio=info.has_audio)


def _run_probe(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    except subprocess.TimeoutExpired as exc:
        raise UnsupportedMedia("probing took longer than 120 s") from exc
    return done.stderr.decode("utf-8", "replace")


def render_command(src_path: StrPath, rendition: Rendition, source: Source, out_path: StrPath) -> list[str]:
    """The exact ffmpeg argv that makes `rendition` of the source at `src_path` into `out_path`."""
    head = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    threads = ffmpeg_threads()
    tail = [*(["-threads", str(threads)] if threads else []), str(out_path)]
    if rendition.name == "audio":
        return [*head, "-i", str(src_path), "-map", "0:a:0", "-vn", *AAC, "-movflags", "+faststart", *tail]
    if not rendition.width or not rendition.height:
        raise ValueError(f"rendition {rendition.name} has no target size (status {rendition.status})")
    scale = f"scale={rendition.width}:{rendition.height}"
    if rendition.name == "thumbnail":
        # Seek a little way in, then let the thumbnail filter pick a representative (not black) frame.
        seek = min(1.0, 0.1 * source.duration_s) if source.duration_s else 0.0
        return [*head, "-ss", f"{seek:.3f}", "-i", str(src_path), "-map", "0:V:0",
                "-vf", f"thumbnail=n={THUMBNAIL_BATCH},{scale}", "-frames:v", "1", "-update", "1",
                "-q:v", "3", *tail]
    audio = ["-map", "0:a:0", *AAC] if source.has_audio else ["-an"]
    return [*head, "-i", str(src_path), "-map", "0:V:0", "-vf", f"{scale},setsar=1",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            *audio, "-movflags", "+faststart", *tail]


def render(src_path: StrPath, rendition: Rendition, source: Source, out_path: StrPath,
           timeout_s: float | None = None) -> Rendition:
    """Make one rendition: `ready` with the output's facts, or `failed` with a short reason; never raises."""
    if rendition.status == "skipped":
        return rendition
    limit = timeout_s if timeout_s is not None else render_timeout_s()
    try:
        argv = render_command(src_path, rendition, source, out_path)
        done = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=limit)
        if done.returncode != 0:
            return _failed(rendition, out_path, last_line(done.stderr) or f"ffmpeg exited {done.returncode}")
        info = parse_ffmpeg_info(_run_probe([ffmpeg_exe(), "-hide_banner", "-i", str(out_path)]),
                                 Path(out_path))
    except subprocess.TimeoutExpired:
        return _failed(rendition, out_path, f"ffmpeg timed out after {limit:g} s")
    except (OSError, ValueError, UnsupportedMedia) as exc:
        return _failed(rendition, out_path, str(exc) or type(exc).__name__)
    if rendition.name != "audio" and not info.has_video:
        return _failed(rendition, out_path, "ffmpeg produced no picture")
    return replace(rendition, status="ready", reason=None, width=info.width, height=info.height,
                   bytes=os.path.getsize(out_path), content_type=info.content_type)


class FfmpegTranscoder:
    """The Transcoder port on the ffmpeg binary of the imageio-ffmpeg wheel."""

    def probe(self, path: str) -> Source:
        """What the file holds (see `probe`)."""
        return probe(path)

    def render(self, src_path: str, rendition: Rendition, source: Source, out_path: str) -> Rendition:
        """One rendition, ready or failed (see `render`)."""
        return render(src_path, rendition, source, out_path)


def _failed(rendition: Rendition, out_path: StrPath, reason: str) -> Rendition:
    # A half-written output must not be mistaken for a rendition later.
    Path(out_path).unlink(missing_ok=True)
    return replace(rendition, status="failed", reason=reason[:200])


def render_all(src_path: StrPath, video_id: str, workdir: StrPath) -> tuple[Source, tuple[Rendition, ...]]:
    """Probe, plan and render every pending rendition into `workdir`, one after another."""
    source = probe(src_path)
    done = tuple(render(src_path, r, source, Path(workdir) / Path(r.key).name) if r.key else r
                 for r in plan(video_id, source))
    return source, done


def time_direct_render(src_path: StrPath, workdir: StrPath) -> float:
    """Seconds ffmpeg alone takes to make every pending rendition sequentially (probe excluded)."""
    source = probe(src_path)
    Path(workdir).mkdir(parents=True, exist_ok=True)
    commands = [render_command(src_path, r, source, Path(workdir) / Path(r.key).name)
                for r in plan("direct", source) if r.status == "pending" and r.key]
    start = time.perf_counter()
    for argv in commands:
        subprocess.run(argv, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - start
