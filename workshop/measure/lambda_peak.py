"""How many Lambda environments each load run needed at its peak, against the local account's limit."""

from __future__ import annotations

from typing import Any

from workshop.archs import Architecture
from workshop.records import ArchResult


def run_peak(module: Architecture, run: dict[str, Any] | None) -> dict[str, Any] | None:
    """Peak busy environments, throttles, limit and reservations during one load run (None: not measured)."""
    if not run or "started" not in run:
        return None
    try:
        seen = module.lambda_concurrency(run["started"], run["finished"] + 1)
    except (OSError, ValueError, KeyError):
        return None
    if not seen or seen["limit"] is None:
        return None
    return {**seen, "unreserved_limit": seen["limit"] - (seen["reserved"] or 0)}


def lambda_peaks(module: Architecture, result: ArchResult) -> dict[str, dict[str, Any] | None]:
    """The steady (`load`) and open-loop (`open_loop`) runs' peaks."""
    return {"load": run_peak(module, result.get("load")), "open_loop": run_peak(module, result.get("open_loop"))}


def peak_rows(bench: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per serverless load run: peak environments against the limit, and the throttles."""
    rows = []
    for arch, res in bench.get("archs", {}).items():
        for run, seen in (res.get("lambda_concurrency") or {}).items():
            if seen:
                rows.append({"arch": arch, "run": run, "peak_environments": seen["peak"],
                             "account_limit": seen["limit"], "reserved": seen["reserved"],
                             "unreserved_limit": seen["unreserved_limit"], "throttles": seen["throttles"]})
    return rows
