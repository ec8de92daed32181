"""A tiny monitoring client: polls one URL on a fixed period and keeps every sample (time, status, latency)."""

from __future__ import annotations

import csv
import math
import threading
import time
from pathlib import Path

import requests


class Monitor:
    """Polls `url` every `period_s` in a thread; status 0 means no HTTP answer at all."""

    def __init__(self, url: str, period_s: float = 0.2, timeout_s: float = 2.0):
        self.url, self.period_s, self.timeout_s = url, period_s, timeout_s
        self.samples: list[tuple[float, int, float]] = []  # (epoch seconds, status, latency ms)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="monitor", daemon=True)

    def __enter__(self) -> Monitor:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout_s + 1)

    def _run(self) -> None:
        with requests.Session() as http:
            due = time.monotonic()
            while not self._stop.is_set():
                start_wall, start = time.time(), time.monotonic()
                try:
                    status = http.get(self.url, timeout=self.timeout_s).status_code
                except requests.RequestException:
                    status = 0
                self.samples.append((start_wall, status, (time.monotonic() - start) * 1000))
                due += self.period_s
                self._stop.wait(max(0.0, due - time.monotonic()))

    def since(self, t: float) -> list[tuple[float, int, float]]:
        """The samples taken at or after epoch time `t`."""
        return [s for s in list(self.samples) if s[0] >= t]

    def write(self, path: Path) -> Path:
        """Write every sample as CSV (t, status, latency_ms, ok)."""
        with path.open("w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["t", "status", "latency_ms", "ok"])
            out.writerows((round(t, 3), s, round(ms, 2), int(s == 200)) for t, s, ms in self.samples)
        return path


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q / 100 * len(ordered)))) - 1]
