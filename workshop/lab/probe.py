"""Small measurements and displays for the notebooks: sequential latency samples, probes, percentiles."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from workshop.lab.progress import ticker
from workshop.measure.client import CatalogClient


def time_calls(call: Callable[[], Any], n: int) -> list[float]:
    """Milliseconds each of `n` sequential calls took (a latency sample, one request at a time)."""
    out = []
    for _ in range(n):
        start_t = time.perf_counter()
        call()
        out.append((time.perf_counter() - start_t) * 1000)
    return out


def time_calls_for(call: Callable[[], Any], seconds: float, desc: str = "sequential calls") -> list[float]:
    """Milliseconds of sequential calls made for `seconds` (at least one call), with a progress line."""
    out: list[float] = []
    deadline = time.perf_counter() + seconds
    with ticker(desc, total_s=seconds, status=lambda: f"{len(out)} calls"):
        while not out or time.perf_counter() < deadline:
            out.extend(time_calls(call, 1))
    return out


def watch_health(url: str, action: Callable[[], Any], interval_s: float = 0.05, settle_s: float = 1.0,
                 path: str = "/health") -> list[dict[str, Any]]:
    """Probe `url` + `path` while `action` runs (and `settle_s` after): one row per probe (t, status, release)."""
    rows: list[dict[str, Any]] = []
    stop = threading.Event()
    t0 = time.monotonic()

    def probe() -> None:
        session = requests.Session()
        while not stop.is_set():
            row: dict[str, Any] = {"t_s": round(time.monotonic() - t0, 3), "status": "refused", "release": None,
                                   "error": None}
            try:
                resp = session.get(url + path, timeout=2)
                row["status"] = resp.status_code
                body = resp.json()
                row["release"] = body.get("release") if resp.ok else None
                row["error"] = None if resp.ok else body.get("error", {}).get("code")
            except (requests.RequestException, ValueError):
                session = requests.Session()  # a dropped connection: start clean
            rows.append(row)
            stop.wait(interval_s)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    try:
        action()
        time.sleep(settle_s)
    finally:
        stop.set()
        thread.join()
    return rows


def show(obj: Any, keys: list[str] | None = None) -> None:
    """Print a JSON object (optionally only `keys`) readably."""
    if keys is not None and isinstance(obj, dict):
        obj = {k: obj.get(k) for k in keys}
    print(json.dumps(obj, indent=2, default=str))


def percentiles(samples: list[float], points: tuple[int, ...] = (50, 95, 99)) -> dict[str, float]:
    """Nearest-rank percentiles of `samples`, e.g. {"p50": ..., "p95": ..., "p99": ...}."""
    ordered = sorted(samples)
    if not ordered:
        return {f"p{p}": float("nan") for p in points}
    return {f"p{p}": round(ordered[min(len(ordered) - 1, max(0, -(-p * len(ordered) // 100) - 1))], 2)
            for p in points}


def watch_cascade(client: CatalogClient, video_id: str, timeout_s: float = 300,
                  poll_s: float = 0.1) -> list[dict[str, Any]]:
    """Poll a video until it settles, with a progress line: one row per rendition status change (t_s, name, status)."""
    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    t0 = time.monotonic()
    progress = lambda: ", ".join(f"{name} {status}" for name, status in seen.items()) or "processing"  # noqa: E731
    with ticker(f"video {video_id}", status=progress):
        while time.monotonic() - t0 < timeout_s:
            video = client.get(video_id)
            for rendition in video["renditions"]:
                if seen.get(rendition["name"]) != rendition["status"]:
                    seen[rendition["name"]] = rendition["status"]
                    rows.append({"t_s": round(time.monotonic() - t0, 2), "name": rendition["name"],
                                 "status": rendition["status"], "video": video["status"]})
            if video["status"] in ("ready", "failed"):
                return rows
            time.sleep(poll_s)
    raise TimeoutError(f"video {video_id} not settled after {timeout_s:.0f}s")
