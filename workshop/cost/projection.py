"""A projection for AWS: the local run's Lambda invocations with local-AWS service time replaced by AWS's.

The local platform records, per invocation, the wall time its code spent in AWS SDK calls (`service_ms`)
and the calls per service.Operation (`service_calls`). Duration minus service time is the function's own
code; the projection keeps that, and replaces the service time by the per-call latencies of
workshop/data/aws_latency.json (published figures with sources and dates, or stated assumptions).
Assumptions: code time on AWS equals code time here (same vCPU share, see the records' `cpu`); calls are
sequential (their latencies add); INIT is unchanged; retries and throttles are as measured.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workshop import settings

DEFAULT_LATENCY = Path(__file__).parent.parent / "data" / "aws_latency.json"
LABEL = ("projection for AWS: local-AWS service time replaced by published per-call latencies "
         "(workshop/data/aws_latency.json); code time as measured here")


def load_latencies(path: str | Path | None = None) -> dict[str, Any]:
    """The latency file, with entries of a user file (argument or WORKSHOP_AWS_LATENCY) replacing the defaults."""
    data = json.loads(DEFAULT_LATENCY.read_text())
    user = path or settings.aws_latency_file()
    if user:
        override = json.loads(Path(user).read_text())
        data["operations"].update(override.get("operations", {}))
        data.update({k: v for k, v in override.items() if k != "operations"})
    return data


def call_ms(latencies: dict[str, Any], operation: str) -> float:
    """AWS's latency of one call of `operation` (service.Operation), or the file's default."""
    entry = latencies["operations"].get(operation)
    return float(entry["ms"]) if entry else float(latencies["default_ms"]["value"])


def defaulted(latencies: dict[str, Any], calls: dict[str, int]) -> dict[str, int]:
    """The calls of `calls` (service.Operation: count) that the latency file does not list: they get its default."""
    return {op: n for op, n in calls.items() if op not in latencies["operations"]}


def project(record: dict[str, Any], latencies: dict[str, Any]) -> dict[str, Any]:
    """One invocation split into code and service time, with its projected duration and billed ms on AWS."""
    duration = float(record.get("duration_ms", record["billed_ms"]))
    service = min(float(record.get("service_ms") or 0.0), duration)
    aws_service = sum(n * call_ms(latencies, op) for op, n in (record.get("service_calls") or {}).items())
    projected = duration - service + aws_service
    # Only the call's own 1 ms steps change: whatever else Billed Duration holds (INIT, a timeout cap) stays.
    billed = int(record["billed_ms"]) - max(1, math.ceil(duration)) + max(1, math.ceil(projected))
    return {"code_ms": duration - service, "service_ms": service, "aws_service_ms": aws_service,
            "projected_ms": projected, "projected_billed_ms": max(1, billed)}


def _gb_s(ms: float, record: dict[str, Any]) -> float:
    return ms / 1000 * record["memory_mb"] / 1024


def split(records: Iterable[dict[str, Any]], latencies: dict[str, Any] | None = None) -> dict[str, Any]:
    """Totals over invocations: code and local-AWS time and GB-s as measured, and the projection for AWS."""
    latencies = latencies or load_latencies()
    out: dict[str, Any] = {"invocations": 0, "with_service_time": 0, "code_ms": 0.0, "service_ms": 0.0,
                           "aws_service_ms": 0.0, "code_gb_s": 0.0, "service_gb_s": 0.0, "billed_gb_s": 0.0,
                           "projected_gb_s": 0.0, "default_ms": float(latencies["default_ms"]["value"])}
    on_default: dict[str, int] = {}
    for r in records:
        p = project(r, latencies)
        for op, n in defaulted(latencies, r.get("service_calls") or {}).items():
            on_default[op] = on_default.get(op, 0) + n
        out["invocations"] += 1
        out["with_service_time"] += "service_ms" in r
        for key in ("code_ms", "service_ms", "aws_service_ms"):
            out[key] += p[key]
        out["code_gb_s"] += _gb_s(p["code_ms"], r)
        out["service_gb_s"] += _gb_s(p["service_ms"], r)
        out["billed_gb_s"] += _gb_s(r["billed_ms"], r)
        out["projected_gb_s"] += _gb_s(p["projected_billed_ms"], r) if "service_ms" in r else _gb_s(r["billed_ms"], r)
    out["label"] = LABEL
    out["defaulted_calls"] = dict(sorted(on_default.items()))  # shown in the report: no silent default
    return out
