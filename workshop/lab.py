"""Notebook helpers: quick mode, architectures that are always brought down, small measurements and displays."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from videocatalog import config

from . import archs, procs
from .client import CatalogClient

_RUNNING: dict[str, Any] = {}  # anything with a down() method, by key
_HOOKED = {"done": False}


def quick() -> bool:
    """True in quick mode (WORKSHOP_QUICK=1): smaller loads, shorter runs."""
    return os.environ.get("WORKSHOP_QUICK", "").strip().lower() in ("1", "true", "yes", "on")


def choose(quick_value: Any, full_value: Any) -> Any:
    """`quick_value` in quick mode, else `full_value`."""
    return quick_value if quick() else full_value


def scratch(name: str) -> Path:
    """A folder for a notebook's files (clips, results) under the state directory."""
    path = config.state_dir() / "notebooks" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


class Running:
    """One architecture brought up by `start`; `down()` (or the end of the kernel) stops it."""

    def __init__(self, arch: str, url: str, backend: str | None) -> None:
        self.arch, self.url, self.backend = arch, url, backend
        self.module = archs.load(arch)
        self.client = CatalogClient(url)

    def deploy(self, component: str | None, release: str, fault: str | None = None) -> str:
        """Release one component (monolith: the whole unit), optionally a bad release with `fault`."""
        self.url = self.module.deploy(component, release, {"WORKSHOP_FAULT": fault} if fault else {})
        self.client = CatalogClient(self.url)
        return self.url

    def components(self) -> dict[str, str]:
        """The release of each component, as the harness recorded it."""
        return dict((procs.load_arch(self.arch) or {}).get("components", {}))

    def pids(self) -> dict[str, int]:
        """The processes of the system under test, by name."""
        return self.module.pids()

    def down(self) -> None:
        """Stop everything this architecture started (idempotent)."""
        self.module.down()
        _RUNNING.pop(self.arch, None)

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    def __repr__(self) -> str:
        return f"<{self.arch} at {self.url}>"


def start(arch: str, backend: str | None = None, release: str = "v1") -> Running:
    """Bring `arch` up through the harness, first stopping whatever a previous run left; always torn down."""
    _install_cleanup()
    module = archs.load(arch)
    module.down()  # a re-run, or a kernel that died: never two copies, never orphans
    _RUNNING.pop(arch, None)
    chatter = io.StringIO()  # deploy steps printed by up(): shown only when it fails
    try:
        with contextlib.redirect_stdout(chatter):
            url = module.up(backend=backend, release=release)
    except BaseException:
        print(chatter.getvalue()[-4000:])
        module.down()
        raise
    running = Running(arch, url, backend)
    remember(arch, running)
    return running


def remember(key: str, thing: Any) -> None:
    """Track something with a `down()` method so the kernel's clean-up stops it too."""
    _install_cleanup()
    _RUNNING[key] = thing


def forget(key: str) -> None:
    """Stop tracking `key` (it was brought down)."""
    _RUNNING.pop(key, None)


def status() -> list[dict[str, Any]]:
    """What the harness records as up in this state folder: one row per architecture (empty when none)."""
    rows = []
    for name in archs.ARCHITECTURES:
        info = procs.load_arch(name)
        if info:
            rows.append({"architecture": name, "url": info.get("url"), "backend": info.get("backend"),
                         "releases": info.get("components"), "processes": len(procs.records(name))})
    return rows


def stop_all() -> list[str]:
    """Stop everything started from this kernel (architectures, local AWS); returns their names."""
    stopped = []
    for arch in list(_RUNNING):
        _RUNNING[arch].down()
        stopped.append(arch)
    return stopped


def _install_cleanup() -> None:
    # atexit covers a normal kernel shutdown or restart; SIGTERM/SIGHUP cover a kernel being terminated.
    if _HOOKED["done"]:
        return
    _HOOKED["done"] = True
    atexit.register(stop_all)
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous = signal.getsignal(sig)

        def handler(signum, frame, previous=previous):
            stop_all()
            if callable(previous):
                previous(signum, frame)
            else:
                raise SystemExit(128 + signum)

        signal.signal(sig, handler)


def time_calls(call: Callable[[], Any], n: int) -> list[float]:
    """Milliseconds each of `n` sequential calls took (a latency sample, one request at a time)."""
    out = []
    for _ in range(n):
        start_t = time.perf_counter()
        call()
        out.append((time.perf_counter() - start_t) * 1000)
    return out


def time_calls_for(call: Callable[[], Any], seconds: float) -> list[float]:
    """Milliseconds of sequential calls made for `seconds` (at least one call)."""
    out: list[float] = []
    deadline = time.perf_counter() + seconds
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


def cli(*args: str, timeout_s: float = 900) -> str:
    """Run the `workshop` command (as `python -m workshop ARGS`) and return what it printed."""
    done = subprocess.run([sys.executable, "-m", "workshop", *args], capture_output=True, text=True,
                          timeout=timeout_s, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"workshop {' '.join(args)} exited {done.returncode}: {done.stderr[-800:]}")
    return done.stdout


def watch_cascade(client: CatalogClient, video_id: str, timeout_s: float = 300,
                  poll_s: float = 0.1) -> list[dict[str, Any]]:
    """Poll a video until it settles: one row per rendition when its status changes (t_s, name, status)."""
    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    t0 = time.monotonic()
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
