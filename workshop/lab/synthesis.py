"""Notebook 13's synthesis: the comparison table and the decision guide, built from one bench run's results."""

from __future__ import annotations

import statistics
from typing import Any

# (column, what it means, whether lower is better): the guide names the best architecture on each.
CRITERIA = [
    ("p50_ms", "typical latency under the same load (ms)", True),
    ("p99_ms", "tail latency under the same load (ms)", True),
    ("rps", "throughput under the same load (requests/s)", False),
    ("bad_window_s", "time a bad release was live, release to recovery (s)", True),
    ("failing_endpoints", "endpoints that failed during the bad release (blast radius)", True),
    ("new_capacity_s", "time to start new capacity, median (s)", True),
    ("usd_month_at_10M", "monthly cost at 10 million requests (USD)", True),
]


def _median(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def _rollback(res: dict[str, Any]) -> tuple[float | None, int | None]:
    runs = res.get("rollback") or []
    if not runs:
        return None, None
    window = max(r["bad_window_s"] for r in runs)
    failing = {ep for r in runs for ep, v in (r.get("blast_radius") or {}).items() if (v.get("error_rate") or 0) > 0}
    return window, len(failing)


def comparison(bench: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per architecture that ran: latency, throughput, release, capacity and cost figures of this run."""
    at_10m = (bench.get("cost") or {}).get("at_10M_requests") or {}
    rows = []
    for arch, res in (bench.get("archs") or {}).items():
        total = (res.get("load") or {}).get("total") or {}
        window, failing = _rollback(res)
        rows.append({"arch": arch, "p50_ms": total.get("p50_ms"), "p99_ms": total.get("p99_ms"),
                     "rps": total.get("rps"), "error_rate": total.get("error_rate"),
                     "bad_window_s": window, "failing_endpoints": failing,
                     "new_capacity_s": _median((res.get("coldstart") or {}).get("seconds")),
                     "usd_month_at_10M": (at_10m.get(arch) or {}).get("total")})
    return rows


def decision_guide(rows: list[dict[str, Any]]) -> list[str]:
    """One sentence per criterion naming the best and the worst architecture of this run, with their numbers."""
    lines = []
    for column, meaning, lower_is_better in CRITERIA:
        known = sorted((r for r in rows if r.get(column) is not None), key=lambda r: r[column],
                       reverse=not lower_is_better)
        if len(known) < 2:
            lines.append(f"{meaning}: not measured for enough architectures in this run")
            continue
        best, worst = known[0], known[-1]
        lines.append(f"{meaning}: best {best['arch']} ({best[column]:.4g}), "
                     f"worst {worst['arch']} ({worst[column]:.4g})")
    return lines


def crossover_sentences(bench: dict[str, Any]) -> list[str]:
    """The cost crossovers of this run in words: where two architectures cost the same, and which is cheaper below."""
    return [f"{c['a']} and {c['b']} cost the same (USD {c['usd']:.0f}/month) at {c['requests_per_month']:.2g} "
            f"requests/month; below that {c['cheaper_below']} is cheaper"
            for c in (bench.get("cost") or {}).get("crossovers") or []]
