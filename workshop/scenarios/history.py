"""Read Locust's full-history CSV: per-second aggregate series and per-endpoint counts in a time window."""

from __future__ import annotations

import csv
from pathlib import Path

from workshop.measure.loadrun import PREFIX


def _rows(folder: Path) -> list[dict]:
    path = folder / f"{PREFIX}_stats_history.csv"
    if not path.exists():
        return []
    with path.open() as fh:
        return list(csv.DictReader(fh))


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def aggregate_series(folder: Path) -> list[dict]:
    """One row per reported second: t, users, rps, failures/s and error rate of that second (from the running
    totals; Locust's own Requests/s is smoothed), and p50/p95/p99 (Locust's current window)."""
    out: list[dict] = []
    last_t, last_req, last_fail = None, 0.0, 0.0
    for row in _rows(folder):
        if row["Name"] != "Aggregated":
            continue
        t = float(row["Timestamp"])
        req, fail = _float(row["Total Request Count"]) or 0.0, _float(row["Total Failure Count"]) or 0.0
        if last_t is not None and t > last_t:
            d_req, d_fail = req - last_req, fail - last_fail
            out.append({"t": t, "users": int(row["User Count"]), "rps": d_req / (t - last_t),
                        "fps": d_fail / (t - last_t), "error_rate": d_fail / d_req if d_req else 0.0,
                        "p50_ms": _float(row["50%"]), "p95_ms": _float(row["95%"]), "p99_ms": _float(row["99%"])})
        if last_t is None or t > last_t:
            last_t, last_req, last_fail = t, req, fail
    return out


def _totals_at(rows: list[dict], t: float) -> dict[str, tuple[float, float]]:
    """Cumulative (requests, failures) per endpoint as last reported at or before epoch time t."""
    found: dict[str, tuple[float, float]] = {}
    for row in rows:
        if float(row["Timestamp"]) <= t and row["Name"] != "Aggregated":
            found[row["Name"]] = (_float(row["Total Request Count"]) or 0, _float(row["Total Failure Count"]) or 0)
    return found


def blast_radius(folder: Path, start: float, end: float) -> dict[str, dict]:
    """Requests, failures and error rate per endpoint between two epoch times (which endpoints were hit)."""
    rows = _rows(folder)
    before, after = _totals_at(rows, start), _totals_at(rows, end)
    out = {}
    for name, (requests, failures) in sorted(after.items()):
        base_req, base_fail = before.get(name, (0, 0))
        req, fail = requests - base_req, failures - base_fail
        out[name] = {"requests": int(req), "failures": int(fail), "error_rate": round(fail / req, 4) if req else 0.0}
    return out
