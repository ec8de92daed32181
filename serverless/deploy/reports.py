"""Lambda billing records read from the REPORT lines in CloudWatch Logs: one reader for AWS and the local AWS.

Each invocation ends with a line like
`REPORT RequestId: r  Duration: 12.34 ms  Billed Duration: 13 ms  Memory Size: 128 MB  Max Memory Used: 60 MB
Init Duration: 250.00 ms`; the local platform writes the same lines into moto's CloudWatch Logs, so the
bench's cost inputs come from the same place on both targets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from serverless.deploy import deployer
from serverless.deploy.aws import Target
from serverless.deploy.stack import Stack

_FIELD = re.compile(r"(RequestId|Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration):\s*([^\t]+?)"
                    r"(?: ms| MB)?(?=\t|$)")


def parse_report(message: str, function: str, timestamp_ms: int) -> dict[str, Any] | None:
    """One billing record from a REPORT line (None for any other line).

    `billed_ms` is the Billed Duration as reported: since AWS bills the INIT phase (Aug 2025) a cold start's
    includes its Init Duration, as the local platform's own records do; `billed_init_ms` is the INIT part.
    Whoever prices it splits the two (workshop/cost/usage.py), so INIT is never counted twice.
    """
    if not message.startswith("REPORT"):
        return None
    fields = dict(_FIELD.findall(message.replace("    ", "\t")))
    try:
        duration, billed = float(fields["Duration"]), int(float(fields["Billed Duration"]))
        memory = int(fields["Memory Size"])
    except (KeyError, ValueError):
        return None
    init = float(fields["Init Duration"]) if "Init Duration" in fields else None
    billed_init = math.ceil(init) if init is not None else 0
    return {"request_id": fields.get("RequestId", "").strip(), "function": function, "timestamp": timestamp_ms / 1000,
            "duration_ms": duration, "billed_ms": billed, "memory_mb": memory,
            "max_memory_mb": int(fields.get("Max Memory Used", 0) or 0), "init_ms": init,
            "billed_init_ms": billed_init, "status": "error" if "Status: error" in message else "success"}


def _events(logs: Any, group: str, start_ms: int | None, end_ms: int | None) -> Iterable[dict[str, Any]]:
    kwargs: dict[str, Any] = {"logGroupName": group}
    if start_ms is not None:
        kwargs["startTime"] = start_ms
    if end_ms is not None:
        kwargs["endTime"] = end_ms
    while True:
        try:
            page = logs.filter_log_events(**kwargs)
        except logs.exceptions.ResourceNotFoundException:
            return  # a function that never ran has no log group
        yield from page.get("events", [])
        if not page.get("nextToken"):
            return
        kwargs["nextToken"] = page["nextToken"]


def read_reports(logs: Any, functions: Iterable[str], start_s: float | None = None,
                 end_s: float | None = None) -> list[dict[str, Any]]:
    """Billing records of `functions` (physical names) from their /aws/lambda/ log groups, oldest first."""
    start_ms = int(start_s * 1000) if start_s is not None else None
    end_ms = int(end_s * 1000) if end_s is not None else None
    out = []
    for function in functions:
        for event in _events(logs, f"/aws/lambda/{function}", start_ms, end_ms):
            record = parse_report(event["message"].strip(), function, event["timestamp"])
            if record:
                out.append(record)
    return sorted(out, key=lambda r: r["timestamp"])


def function_names(t: Target) -> list[str]:
    """The physical names of the stack's functions on target `t` (moto's account when local)."""
    account = "123456789012" if t.kind == "local" else t.account()
    stack = Stack(deployer.stack_params("v1"), account, t.region)
    return [r.name for r in stack.of_type("AWS::Serverless::Function") if r.name]


def billing_records(t: Target, start_s: float | None = None, end_s: float | None = None) -> list[dict[str, Any]]:
    """Every function's billing records on `t` (from its REPORT lines in CloudWatch Logs), oldest first."""
    return read_reports(t.client("logs"), function_names(t), start_s, end_s)


def with_service_time(reports: list[dict[str, Any]], platform: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """REPORT-line records joined (by request id) with the platform's service time, where it has one."""
    by_id = {r["request_id"]: r for r in platform}
    out = []
    for r in reports:
        own = by_id.get(r.get("request_id", ""))
        out.append({**r, "service_ms": own.get("service_ms", 0.0), "service_calls": own.get("service_calls", {})}
                   if own else r)
    return out
