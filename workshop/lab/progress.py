"""Progress lines (tqdm, on stderr) for notebook helpers that run longer than a few seconds, so no cell is silent."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from workshop.measure import loadrun
from workshop.measure.client import CatalogClient


@contextlib.contextmanager
def ticker(desc: str, total_s: float | None = None, status: Callable[[], str] | None = None,
           every_s: float = 1.0, after_s: float = 2.0) -> Iterator[None]:
    """A progress line while the block runs (from `after_s` on): elapsed time, a bar towards `total_s`, `status()`."""
    about = f" of about {total_s:.0f} s" if total_s else ""
    bar_format = "{desc}: " + ("{bar:20} " if total_s else "") + "{elapsed}" + about + "{postfix}"
    start, stop = time.monotonic(), threading.Event()
    bars: list[tqdm] = []  # made at the first tick after `after_s`, so a quick call prints nothing

    def tick() -> None:
        elapsed = time.monotonic() - start
        if not bars:
            if elapsed < after_s:
                return
            # delay > 0: no line at creation, before its clock is set back to count from the block's start
            bars.append(tqdm(desc=desc, total=total_s or None, bar_format=bar_format, file=sys.stderr, delay=1e-9))
            bars[0].start_t -= elapsed
        bars[0].n = min(elapsed, total_s) if total_s else elapsed
        if status is not None:
            with contextlib.suppress(Exception):  # a progress line must never break the work it reports on
                bars[0].set_postfix_str(status()[:80], refresh=False)
        bars[0].refresh()

    def loop() -> None:  # a thread: the block itself may sit in a blocking wait (a subprocess, Locust)
        while not stop.wait(every_s):
            tick()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        if bars:
            tick()
            bars[0].close()


def run_load(base_url: str, folder: Path, params: loadrun.LoadParams,
             sut_pids: Callable[[], dict[str, int]]) -> dict[str, Any]:
    """`loadrun.run_load` (one Locust run as a subprocess) with a progress line; its summary."""
    desc = f"Locust {params.shape}, {params.users} users"
    with ticker(desc, total_s=params.duration_s):
        return loadrun.run_load(base_url, folder, params, sut_pids)


def wait_settled(client: CatalogClient, *video_ids: str, timeout_s: float = 300,
                 poll_s: float = 0.2) -> list[dict[str, Any]]:
    """Poll until every video is ready or failed, with a progress line; the videos, in the order given."""
    settled: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout_s
    label = f"{len(video_ids)} videos" if len(video_ids) > 1 else f"video {video_ids[0]}"
    with ticker(f"transcoding {label}", status=lambda: f"{len(settled)} of {len(video_ids)} settled"):
        while len(settled) < len(video_ids):
            for video_id in video_ids:
                if video_id not in settled:
                    video = client.get(video_id)
                    if video["status"] in ("ready", "failed"):
                        settled[video_id] = video
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(video_ids) - len(settled)} video(s) not settled after {timeout_s:.0f}s")
            if len(settled) < len(video_ids):
                time.sleep(poll_s)
    return [settled[v] for v in video_ids]


def cli(*args: str, timeout_s: float = 900) -> str:
    """Run the `workshop` command (as `python -m workshop ARGS`) with a progress line; what it printed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # its lines reach the progress line as they are printed
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-m", "workshop", *args], stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, env=env)
        try:
            with ticker(f"workshop {args[0] if args else ''}".strip(), status=lambda: _last_line(out)):
                code = proc.wait(timeout=timeout_s)
        finally:
            if proc.poll() is None:  # timed out or interrupted: never leave the command running
                proc.terminate()
                proc.wait()
        out.seek(0)
        err.seek(0)
        printed, complaint = out.read(), err.read()
    if code != 0:
        raise RuntimeError(f"workshop {' '.join(args)} exited {code}: {complaint[-800:]}")
    return printed


def _last_line(stream: Any) -> str:
    size = os.fstat(stream.fileno()).st_size
    tail = os.pread(stream.fileno(), 4000, max(0, size - 4000))  # pread: the shared file offset stays put
    lines = tail.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""
