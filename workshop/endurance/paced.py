"""Loads for endurance runs: a closed loop that finds capacity, and a paced (open-loop) load that holds a rate."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from statistics import quantiles

import requests


def percentile_ms(latencies_s: list[float], p: int) -> float:
    """The p-th percentile of latencies in milliseconds (nan when there are fewer than two)."""
    if len(latencies_s) < 2:
        return float("nan")
    return quantiles([1000 * x for x in latencies_s], n=100)[p - 1]


def one_request(http: requests.Session, base: str, ids: list[str], rng: random.Random) -> str:
    """One request of the everyday mix (40% list, 40% get one video, 20% count a view): "ok" or what went wrong."""
    roll, video = rng.random(), rng.choice(ids)
    try:
        if roll < 0.4:
            resp, expected = http.get(f"{base}/videos", params={"limit": 20}, timeout=30), 200
        elif roll < 0.8:
            resp, expected = http.get(f"{base}/videos/{video}", timeout=30), 200
        else:
            resp, expected = http.post(f"{base}/videos/{video}/views", timeout=30), 202
    except requests.RequestException as exc:
        return type(exc).__name__
    return "ok" if resp.status_code == expected else f"HTTP {resp.status_code}"


def closed_loop_rps(base: str, paths: list[str], threads: int, seconds: float) -> float:
    """Successful GETs per second when each of `threads` clients asks again as soon as it is answered.

    Reads only: a mix with views measured this way on serverless starts new environments for every function
    during the burst, and the cold starts, not the architecture, set the figure.
    """
    ok = [0] * threads
    started = time.perf_counter()
    stop = started + seconds

    def worker(n: int) -> None:
        rng = random.Random(n)
        with requests.Session() as http:
            while time.perf_counter() < stop:
                try:
                    ok[n] += http.get(base + rng.choice(paths), timeout=30).status_code == 200
                except requests.RequestException:
                    pass

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(ok) / (time.perf_counter() - started)


class PacedLoad:
    """Requests at a fixed arrival rate; latency counts from the scheduled time (no coordinated omission).

    The mix is the catalog's everyday traffic: 40% list, 40% get one video, 20% count a view.
    """

    def __init__(self, base: str, ids: list[str], rate: float, threads: int) -> None:
        self.base, self.ids, self.rate, self.threads = base, ids, rate, threads
        self.done: list[tuple[float, float, str]] = []  # (finished at, latency s, "ok" or what went wrong)
        self._lock, self._next = threading.Lock(), 0
        self._stop = threading.Event()

    def _slot(self, t0: float) -> float:
        with self._lock:
            n, self._next = self._next, self._next + 1
        return t0 + n / self.rate

    def _worker(self, n: int, t0: float) -> None:
        rng = random.Random(n)
        with requests.Session() as http:
            while not self._stop.is_set():
                due = self._slot(t0)
                time.sleep(max(0.0, due - time.monotonic()))
                if self._stop.is_set():
                    return
                outcome = one_request(http, self.base, self.ids, rng)
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
