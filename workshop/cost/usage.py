"""Turn a bench's measurements into the cost model's inputs, and write the cost curves and crossovers."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from pathlib import Path

from workshop.archs import Architecture
from workshop.cost import media as cost_media
from workshop.cost import model as cost
from workshop.cost import projection
from workshop.records import ArchResult

VARIANTS = {  # name -> switches; serverless is drawn with INIT billed and not, the others do not change
    "x86, INIT billed": cost.Options(init_billing=True),
    "x86, INIT not billed": cost.Options(init_billing=False),
    "arm64, INIT billed": cost.Options(init_billing=True, arm64=True),
    "x86, INIT billed, free tier": cost.Options(init_billing=True, free_tier=True),
    "x86, INIT billed, measured cold-start share": cost.Options(init_billing=True, cold_start_share="measured"),
}


def _records(module: Architecture) -> list[dict]:
    """Billing records (one per invocation) of the architecture's functions (none outside serverless)."""
    return list(module.lambda_invocations())


def lambda_usage(module: Architecture, load: dict) -> dict | None:
    """Invocations and billed GB-seconds (duration and INIT) per API request during the load run, if any."""
    try:
        records = [r for r in _records(module) if load["started"] <= r["timestamp"] <= load["finished"] + 1]
    except (OSError, ValueError, KeyError, ImportError):
        return None
    requests = (load.get("total") or {}).get("requests") or 0
    if not records or not requests:
        return None
    # A cold start's Billed Duration includes INIT (since Aug 2025): split it into the call and INIT.
    init = sum(_init_ms(r) / 1000 * r["memory_mb"] / 1024 for r in records)
    inside = sum(_init_ms(r) / 1000 * r["memory_mb"] / 1024 for r in records if _init_inside(r))
    gb_s = sum(r["billed_ms"] / 1000 * r["memory_mb"] / 1024 for r in records) - inside
    cold = sum(1 for r in records if r.get("init_ms"))
    accounting = _accounting(records, requests)
    return {"invocations": len(records), "requests": requests, "gb_s": gb_s, "init_gb_s": init,
            "cold_starts": cold, "cold_start_share": cold / len(records),
            "init_gb_s_per_cold_start": init / cold if cold else None, "accounting": accounting,
            "per_request": {"invocations": len(records) / requests, "gb_s": gb_s / requests,
                            "init_gb_s": init / requests, "cold_start_share": cold / len(records),
                            "init_gb_s_per_cold_start": init / cold if cold else None,
                            "projected_gb_s": _projected(gb_s, accounting) / requests if accounting else None}}


def _projected(gb_s: float, accounting: dict) -> float:
    """The run's duration GB-s with the local AWS's time replaced by AWS's (INIT stays out, as in gb_s)."""
    return max(0.0, gb_s - accounting["billed_gb_s"] + accounting["projected_gb_s"])


def _accounting(records: list[dict], requests: int) -> dict | None:
    """Code and local-AWS service time and GB-s, and the projection for AWS (None: no service time recorded)."""
    if not any("service_ms" in r for r in records):
        return None  # records of AWS itself, or of a platform without the hook: nothing to split
    split = projection.split(records)
    per = {k: split[k] / requests for k in ("code_ms", "service_ms", "aws_service_ms")}
    return {**split, "per_request_ms": per}


def _init_ms(record: dict) -> int:
    """The INIT part of a record's Billed Duration (0 on a warm start)."""
    return (record.get("billed_init_ms") or 0) if record.get("init_ms") else 0


def _init_inside(record: dict) -> bool:
    """Whether the record's billed_ms holds its INIT (AWS's format since Aug 2025, and the local platform's);
    an older REPORT line billed the invoke alone, and subtracting INIT from it would undercount."""
    if "duration_ms" not in record:
        return True
    return record["billed_ms"] >= math.ceil(record["duration_ms"]) + _init_ms(record)


def lambda_usages(module: Architecture, result: ArchResult) -> tuple[dict | None, dict | None]:
    """Billing during the load run and during the seed clip's cascade (`lambda` and `lambda_transcode`)."""
    upload = result["seed"]["upload"]
    cascade = None
    if upload["status"] == "ready":
        window = {"started": upload["acknowledged_at"], "finished": upload["settled_at"], "total": {"requests": 1}}
        cascade = lambda_usage(module, window)
    return lambda_usage(module, result["load"]), cascade


def not_costed_reason(result: ArchResult) -> str | None:
    """Why one architecture's result gives the cost model no honest input, or None when it does."""
    load = result.get("load") or {}
    if result.get("status") != "ok":
        return f"not measured ({result.get('status')} at {result.get('stage')})"
    if not (load.get("total") or {}).get("requests"):
        return "no request measured in the load run"
    if result["arch"] == "serverless":
        if not ((result.get("lambda") or {}).get("per_request")):
            return "no billed Lambda durations measured during the load run"
    elif load.get("sut_cpu_seconds") is None:  # servers and Fargate are sized from it
        return "no CPU samples of the system under test during the load run"
    return None


def measured(result: ArchResult) -> cost.Measured | None:
    """The cost model's inputs for one architecture's result, or None when it was not measured."""
    if not_costed_reason(result):
        return None
    load = result["load"]
    total = load["total"]
    upload = (result.get("seed") or {}).get("upload") or {}
    lam = (result.get("lambda") or {}).get("per_request") or {}
    cascade = result.get("lambda_transcode") or {}
    cpu_s = load.get("sut_cpu_seconds")  # None only for serverless, which is priced from its Lambda figures
    return cost.Measured(
        arch=result["arch"], cpu_s_per_request=None if cpu_s is None else cpu_s / total["requests"],
        units=len(result.get("components") or []) or {"monolith": 1, "soa": 3}.get(result["arch"], 5),
        avg_response_bytes=total.get("avg_bytes") or 0.0, lambda_invocations_per_request=lam.get("invocations"),
        # The bill uses the projection for AWS (local-AWS time replaced by AWS's) when the run recorded it.
        lambda_gb_s_per_request=lam.get("projected_gb_s") or lam.get("gb_s"),
        lambda_measured_gb_s_per_request=lam.get("gb_s"), lambda_init_gb_s_per_request=lam.get("init_gb_s"),
        lambda_init_gb_s_per_cold_start=lam.get("init_gb_s_per_cold_start"),
        measured_cold_start_share=lam.get("cold_start_share"),
        transcode_s_per_video_s=(upload["ack_to_ready_s"] / upload["clip_seconds"]
                                 if upload.get("status") == "ready" else None),
        lambda_transcode_gb_s_per_video_s=((cascade["gb_s"] + cascade["init_gb_s"]) / upload["clip_seconds"]
                                           if cascade.get("gb_s") is not None and upload.get("clip_seconds") else None))


def write(out: Path, results: Mapping[str, ArchResult]) -> dict:
    """Write cost/curves.csv, crossovers.csv, transcode.csv and inputs.json; returns a summary for the report."""
    folder = out / "cost"
    folder.mkdir(parents=True, exist_ok=True)
    prices = cost.load_prices()
    inputs = [m for m in (measured(r) for r in results.values()) if m is not None]
    with (folder / "curves.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, ["variant", "arch", "requests_per_month", "usd"])
        writer.writeheader()
        for variant, opts in VARIANTS.items():
            writer.writerows({"variant": variant, **row} for row in cost.curves(inputs, prices, opts))
    crossings = cost.crossovers(inputs, prices, VARIANTS["x86, INIT billed"])
    _write_rows(folder / "crossovers.csv", crossings)
    media = [cost_media.transcode_per_minute(m, prices) for m in inputs]
    _write_rows(folder / "transcode.csv", media)
    at = {m.arch: {k: round(v, 2) for k, v in cost.monthly_cost(m, 1e7, prices).items()} for m in inputs}
    summary = {"inputs": [vars(m) for m in inputs], "crossovers": crossings, "transcode_per_minute": media,
               "at_10M_requests": at, "region": prices["region"], "prices_note": prices["_note"],
               "lambda_duration_basis": _basis(inputs),
               "cold_start_share": {"parameter": cost.cold_start_share(cost.Measured("serverless", None), prices,
                                                                        cost.Options()),
                                    "measured": {m.arch: m.measured_cold_start_share for m in inputs
                                                 if m.measured_cold_start_share is not None}},
               "not_costed": sorted(set(results) - {m.arch for m in inputs}),
               "not_costed_reasons": {arch: why for arch, r in sorted(results.items())
                                      if (why := not_costed_reason(r))}}
    (folder / "inputs.json").write_text(json.dumps(summary, indent=2))
    return summary


def _basis(inputs: list[cost.Measured]) -> str:
    """What the serverless bill's Lambda duration is: the projection for AWS, or as measured."""
    projected = any(m.lambda_measured_gb_s_per_request not in (None, m.lambda_gb_s_per_request) for m in inputs)
    if projected:
        return ("Lambda duration is billed from the " + projection.LABEL + "; the measured GB-s per request "
                "(lambda_measured_gb_s_per_request) include the local AWS's time and are shown in the inputs.")
    return "Lambda duration is billed as measured (no service time was recorded in this run)."


def _write_rows(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="") as fh:
        if rows:
            writer = csv.DictWriter(fh, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
