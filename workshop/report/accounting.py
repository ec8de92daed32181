"""The serverless split: function code against local AWS services, measured, beside a projection for AWS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ACCOUNTING = (
    "Where the serverless time went. Every invocation record of the local platform carries the time its code "
    "waited on local AWS calls (measured inside the execution environment around each SDK call). The rest of "
    "the duration is the function's own code. The second row is a PROJECTION, not a measurement: the same "
    "requests with each local AWS call's time replaced by a published per-call latency for AWS "
    "(workshop/data/aws_latency.json, with sources and dates; some entries are stated assumptions). It assumes "
    "code runs as fast on AWS as here, calls are sequential, INIT and the gateway cost what they cost here, "
    "and moves the p50 by the average service time per request. Calls the file has no published figure for "
    "get its default latency and are named in the projection row. The cost model bills Lambda duration from "
    "the projection; the measured figures are the ones in the first row.")


def defaulted_text(acc: dict[str, Any]) -> str:
    """The calls the projection gave the latency file's default (no published figure), with their counts."""
    calls = acc.get("defaulted_calls") or {}
    if not calls:
        return "none"
    listed = ", ".join(f"{op} x{n}" for op, n in calls.items())
    return f"{listed} ({acc.get('default_ms', 10.0):g} ms each: no published figure)"


def _row(label: str, lam: dict[str, Any], acc: dict[str, Any], p50: float | None, projected: bool) -> dict[str, Any]:
    per = acc["per_request_ms"]
    service = per["aws_service_ms"] if projected else per["service_ms"]
    # GB-s per ms at the run's average memory size (weighted by time)
    memory_gb_s = (acc["code_gb_s"] + acc["service_gb_s"]) / max(acc["code_ms"] + acc["service_ms"], 1e-9)
    gb_s = lam["per_request"]["projected_gb_s" if projected else "gb_s"]
    return {"figures": label, "p50_ms": round(p50, 1) if p50 is not None else None,
            "code_ms_per_request": round(per["code_ms"], 2), "services_ms_per_request": round(service, 2),
            "services_share": f"{service / max(per['code_ms'] + service, 1e-9):.0%}",
            "code_gb_s_per_request": f"{per['code_ms'] * memory_gb_s:.3g}",
            "services_gb_s_per_request": f"{service * memory_gb_s:.3g}",
            "billed_gb_s_per_request": f"{gb_s:.3g}" if gb_s is not None else None,
            "calls_on_default_latency": defaulted_text(acc) if projected else None}


def accounting_rows(bench: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Measured code and local-AWS time and GB-s per API request, and the projection for AWS (empty if none)."""
    res = (bench.get("archs") or {}).get("serverless") or {}
    lam = res.get("lambda") or {}
    acc = lam.get("accounting")
    if not acc:
        return []
    p50 = ((res.get("load") or {}).get("total") or {}).get("p50_ms")
    per = acc["per_request_ms"]
    projected_p50 = None if p50 is None else max(0.0, p50 - per["service_ms"] + per["aws_service_ms"])
    return [_row("measured here (local AWS)", lam, acc, p50, False),
            _row("projection for AWS (see assumptions)", lam, acc, projected_p50, True)]
