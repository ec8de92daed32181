"""How many Lambda environments each load run needed at its peak, against the local account's limit."""

from __future__ import annotations

from types import ModuleType


def run_peak(module: ModuleType, run: dict | None) -> dict | None:
    """Peak busy environments, throttles, limit and reservations during one load run (None: not measured)."""
    if not run or not hasattr(module, "state_dir") or "started" not in run:
        return None
    from localaws.runtime.meter import read_concurrency  # the local Lambda platform's concurrency.jsonl

    try:
        seen = read_concurrency(module.state_dir(), run["started"], run["finished"] + 1)
    except (OSError, ValueError, KeyError):
        return None
    if seen["limit"] is None:
        return None
    seen["unreserved_limit"] = seen["limit"] - (seen["reserved"] or 0)
    return seen


def lambda_peaks(module: ModuleType, result: dict) -> dict:
    """The steady (`load`) and open-loop (`open_loop`) runs' peaks, under `lambda_concurrency`."""
    return {"lambda_concurrency": {run: run_peak(module, result.get(run)) for run in ("load", "open_loop")}}


def peak_rows(bench: dict) -> list[dict]:
    """One row per serverless load run: peak environments against the limit, and the throttles."""
    rows = []
    for arch, res in bench.get("archs", {}).items():
        for run, seen in (res.get("lambda_concurrency") or {}).items():
            if seen:
                rows.append({"arch": arch, "run": run, "peak_environments": seen["peak"],
                             "account_limit": seen["limit"], "reserved": seen["reserved"],
                             "unreserved_limit": seen["unreserved_limit"], "throttles": seen["throttles"]})
    return rows
