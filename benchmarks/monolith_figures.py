"""Issue 2's figures, measured in one run on this machine:

1. the monolith's GET /videos throughput and p50/p99 at saturation under Locust (no think time);
2. the time from upload acknowledged to `ready` for a 10 s 1280x720 clip with audio, as a ratio to
   running the same ffmpeg commands directly.

Usage: .venv/bin/python benchmarks/monolith_figures.py [--users 32] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from videocatalog import testmedia, transcode
from workshop.archs import monolith
from workshop.measure import metadata, seed
from workshop.measure.client import CatalogClient, NotReady
from workshop.measure.loadrun import LoadParams, run_load


def saturation(url: str, users: int, seconds: int, folder: Path) -> dict:
    """Locust (closed loop, no think time) on GET /videos only; the summary of the run."""
    params = LoadParams(users=users, spawn_rate=users, duration_s=seconds, think_time="0", tags="list")
    return run_load(url, folder, params, monolith.pids)


def main(argv: list[str] | None = None) -> int:
    """Bring the monolith up in a private state folder, measure, print the figures, bring it down."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="monolith-figures-") as tmp:
        os.environ["WORKSHOP_STATE_DIR"] = tmp
        try:
            url = monolith.up()  # inside the try: a partial up is brought down too
            seed.create_videos(url, 100)
            load = saturation(url, args.users, args.seconds, Path(tmp) / "locust")
            clip = testmedia.make_clip(Path(tmp) / "clip.mp4", 1280, 720, 10, audio=True)
            direct_s = transcode.time_direct_render(clip, Path(tmp) / "direct")
            try:
                to_ready_s, video = CatalogClient(url).upload_to_ready_s(clip)
            except NotReady as exc:  # a failed transcode is no upload-to-ready time
                to_ready_s, video = None, {**exc.video, "error": str(exc)}
        finally:
            monolith.down()
    total = load["total"]
    machine = metadata.machine()
    print(f"GET /videos at saturation ({args.users} users, no think time, {args.seconds} s, "
          f"{machine['cpu_count_logical']} logical cores ({machine['cpu_model']}), Locust on the same machine):")
    print(f"  throughput {total['rps']:.1f} req/s (highest rolling rate: {load['peak_rps']:.0f}), "
          f"p50 {total['p50_ms']:.0f} ms, p99 {total['p99_ms']:.0f} ms, errors {total['error_rate']:.2%}")
    print(f"  Locust CPU: {load['resources'].get('locust', {})}")
    if to_ready_s is None:
        print(f"10 s 1280x720 clip: upload-to-ready not measured ({video['error']}); "
              f"the same ffmpeg commands run directly: {direct_s:.2f} s")
    else:
        print(f"10 s 1280x720 clip: upload acknowledged -> {video['status']} in {to_ready_s:.2f} s; "
              f"the same ffmpeg commands run directly: {direct_s:.2f} s; ratio {to_ready_s / direct_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
