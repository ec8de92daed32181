"""What the fault benchmark kills in each architecture, who brings it back, and how the harness restarts
what nothing supervises (it plays the operator: it sees the death through health, then restarts the
component with the architecture's own functions). Monolith and SOA here; the others in targets_cloud.py;
plan.py picks them per architecture."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psutil
import requests


@dataclass(frozen=True)
class Victim:
    """The process a fault kills: its pid, what it is, and whether it was mid-job."""

    pid: int
    name: str
    busy: bool = False


@dataclass
class Target:
    """One fault: find the victim, kill it, and (for what nothing supervises) detect and restart it."""

    component: str
    recovered_by: str
    find: Callable[[], Victim]
    kill: Callable[[Victim], None]
    back: Callable[[Victim], bool]  # the component serves again (replaced, restarted or not needed)
    down: Callable[[Victim], bool] | None = None  # the harness's death detector (health), operator faults only
    restart: Callable[[], None] | None = None  # the harness's restart with the architecture's functions
    note: str = ""


def _sigkill(send: Callable[[int, int], None], victim: Victim) -> None:
    if victim.pid <= 1:  # nothing was found: never signal 0 (our own group) or init
        return
    try:
        send(victim.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # already gone


def kill_process(victim: Victim) -> None:
    """SIGKILL to the one process (a crash or an OOM kill: no cleanup runs)."""
    _sigkill(os.kill, victim)


def kill_group(victim: Victim) -> None:
    """SIGKILL to the victim's whole process group (a crashed unit: master, workers and their ffmpeg)."""
    _sigkill(os.killpg, victim)


def has_ffmpeg(pid: int) -> bool:
    """True when an ffmpeg runs under the process (it is mid-transcode)."""
    try:
        return any("ffmpeg" in (c.name() or "") for c in psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return False


def wait_for(pick: Callable[[], Victim | None], fallback: Callable[[], Victim], wait_s: float) -> Victim:
    """The first victim `pick` finds within `wait_s` (polling), else `fallback()`."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        found = pick()
        if found is not None:
            return found
        time.sleep(0.05)
    return fallback()


def answers(url: str) -> bool:
    """True when `url` answers 200 within 2 s."""
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def children(pid: int) -> list[int]:
    """The direct children of a process (a gunicorn master's workers)."""
    try:
        return [c.pid for c in psutil.Process(pid).children() if c.is_running() and c.status() != "zombie"]
    except psutil.Error:
        return []


def monolith_targets(module: Any, busy_wait_s: float) -> list[Target]:
    """The monolith: one gunicorn worker (mid-transcode when one is), never the master; the master re-forks."""
    master = module.pids()["web"]
    count = len(children(master))

    def pick() -> Victim | None:
        busy = [w for w in children(master) if has_ffmpeg(w)]
        return Victim(busy[0], "gunicorn worker", True) if busy else None

    def back(victim: Victim) -> bool:
        now = children(master)
        return len(now) >= count and victim.pid not in now

    return [Target("worker", "gunicorn master (re-forks the worker)",
                   lambda: wait_for(pick, lambda: Victim(children(master)[0], "gunicorn worker"), busy_wait_s),
                   kill_process, back)]


def soa_targets(module: Any, busy_wait_s: float) -> list[Target]:
    """Each SOA tier as a whole (its gunicorn master and workers): nothing supervises a tier, so the harness
    restarts it with `soa.start_tier` once its /health stops answering."""
    from workshop.runtime import procs

    def target(tier: str) -> Target:
        def group() -> Victim:
            return Victim(module.pids()[tier], f"{tier} tier (process group)")

        def pick() -> Victim | None:
            pid = module.pids()[tier]
            return Victim(pid, f"{tier} tier (process group)", True) if has_ffmpeg(pid) else None

        def restart() -> None:
            procs.stop(module.NAME, tier, timeout_s=2)  # nothing left to stop: this clears its record
            module.start_tier(tier, (procs.load_arch(module.NAME) or {}).get("components", {}).get(tier, "v1"))

        find = (lambda: wait_for(pick, group, busy_wait_s)) if tier == "logic" else group
        return Target(tier, "harness (operator restart: soa.start_tier)", find, kill_group,
                      back=lambda _v: answers(f"{module.url(tier)}/health"),
                      down=lambda _v: not answers(f"{module.url(tier)}/health"), restart=restart)

    return [target(tier) for tier in ("data", "logic", "presentation")]
