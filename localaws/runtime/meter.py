"""Concurrent environments per second, as AWS's ConcurrentExecutions metric (Maximum) shows them.

The pool reports every change of the number of busy environments and every throttle; the meter keeps
the highest count and the throttles of the current second and appends one line per second that had any
activity to state_dir/lambda/concurrency.jsonl, so a harness can say how many environments a load needed
at its peak against the account limit. Idle seconds write nothing, so the file grows with use, not time.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class ConcurrencyMeter:
    """Per-second peak of busy environments and throttle count, written as JSON lines."""

    def __init__(self, state_dir: Path, limit: Callable[[], int]) -> None:
        self.path = state_dir / "lambda" / "concurrency.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.limit = limit  # read at each change: the account limit may change while the platform runs
        self.peak = 0  # the highest count since the platform started
        self._lock = threading.Lock()
        self._second, self._busy, self._max, self._throttles, self._reserved = 0, 0, 0, 0, 0
        self._limit = limit()

    def busy(self, count: int, reserved: int | None = None) -> None:
        """Note the number of busy environments after a change, and the reservations in force (None: as before)."""
        with self._lock:
            self._roll(int(time.time()))
            self._busy, self._max, self._limit = count, max(self._max, count), self.limit()
            self._reserved = self._reserved if reserved is None else reserved
            self.peak = max(self.peak, count)

    def throttled(self) -> None:
        """Note one request refused for lack of concurrency."""
        with self._lock:
            self._roll(int(time.time()))
            self._throttles, self._limit = self._throttles + 1, self.limit()

    def tick(self) -> None:
        """Write the last second's line once it is over (the pool's reaper calls this every second)."""
        with self._lock:
            self._roll(int(time.time()))

    def _roll(self, second: int) -> None:
        if second == self._second:
            return
        if self._max or self._throttles:
            line = {"t": self._second, "peak": self._max, "throttles": self._throttles, "limit": self._limit,
                    "reserved": self._reserved}
            with self.path.open("a") as fh:
                fh.write(json.dumps(line) + "\n")
        # A second starts with the environments still busy from the one before.
        self._second, self._max, self._throttles = second, self._busy, 0


def read_concurrency(state_dir: str | Path, since: float = 0.0, until: float = float("inf")) -> dict[str, Any]:
    """The peak of busy environments and the throttles between two times, with the limit in force then."""
    path = Path(state_dir) / "lambda" / "concurrency.jsonl"
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()] if path.exists() else []
    window = [x for x in lines if int(since) <= x["t"] <= until]
    if not window:
        return {"peak": 0, "throttles": 0, "limit": None, "reserved": None, "seconds": 0}
    top = max(window, key=lambda x: x["peak"])
    return {"peak": top["peak"], "throttles": sum(x["throttles"] for x in window), "limit": top["limit"],
            "reserved": max(x["reserved"] for x in window), "seconds": len(window)}
