"""Sample CPU and memory of process trees (the system under test, the load generator) in a thread."""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

FIELDS = ["t", "group", "name", "pid", "cpu_percent", "wait_percent", "rss_mb"]
LOCUST_LIMIT_PERCENT = 90.0  # one Locust process is one gevent loop: wanting ~90% of a core, it is the limit


def _run_delay_s(pid: int) -> float:
    """Seconds the process's main thread has spent runnable but waiting for a CPU (Linux schedstat)."""
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            return int(fh.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


class Sampler:
    """Every `interval_s`, the CPU% (of one core) and RSS of every process under each group's root pids."""

    def __init__(self, groups: Callable[[], dict[str, dict[str, int]]], interval_s: float = 0.5):
        self.groups = groups  # called each tick: {"sut": {name: pid}, "locust": {"locust": pid}}
        self.interval_s = interval_s
        self.rows: list[dict] = []
        self._last: dict[int, tuple[float, float, float]] = {}  # pid -> (time, cpu seconds, run-queue wait s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except Exception:  # a group callable may fail while an architecture restarts; keep sampling
                pass
            self._stop.wait(self.interval_s)

    def sample(self) -> None:
        """Take one sample of every process now (CPU% from the change since the previous sample)."""
        now = time.time()
        # The whole machine too (100 = one core): it is shared, and other tenants' load shows up here.
        machine = psutil.cpu_percent(None) * (psutil.cpu_count() or 1)
        if self._last.get(0):
            self.rows.append({"t": round(now, 3), "group": "machine", "name": "all", "pid": 0,
                              "cpu_percent": round(machine, 1), "wait_percent": 0.0,
                              "rss_mb": round(psutil.virtual_memory().used / 2**20, 1)})
        self._last[0] = (now, 0.0, 0.0)
        for group, roots in self.groups().items():
            for name, pid in roots.items():
                for proc in _tree(pid):
                    self._sample_one(now, group, name, proc)

    def _sample_one(self, now: float, group: str, name: str, proc: psutil.Process) -> None:
        try:
            with proc.oneshot():
                times = proc.cpu_times()
                cpu_s = times.user + times.system
                rss_mb = proc.memory_info().rss / 2**20
        except psutil.Error:
            return
        waited = _run_delay_s(proc.pid)
        previous = self._last.get(proc.pid)
        self._last[proc.pid] = (now, cpu_s, waited)
        if previous is None or now <= previous[0]:
            return  # the first sight of a process gives no rate yet
        span = now - previous[0]
        self.rows.append({"t": round(now, 3), "group": group, "name": name, "pid": proc.pid,
                          "cpu_percent": round(100.0 * (cpu_s - previous[1]) / span, 1),
                          "wait_percent": round(100.0 * (waited - previous[2]) / span, 1), "rss_mb": round(rss_mb, 1)})

    def write(self, path: Path) -> Path:
        """Write the samples as CSV."""
        with path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, FIELDS)
            writer.writeheader()
            writer.writerows(self.rows)
        return path


def summarize(rows: list[dict]) -> dict:
    """Per group: mean total CPU% and peak total RSS; the busiest Locust process; the bottleneck flag.

    A Locust process wants a core when it either runs or waits in the run queue: on a shared, oversubscribed
    machine it may get only 20% of a core while it waits the other 80%, and then it is the limit all the same.
    """
    out: dict = {}
    for group in sorted({r["group"] for r in rows}):
        by_t: dict[float, list[dict]] = {}
        for r in rows:
            if r["group"] == group:
                by_t.setdefault(r["t"], []).append(r)
        cpu = [sum(x["cpu_percent"] for x in v) for v in by_t.values()]
        rss = [sum(x["rss_mb"] for x in v) for v in by_t.values()]
        out[group] = {"cpu_percent_mean": round(sum(cpu) / len(cpu), 1), "cpu_percent_max": round(max(cpu), 1),
                      "rss_mb_max": round(max(rss), 1)}
    per_proc: dict[int, list[tuple[float, float]]] = {}
    for r in rows:
        if r["group"] == "locust":
            per_proc.setdefault(r["pid"], []).append((r["cpu_percent"], r.get("wait_percent") or 0.0))
    median = lambda v: sorted(v)[len(v) // 2] if v else 0.0  # noqa: E731
    busiest = max(per_proc.values(), key=lambda v: median([c + w for c, w in v]), default=[])
    out["locust_busiest_process_cpu_median"] = median([c for c, _ in busiest])
    out["locust_busiest_process_wait_median"] = median([w for _, w in busiest])
    out["locust_busiest_process_demand_median"] = median([c + w for c, w in busiest])
    out["locust_was_limit"] = out["locust_busiest_process_demand_median"] > LOCUST_LIMIT_PERCENT
    return out
