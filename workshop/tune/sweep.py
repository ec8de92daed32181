"""Run a function at each memory size, N invocations with a fixed payload, and read AWS's REPORT lines."""

from __future__ import annotations

import base64
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from botocore.config import Config

# A call may run up to Lambda's 15 minutes; no SDK retry (a retried Invoke would be a second invocation).
CLIENT = Config(read_timeout=910, retries={"total_max_attempts": 1})
FIELD = re.compile(r"(Billed Duration|Init Duration|Duration|Max Memory Used): ([\d.]+)")


def parse_report(tail: str) -> dict[str, float]:
    """Duration, Billed Duration, Init Duration and Max Memory Used of the REPORT line in a log tail."""
    line = next((ln for ln in tail.splitlines() if ln.startswith("REPORT")), "")
    return {name: float(value) for name, value in FIELD.findall(line)}


def usd_per_invocation(billed_ms: float, memory_mb: int, prices: dict) -> float:
    """What one invocation costs on x86: the request plus its billed GB-seconds."""
    p = prices["prices"]
    return p["lambda_request"]["usd"] + billed_ms / 1000 * memory_mb / 1024 * p["lambda_gb_second_x86"]["usd"]


def set_memory(lam: Any, name: str, memory_mb: int) -> None:
    """Change $LATEST's memory and wait until the update is done (new environments get it: a cold start)."""
    lam.update_function_configuration(FunctionName=name, MemorySize=memory_mb)
    deadline = time.monotonic() + 120
    while lam.get_function_configuration(FunctionName=name).get("LastUpdateStatus", "Successful") == "InProgress":
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}: configuration update did not finish")
        time.sleep(1)


def invoke(lam: Any, name: str, payload: bytes, memory_mb: int, prices: dict) -> dict[str, Any]:
    """One invocation of $LATEST as a row: cold or warm, durations, cost, and the error type if it failed."""
    resp = lam.invoke(FunctionName=name, Payload=payload, LogType="Tail")
    body = resp["Payload"].read()
    report = parse_report(base64.b64decode(resp.get("LogResult", "")).decode("utf-8", "replace"))
    billed = report.get("Billed Duration", 0.0)
    error = None
    if resp.get("FunctionError"):
        found = re.search(rb'"errorType": ?"([^"]+)"', body)
        error = found.group(1).decode() if found else resp["FunctionError"]
    return {"memory_mb": memory_mb, "kind": "cold" if "Init Duration" in report else "warm",
            "duration_ms": report.get("Duration"), "init_ms": report.get("Init Duration"), "billed_ms": billed,
            "max_memory_mb": report.get("Max Memory Used"), "usd": usd_per_invocation(billed, memory_mb, prices),
            "error": error, "response": body[:200].decode("utf-8", "replace")}


def sweep(lam: Any, name: str, memories: list[int], n: int, payload: Callable[[], bytes], prices: dict,
          log: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """N invocations at each memory size (the first one cold); the function's memory is restored after."""
    original = int(lam.get_function_configuration(FunctionName=name)["MemorySize"])
    rows = []
    try:
        for memory in memories:
            set_memory(lam, name, memory)
            for _ in range(n):
                row = invoke(lam, name, payload(), memory, prices)
                rows.append(row)
                log(f"{name} {memory:>6} MB {row['kind']}: {row['duration_ms']} ms"
                    + (f" (+ INIT {row['init_ms']} ms)" if row["init_ms"] else "")
                    + (f" ERROR {row['error']}" if row["error"] else ""))
    finally:
        set_memory(lam, name, original)
    return rows


def summarize(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per memory size: the cold start (INIT + duration), the warm median, and each one's cost."""
    out = []
    for memory in sorted({r["memory_mb"] for r in rows}):
        ok = [r for r in rows if r["memory_mb"] == memory and not r["error"]]
        cold = [r for r in ok if r["kind"] == "cold"]
        warm = [r for r in ok if r["kind"] == "warm"]
        out.append({
            "memory_mb": memory,
            "cold_ms": round(cold[0]["duration_ms"] + cold[0]["init_ms"], 2) if cold else None,
            "init_ms": cold[0]["init_ms"] if cold else None,
            "warm_ms": round(statistics.median(r["duration_ms"] for r in warm), 2) if warm else None,
            "cold_usd": cold[0]["usd"] if cold else None,
            "warm_usd": statistics.median(r["usd"] for r in warm) if warm else None,
            "errors": sorted({r["error"] for r in rows if r["memory_mb"] == memory and r["error"]}),
        })
    return out
