"""Pieces of the soak benchmark: a paced (open-loop) load, a per-component resource sampler, the trend."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from statistics import quantiles

import psutil
import requests


def percentile_ms(latencies_s: list[float], p: int) -> float:
    """The p-th percentile of latencies in milliseconds (nan when there are fewer than two)."""
    if len(latencies_s) < 2:
        return float("nan")
    return quantiles([1000 * x for x in latencies_s], n=100)[p - 1]


class PacedLoad:
    """Requests at a fixed arrival rate; latency counts from the scheduled time (no coordinated omission)."""

    def __init__(self, base: str, ids: list[str], rate: float, threads: int) -> None:
        self.base, self.ids, self.rate, self.threads = base, ids, rate, threads
        self.done: list[tuple[float, float, str]] = []  # (finished at, latency s, "ok" or what went wrong)
        self._lock, self._next = threading.Lock(), 0
        self._stop = threading.Event()

    def _slot(self, t0: float) -> float:
        with self._lock:
            n, self._next = self._next, self._next + 1
        return t0 + n / self.rate

    def _one(self, http: requests.Session, rng: random.Random) -> str:
        roll, video = rng.random(), rng.choice(self.ids)
        try:
            if roll < 0.4:
                resp, expected = http.get(f"{self.base}/videos", params={"limit": 20}, timeout=30), 200
            elif roll < 0.8:
                resp, expected = http.get(f"{self.base}/videos/{video}", timeout=30), 200
            else:
                resp, expected = http.post(f"{self.base}/videos/{video}/views", timeout=30), 202
        except requests.RequestException as exc:
            return type(exc).__name__
        return "ok" if resp.status_code == expected else f"HTTP {resp.status_code}"

    def _worker(self, n: int, t0: float) -> None:
        rng = random.Random(n)
        with requests.Session() as http:
            while not self._stop.is_set():
                due = self._slot(t0)
                time.sleep(max(0.0, due - time.monotonic()))
                if self._stop.is_set():
                    return
                outcome = self._one(http, rng)
                finished = time.monotonic()
                with self._lock:
                    self.done.append((finished, finished - due, outcome))

    def run(self, seconds: float, on_tick: Callable[[], None], tick_s: float) -> None:
        """Hold the rate for `seconds`, calling `on_tick` every `tick_s` seconds meanwhile."""
        t0 = time.monotonic()
        pool = [threading.Thread(target=self._worker, args=(n, t0), daemon=True) for n in range(self.threads)]
        for thread in pool:
            thread.start()
        while time.monotonic() - t0 < seconds:
            time.sleep(min(tick_s, max(0.0, seconds - (time.monotonic() - t0))))
            on_tick()
        self._stop.set()
        for thread in pool:
            thread.join(timeout=35)

    def window(self, since: float, until: float = float("inf")) -> dict:
        """Latency percentiles and errors of the requests finished in (`since`, `until`] (monotonic)."""
        with self._lock:
            rows = [r for r in self.done if since < r[0] <= until]
        ok = [lat for _, lat, outcome in rows if outcome == "ok"]
        kinds = Counter(outcome for _, _, outcome in rows if outcome != "ok")
        return {"requests": len(rows), "errors": len(rows) - len(ok), "error_kinds": dict(kinds),
                "p50_ms": percentile_ms(ok, 50), "p99_ms": percentile_ms(ok, 99)}


def component_usage(pids: dict[str, int]) -> dict[str, dict]:
    """RSS (MiB), open file descriptors and threads of each component, its child processes included."""
    out = {}
    for name, pid in pids.items():
        rss = fds = threads = 0
        try:
            root = psutil.Process(pid)
            for proc in [root, *root.children(recursive=True)]:
                with proc.oneshot():
                    rss, fds, threads = rss + proc.memory_info().rss, fds + proc.num_fds(), threads + proc.num_threads()
        except psutil.Error:
            continue  # gone (a reclaimed Lambda environment) or not ours to read
        out[name] = {"rss_mib": rss / 2**20, "fds": fds, "threads": threads}
    return out


def growth(samples: list[dict], warmup_s: float) -> dict[str, dict]:
    """Per component: RSS growth (%), fd and thread change from the first sample after warm-up to the last."""
    after = [s for s in samples if s["t"] >= warmup_s] or samples[-1:]
    first, last = after[0], after[-1]
    out = {}
    for name, end in last["components"].items():
        start = first["components"].get(name)
        if start is None:
            continue  # born after warm-up (e.g. a new Lambda environment): no baseline
        out[name] = {"rss_start_mib": start["rss_mib"], "rss_end_mib": end["rss_mib"],
                     "rss_growth_pct": 100 * (end["rss_mib"] / start["rss_mib"] - 1) if start["rss_mib"] else 0.0,
                     "fds_delta": end["fds"] - start["fds"], "threads_delta": end["threads"] - start["threads"]}
    return out
