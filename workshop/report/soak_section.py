"""The soak's part of the report: a row per component with its trend after warm-up, judged by the goals."""

from __future__ import annotations

from typing import Any

from workshop.endurance.trend import RSS_GROWTH_GOAL_PCT

SOAK = (f"Each architecture held about half of its measured capacity (a closed-loop burst of reads) at a fixed "
        f"arrival rate, its components sampled every few seconds. Growth counts from the end "
        f"of the warm-up (the first fifth of the hold) to the last sample; the p99 drift is the last fifth's p99 "
        f"over the p99 of the fifth right after warm-up, beside the machine's load average over the same two "
        f"fifths: a drift that follows the machine's load is another tenant, not the architecture. Goals: RSS "
        f"growth under {RSS_GROWTH_GOAL_PCT:g}%, descriptors flat (no new high in the second half of the hold: a "
        f"pool that opens its connections early is not a leak), zero errors once the load is steady (errors of "
        f"the warm-up, such as Lambda throttles while environments start, are shown but not judged). A short "
        f"(quick) hold shows whether something runs away, not whether memory has settled: the full-mode hold is "
        f"10 minutes (`workshop soak ARCH`). The held load also counts views; on serverless each function has "
        f"environments of its own, so half of the read capacity can need more environments than the local "
        f"account's unreserved concurrency, and the excess is throttled (429).")


def soak_summary_rows(soaks: dict[str, dict[str, Any]]) -> list[dict]:
    """Per architecture: the held rate, requests, errors, p99 at the start and end, and each goal met or not."""
    rows = []
    for arch, rec in soaks.items():
        met = rec.get("goals_met") or {}
        rows.append({"arch": arch, "capacity_rps": rec["capacity_rps"], "held_rps": rec["rate_rps"],
                     "hold_s": rec["params"]["hold_s"], "requests": rec["requests"], "errors": rec["errors"],
                     "errors_after_warmup": rec["errors_after_warmup"],
                     "error_kinds": ", ".join(f"{k} x{n}" for k, n in sorted(rec["error_kinds"].items())) or None,
                     "p99_first_ms": rec["p99_first_ms"], "p99_last_ms": rec["p99_last_ms"],
                     "p99_drift": rec["p99_drift"], "machine_load_first": rec.get("load1_first"),
                     "machine_load_last": rec.get("load1_last"),
                     "goals": ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in met.items())})
    return rows


def soak_rows(soaks: dict[str, dict[str, Any]]) -> list[dict]:
    """Per architecture and component: RSS at the end of warm-up and at the end, growth, fd and thread change."""
    rows = []
    for arch, rec in soaks.items():
        for name, g in sorted(rec["growth"].items()):
            rows.append({"arch": arch, "component": name, "rss_start_mib": round(g["rss_start_mib"], 1),
                         "rss_end_mib": round(g["rss_end_mib"], 1), "rss_growth_pct": round(g["rss_growth_pct"], 1),
                         "fds_delta": g["fds_delta"], "fds_new_high": g["fds_new_high"],
                         "threads_delta": g["threads_delta"]})
    return rows
