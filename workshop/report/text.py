"""Tables and fixed texts of the report, shared by the HTML report and the summary printed by `workshop bench`."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from workshop.measure.lambda_cpu import describe
from workshop.records import BenchRecord

COORDINATED_OMISSION = (
    "Closed-loop load (a fixed number of users, each waiting for its answer before the next request) hides "
    "stalls: while the system is stuck, the users are stuck too and send nothing, so the slow period produces "
    "few, slow samples instead of many, and percentiles look better than what real, independent clients would "
    "see. This is coordinated omission. The open-loop shape (`--shape open`, ArrivalUser) starts requests on a "
    "fixed schedule whatever the response times, and counts requests it had to drop rather than queueing them, "
    "so its percentiles include the waiting. Use it to check any latency figure taken with the closed-loop shapes.")

ERRORS = ("Every failed request of the steady and open-loop loads, by kind, from Locust's failure log. A 429 from "
          "serverless is a Lambda throttle: the local account runs at most WORKSHOP_LAMBDA_CONCURRENCY environments "
          "(default 10, a new AWS account's reduced quota), and functions without a reservation share that limit minus "
          "what the others reserve (the render function reserves 3), so a burst of cold starts can exceed it. The "
          "table below says how many environments each run needed at its peak.")

LAMBDA_PEAK = ("Environments the load needed at once, at its peak second (as AWS's ConcurrentExecutions metric, "
               "Maximum, shows them), against the local account's limit and what reservations leave of it for the "
               "API's functions. Concurrency is requests per second times seconds per request: on this laptop every "
               "environment is a process on the same cores, so a slower emulator needs more of them for the same "
               "load. A peak at the unreserved limit with throttles means the limit, not the code, shaped the run; "
               "raise WORKSHOP_LAMBDA_CONCURRENCY only as far as the machine can run that many processes.")

NOISE = ("Machines here are shared and noisy: compare architectures within this one run and quote the ratios; "
         "absolute numbers hold only for the machine that made them (see the metadata).")


def _ratio(value, base) -> str:
    return f"{value / base:.2f}x" if value and base else "-"


def summary_rows(bench: BenchRecord) -> list[dict]:
    """One row per measured architecture: rps, p50, p95, p99, error rate and ratios to the monolith."""
    results = bench.get("archs", {})
    base = ((results.get("monolith") or {}).get("load") or {}).get("total") or {}
    rows = []
    for arch, res in results.items():
        total = (res.get("load") or {}).get("total")
        if res.get("status") != "ok" or not total:
            continue
        rows.append({"arch": arch, "backend": res.get("backend"), "rps": total["rps"], "p50_ms": total["p50_ms"],
                     "p95_ms": total["p95_ms"],
                     "p99_ms": total["p99_ms"], "error_rate": total["error_rate"],
                     "rps_vs_monolith": _ratio(total["rps"], base.get("rps")),
                     "p99_vs_monolith": _ratio(total["p99_ms"], base.get("p99_ms"))})
    return rows


def open_loop_rows(bench: dict) -> list[dict]:
    """Closed-loop percentiles next to the open-loop (fixed arrival rate) ones, per architecture."""
    rows = []
    for arch, res in bench.get("archs", {}).items():
        closed = (res.get("load") or {}).get("total") or {}
        opened = (res.get("open_loop") or {}).get("total") or {}
        if closed and opened:
            dropped = ((res["open_loop"].get("endpoints") or {}).get("dropped (max in-flight)") or {}).get("requests")
            rows.append({"arch": arch, "closed_rps": closed["rps"], "closed_p50_ms": closed["p50_ms"],
                         "closed_p99_ms": closed["p99_ms"], "open_rps": opened["rps"], "open_p50_ms": opened["p50_ms"],
                         "open_p99_ms": opened["p99_ms"], "open_error_rate": opened["error_rate"],
                         "dropped": dropped or 0})
    return rows


def warnings(bench: BenchRecord) -> list[str]:
    """Locust-bottleneck and skip/failure warnings of a bench."""
    out = [f"{arch} skipped: {why}" for arch, why in (bench.get("skipped") or {}).items()]
    for arch, res in bench.get("archs", {}).items():
        if res.get("status") != "ok":
            out.append(f"{arch}: {res.get('status')} at {res.get('stage')}: {res.get('reason', '')}")
        if res.get("down_error"):
            out.append(f"{arch}: bringing it down failed ({res['down_error']}): check `workshop status`")
        for step, part in (("load", res.get("load")), ("saturation", res.get("saturation"))):
            resources = (part or {}).get("resources") or {}
            if resources.get("locust_was_limit"):
                out.append(f"{arch} ({step}): a Locust process ran {resources['locust_busiest_process_cpu_median']}% "
                           f"and waited for a CPU {resources.get('locust_busiest_process_wait_median', 0)}% of "
                           "the time (medians): Locust, not the system, may have been the limit. Use --processes "
                           "or a less busy machine.")
    monolith = bench.get("archs", {}).get("monolith")
    sat: dict[str, Any] = (monolith.get("saturation") or {}) if monolith else {}
    if sat.get("wrk") and sat["locust"]["rps"] < 0.8 * sat["wrk"]["rps"]:
        sat_resources = sat.get("resources") or {}
        demand = sat_resources.get("locust_busiest_process_demand_median",
                                   sat_resources.get("locust_busiest_process_cpu_median", 0))
        if demand > 90:
            why = (f"Locust wanted {demand}% of a core (running + waiting for a CPU): it was the limit of the "
                   "saturation test; use --processes, or a machine with a free core for the load generator")
        elif demand > 70:
            why = (f"Locust wanted {demand}% of a core (running + waiting for a CPU): close to its limit, so part "
                   "of the gap is the load generator; on a machine with a free core use --processes")
        else:
            why = (f"Locust wanted only {demand}% of a core (running + waiting), so the gap is not Locust's CPU: "
                   "look at the machine's CPU in resources.csv (it is shared) and at the rounds in result.json")
        out.append(f"Locust reached {sat['locust']['rps']:.0f} req/s on GET /videos, wrk {sat['wrk']['rps']:.0f}: "
                   f"{why}.")
    if bench.get("interrupted"):
        out.append("The bench was interrupted: this report holds only what was measured before that.")
    return out


def lambda_cpu_lines(bench: BenchRecord) -> list[str]:
    """Per architecture with Lambda invocation records: whether their CPU was scaled by memory, in one sentence."""
    return [f"{arch} Lambda: {describe(cpu)}" for arch, res in bench.get("archs", {}).items()
            if (cpu := res.get("lambda_cpu"))]


def format_table(rows: list[dict]) -> str:
    """A plain-text table for the terminal."""
    if not rows:
        return "(no architecture was measured)"
    cols = list(rows[0])
    cells = [[_fmt(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if value < 1 else f"{value:.1f}"
    return "-" if value is None else str(value)


def error_rows(out: Path, archs: list[str]) -> list[dict]:
    """Failed requests of each architecture's steady (`load`) and open-loop (`open`) runs, by endpoint and error."""
    rows = []
    for arch in archs:
        for run in ("load", "open"):
            path = out / arch / run / "locust_failures.csv"
            if path.exists():
                with path.open(newline="") as fh:
                    rows += [{"arch": arch, "run": run, "endpoint": r["Name"], "error": r["Error"],
                              "occurrences": int(r["Occurrences"])} for r in csv.DictReader(fh)]
    return rows
