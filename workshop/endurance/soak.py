"""Soak: hold about half of the measured capacity for minutes and watch every component for leaks.

Measure capacity with a short closed-loop burst of reads, then hold `fraction` of it at a fixed
arrival rate (latency from the scheduled time) for `hold_s`, sampling every `every_s` seconds each component's RSS, open
file descriptors and threads (children included) and the window's p50/p99 and errors. The first fifth of the
hold is warm-up; growth is measured from there, and the p99 drift compares the last fifth with the fifth
right after warm-up. Writes `soak.json`, `samples.csv` (per component) and `windows.csv` (per sample).
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workshop.endurance.paced import PacedLoad, closed_loop_rps
from workshop.endurance.trend import component_usage, growth, verdict
from workshop.runtime.progress import log


@dataclass
class SoakParams:
    """Knobs of a soak (recorded with its result)."""

    hold_s: float = 600.0
    every_s: float = 5.0
    fraction: float = 0.5  # of the measured capacity
    threads: int = 8  # closed-loop clients of the capacity burst; the paced load gets twice as many
    capacity_s: float = 10.0

    @classmethod
    def quick(cls, hold_s: float = 60.0) -> SoakParams:
        """Short enough for CI: a minute by default, samples every 3 s."""
        return cls(hold_s=hold_s, every_s=3.0, capacity_s=5.0)


def run(pids: Callable[[], dict[str, int]], url: str, ids: list[str], folder: Path,
        params: SoakParams) -> dict[str, Any]:
    """Capacity, then the paced hold with samples; returns (and writes) the trend and the verdict."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = ["/videos", *(f"/videos/{i}" for i in ids)]
    closed_loop_rps(url, paths, params.threads, min(2.0, params.capacity_s))  # warm caches and connections
    capacity = closed_loop_rps(url, paths, params.threads, params.capacity_s)
    rate = max(1.0, params.fraction * capacity)
    log(f"soak: capacity {capacity:.0f} req/s; holding {rate:.0f} req/s for {params.hold_s:g} s")
    load = PacedLoad(url, ids, rate, params.threads * 2)
    samples: list[dict] = []
    t0 = time.monotonic()
    last = [t0]

    def sample() -> None:
        now = time.monotonic()
        row = {"t": now - t0, "components": component_usage(pids()), **load.window(last[0], now),
               "load1": os.getloadavg()[0]}  # the machine's run queue: other tenants' load shows in the p99 too
        samples.append(row)
        last[0] = now
        largest = max((c["rss_mib"] for c in row["components"].values()), default=0.0)
        log(f"soak t={row['t']:6.1f}s requests={row['requests']:5d} errors={row['errors']:3d} "
            f"p50={row['p50_ms']:7.1f} p99={row['p99_ms']:7.1f} ms, largest RSS {largest:.0f} MiB")

    sample()
    load.run(params.hold_s, sample, params.every_s)
    warmup_s = params.hold_s / 5
    first = load.window(t0 + warmup_s, t0 + 2 * warmup_s)
    final = load.window(t0 + params.hold_s - warmup_s)
    steady = load.window(t0 + warmup_s)
    kinds: Counter[str] = Counter()
    for row in samples:
        kinds.update(row["error_kinds"])
    record: dict[str, Any] = {
        "params": asdict(params), "capacity_rps": capacity, "rate_rps": rate, "warmup_s": warmup_s,
        "requests": sum(s["requests"] for s in samples), "errors": sum(s["errors"] for s in samples),
        "error_kinds": dict(kinds), "errors_after_warmup": steady["errors"],
        "error_kinds_after_warmup": steady["error_kinds"],
        "p99_first_ms": first["p99_ms"], "p99_last_ms": final["p99_ms"],
        "growth": growth(samples, warmup_s)}
    record["p99_drift"] = (record["p99_last_ms"] / record["p99_first_ms"]) if record["p99_first_ms"] else None
    record["load1_first"], record["load1_last"] = (_mean_load(samples, warmup_s, 2 * warmup_s),
                                                   _mean_load(samples, params.hold_s - warmup_s, params.hold_s + 1))
    record["goals_met"] = verdict(record)
    write(folder, record, samples)
    return record


def _mean_load(samples: list[dict], start_s: float, end_s: float) -> float | None:
    """The machine's mean 1-minute load average over the samples taken in [start_s, end_s)."""
    values = [s["load1"] for s in samples if start_s <= s["t"] < end_s]
    return round(sum(values) / len(values), 2) if values else None


def write(folder: Path, record: dict, samples: list[dict]) -> None:
    """soak.json, and the samples as samples.csv (per component) and windows.csv (per sample window)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "soak.json").write_text(json.dumps(record, indent=2, default=str))
    with (folder / "samples.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["t", "component", "rss_mib", "fds", "threads"])
        for s in samples:
            for name, c in sorted(s["components"].items()):
                out.writerow([round(s["t"], 2), name, round(c["rss_mib"], 2), c["fds"], c["threads"]])
    with (folder / "windows.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["t", "requests", "errors", "p50_ms", "p99_ms", "load1"])
        for s in samples:
            out.writerow([round(s["t"], 2), s["requests"], s["errors"], round(s["p50_ms"], 2), round(s["p99_ms"], 2),
                          round(s.get("load1", float("nan")), 2)])


def read_samples(folder: Path) -> tuple[list[dict], list[dict]]:
    """The per-component and per-window rows a soak wrote (empty when it did not run)."""
    def rows(name: str) -> list[dict]:
        path = folder / name
        if not path.exists():
            return []
        with path.open() as fh:
            return list(csv.DictReader(fh))

    return rows("samples.csv"), rows("windows.csv")
