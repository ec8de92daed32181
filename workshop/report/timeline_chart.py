"""The rollback timeline: error rate and p99 per second, with markers for deploy, detection and rollback."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from workshop.scenarios import history  # noqa: E402
from workshop.scenarios.monitor import percentile  # noqa: E402

MARKERS = {"deploy": ("deploy bad", "tab:red"), "deployed": ("bad live", "darkred"),
           "detected": ("detected", "tab:orange"), "rollback": ("roll back", "tab:green"),
           "rolled_back": ("good live", "darkgreen"), "recovered": ("recovered", "tab:blue")}


def monitor_bins(folder: Path, t0: float) -> list[tuple[float, float, float]]:
    """(second, error rate, p99 ms) of the monitor's samples, in 1 s bins from t0."""
    with (folder / "monitor.csv").open() as fh:
        rows = [(float(r["t"]), int(r["status"]), float(r["latency_ms"])) for r in csv.DictReader(fh)]
    bins: dict[int, list[tuple[int, float]]] = {}
    for t, status, ms in rows:
        bins.setdefault(int(t - t0), []).append((status, ms))
    return [(s, sum(1 for st, _ in v if st != 200) / len(v), percentile([ms for _, ms in v], 99))
            for s, v in sorted(bins.items())]


def rollback_chart(folder: Path, dest: Path, arch: str) -> Path | None:
    """Draw one rollback scenario's timeline from monitor.csv, Locust's history and rollback.json."""
    summary_path = folder / "rollback.json"
    if not summary_path.exists() or not (folder / "monitor.csv").exists():
        return None
    summary = json.loads(summary_path.read_text())
    t0 = summary["events_epoch"]["start"]
    mon = monitor_bins(folder, t0)
    loc = [s for s in history.aggregate_series(folder) if s["t"] >= t0 - 1]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.8), sharex=True)
    top.plot([m[0] for m in mon], [100 * m[1] for m in mon], label="monitor (GET /videos/{id})", drawstyle="steps-post")
    top.plot([s["t"] - t0 for s in loc], [100 * s["error_rate"] for s in loc], alpha=0.8,
             label="Locust, all endpoints (per second)")
    top.set_ylabel("errors %")
    bottom.plot([m[0] for m in mon], [m[2] for m in mon], label="monitor p99", drawstyle="steps-post")
    # A second without a p99 is drawn as a gap (NaN), not as a 0 ms that was never measured.
    bottom.plot([s["t"] - t0 for s in loc], [math.nan if s["p99_ms"] is None else s["p99_ms"] for s in loc],
                label="Locust p99 (10 s window)", alpha=0.8)
    bottom.set_ylabel("p99 (ms)")
    bottom.set_xlabel("seconds since the scenario started")
    top.set_ylim(0, max(5.0, top.get_ylim()[1]) * 1.25)  # room for the labels
    for i, (key, (label, color)) in enumerate(MARKERS.items()):
        when = summary["events"].get(key)
        if when is not None:
            for ax in (top, bottom):
                ax.axvline(when, color=color, linestyle="--", linewidth=1)
            # Stagger the labels: detection and rollback often fall in the same instant.
            top.annotate(label, (when, top.get_ylim()[1] * (0.97 - 0.13 * (i % 3))), va="top", ha="left",
                         fontsize=7, color=color)
    top.legend(fontsize=7, loc="center left")
    bottom.legend(fontsize=7, loc="upper left")
    top.set_title(f"{arch}: {summary['fault']} on {summary['component']}")
    fig.tight_layout()
    fig.savefig(dest, dpi=90)
    plt.close(fig)
    return dest
