"""START/END/REPORT lines in AWS's format, CloudWatch Logs delivery, and billing records as data."""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from localaws.services.state import logs_backend


@dataclass
class InvocationRecord:
    """One invocation as the cost model sees it (also one line of invocations.jsonl)."""

    request_id: str
    function: str
    version: str
    env_id: str
    log_stream: str
    timestamp: float
    duration_ms: float
    billed_ms: int
    memory_mb: int
    max_memory_mb: int
    init_ms: float | None
    billed_init_ms: int
    status: str  # success | error | timeout | init_error
    error_type: str | None
    invocation_type: str
    vcpu: float | None = None  # the CPU share the kernel enforced; None: CPU not scaled
    cpu: str = "CPU not scaled"  # the same in words (mechanism, host-core cap)
    # Wall time of the invocation's AWS SDK calls to the local AWS (inside duration_ms), and their count per
    # service.Operation: measured in the environment (runtime/hook); not on the REPORT line, as on AWS.
    service_ms: float = 0.0
    service_calls: dict[str, int] = field(default_factory=dict)


def billed(ms: float, cap_ms: int | None = None) -> int:
    """Lambda bills in 1 ms steps, rounding up (never beyond cap_ms: a timeout bills the timeout)."""
    steps = max(1, math.ceil(ms))
    return min(steps, cap_ms) if cap_ms is not None else steps


def billed_with_init(duration_ms: float, init_ms: float | None, status: str, timeout_ms: float) -> int:
    """REPORT's Billed Duration: since 1 Aug 2025 a cold start bills INIT plus the call (on-demand zip
    functions on managed runtimes); a timeout bills the timeout."""
    cap = int(timeout_ms) if status == "timeout" else None
    return billed(duration_ms, cap) if init_ms is None else billed(duration_ms + init_ms)


def start_line(request_id: str, version: str) -> str:
    return f"START RequestId: {request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


def report_line(rec: InvocationRecord) -> str:
    """The REPORT line exactly as AWS writes it (Init Duration only on a cold start)."""
    parts = [
        f"REPORT RequestId: {rec.request_id}", f"Duration: {rec.duration_ms:.2f} ms",
        f"Billed Duration: {rec.billed_ms} ms", f"Memory Size: {rec.memory_mb} MB",
        f"Max Memory Used: {rec.max_memory_mb} MB",
    ]
    if rec.init_ms is not None:
        parts.append(f"Init Duration: {rec.init_ms:.2f} ms")
    if rec.status == "timeout":
        return "\t".join(parts + ["Status: timeout"])
    if rec.status == "init_error" or rec.error_type in ("Runtime.ExitError", "Runtime.OutOfMemory"):
        return "\t".join(parts + ["Status: error", f"Error Type: {rec.error_type}"])
    return "\t".join(parts) + "\t"  # AWS ends the message with a tab before its newline


class LogSink:
    """Writes an invocation's lines into moto's CloudWatch Logs and appends its record to JSONL."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "lambda" / "invocations.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def write(self, region: str, function: str, stream: str, lines: list[str]) -> None:
        """Append lines (already in order) to /aws/lambda/<function>, stream created on demand."""
        group = f"/aws/lambda/{function}"
        now = int(time.time() * 1000)
        events = [{"timestamp": now, "message": line} for line in lines]
        with self._lock:
            backend = logs_backend(region)
            if group not in backend.groups:
                backend.create_log_group(group, {})
            if stream not in backend.groups[group].streams:
                backend.create_log_stream(group, stream)
            if events:
                backend.put_log_events(group, stream, events)

    def record(self, rec: InvocationRecord) -> None:
        """Append the billing record to invocations.jsonl."""
        line = json.dumps(asdict(rec), sort_keys=True)
        with self._lock, self.path.open("a") as fh:
            fh.write(line + "\n")


def read_invocations(state_dir: str | Path) -> list[dict[str, Any]]:
    """Every invocation record the platform wrote under state_dir, oldest first."""
    path = Path(state_dir) / "lambda" / "invocations.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
