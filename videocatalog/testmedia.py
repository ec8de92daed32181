"""Test media generated on the spot with ffmpeg's lavfi sources (testsrc2, sine); nothing is downloaded."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from videocatalog.transcode import ffmpeg_exe

StrPath = str | os.PathLike[str]
FAST_H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]


def make_clip(path: StrPath, width: int, height: int, seconds: float, audio: bool = True, fps: int = 25,
              rotate: int = 0, black_s: float = 0.0) -> Path:
    """Write an H.264/AAC MP4 test pattern; `rotate` adds a display rotation, `black_s` a black lead-in."""
    out = Path(path)
    size = f"size={width}x{height}:rate={fps}"
    inputs = _lavfi(f"testsrc2={size}:duration={seconds}")
    picture = ["-map", "0:v"]
    if black_s > 0:
        # A black opening then the pattern, like a fade from black in a real recording.
        inputs += _lavfi(f"color=c=black:{size}:duration={black_s}")
        picture = ["-filter_complex", "[1:v][0:v]concat=n=2:v=1:a=0[v]", "-map", "[v]"]
    sound = ["-an"]
    if audio:
        sound = ["-map", f"{len(inputs) // 4}:a", "-c:a", "aac", "-b:a", "96k"]  # 4 argv items per input
        inputs += _lavfi(f"sine=frequency=440:sample_rate=44100:duration={seconds + black_s}")
    target = out.with_name(out.stem + ".unrotated" + out.suffix) if rotate else out
    _ffmpeg([*inputs, *picture, *sound, *FAST_H264, "-movflags", "+faststart", str(target)])
    if rotate:
        # A phone stores portrait video as landscape frames plus a display matrix; remux to add one.
        _ffmpeg(["-display_rotation", str(rotate), "-i", str(target), "-c", "copy", str(out)])
        target.unlink()
    return out


def make_audio(path: StrPath, seconds: float) -> Path:
    """Write an audio-only AAC file (M4A) with a sine tone."""
    _ffmpeg([*_lavfi(f"sine=frequency=440:sample_rate=44100:duration={seconds}"),
             "-c:a", "aac", "-b:a", "96k", str(path)])
    return Path(path)


def make_image(path: StrPath, width: int, height: int) -> Path:
    """Write one still frame of the test pattern (PNG or JPEG by the file's extension)."""
    _ffmpeg([*_lavfi(f"testsrc2=size={width}x{height}"), "-frames:v", "1", "-update", "1", str(path)])
    return Path(path)


def not_video(path: StrPath, size: int = 4096) -> Path:
    """Write bytes that are no media at all: text, then pseudo-random noise."""
    noise = bytes((i * 7919 + 13) % 251 for i in range(size))
    Path(path).write_bytes(b"This is a text file, not a video.\n" + noise)
    return Path(path)


def _lavfi(spec: str) -> list[str]:
    return ["-f", "lavfi", "-i", spec]


def _ffmpeg(args: list[str]) -> None:
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    done = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {done.stderr.decode('utf-8', 'replace').strip()[-500:]}")


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one test clip."""
    parser = argparse.ArgumentParser(prog="python -m videocatalog.testmedia", description=main.__doc__)
    parser.add_argument("out", type=Path, help="output file, e.g. clip.mp4")
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT (default 1280x720)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--no-audio", action="store_true")
    parser.add_argument("--rotate", type=int, default=0, help="display rotation in degrees, e.g. 90")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    make_clip(args.out, width, height, args.seconds, audio=not args.no_audio, fps=args.fps,
              rotate=args.rotate)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
