"""Baseline for "upload-to-ready vs ffmpeg directly": time ffmpeg alone making every rendition of a clip."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from videocatalog.testmedia import make_clip
from videocatalog.transcode import time_direct_render


def direct_seconds(clip_path: str | Path) -> float:
    """Seconds ffmpeg takes, run sequentially like the pipeline, to make all renditions of `clip_path`."""
    with tempfile.TemporaryDirectory(prefix="transcode-direct-") as workdir:
        return time_direct_render(clip_path, workdir)


def main(argv: list[str] | None = None) -> int:
    """Generate a clip (10 s, 1280x720, with audio by default), then print the direct transcoding time."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--clip", type=Path, help="use this clip instead of generating one")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs to time (each printed)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="transcode-clip-") as folder:
        clip = args.clip
        if clip is None:
            width, height = (int(v) for v in args.size.lower().split("x"))
            clip = make_clip(Path(folder) / "clip.mp4", width, height, args.seconds)
        for _ in range(args.repeat):
            print(f"{direct_seconds(clip):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
