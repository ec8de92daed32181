"""The invoke service: run one event on an environment and turn the outcome into AWS's shapes."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

from localaws.config import PlatformConfig
from localaws.runtime.environment import ExecutionEnvironment, InitFailed, InitTimedOut
from localaws.runtime.logs import (
    InvocationRecord,
    LogSink,
    billed,
    billed_with_init,
    end_line,
    report_line,
    start_line,
)
from localaws.runtime.pool import EnvironmentPool
from localaws.runtime.runtime_api import Invocation
from localaws.services.state import FunctionSpec, resolve, split_name

FATAL = ("Runtime.ExitError", "Runtime.OutOfMemory")  # the environment is destroyed after these


@dataclass
class InvokeResult:
    """What the Invoke API returns for one invocation."""

    request_id: str
    payload: bytes
    executed_version: str
    function_error: str | None = None
    log_lines: list[str] = field(default_factory=list)
    record: InvocationRecord | None = None

    def log_tail(self) -> str:
        """The last 4 KB of this invocation's log (what LogType=Tail returns)."""
        text = "\n".join(self.log_lines) + "\n"
        return text.encode()[-4096:].decode("utf-8", "ignore")

    def error_type(self) -> str | None:
        if not self.function_error:
            return None
        try:
            return json.loads(self.payload).get("errorType")
        except (ValueError, AttributeError):
            return None


def _service_delta(before: tuple[float, dict[str, int]],
                   after: tuple[float, dict[str, int]]) -> tuple[float, dict[str, int]]:
    """AWS-call time and calls of one invocation, from the hook's running totals before and after it."""
    calls = {k: n - before[1].get(k, 0) for k, n in after[1].items() if n > before[1].get(k, 0)}
    return max(0.0, after[0] - before[0]), calls


class InvokeService:
    """Runs invocations on the pool; writes their logs and billing records."""

    def __init__(self, cfg: PlatformConfig, pool: EnvironmentPool, sink: LogSink) -> None:
        self.cfg, self.pool, self.sink = cfg, pool, sink

    def invoke(self, region: str, name: str, qualifier: str | None, payload: bytes,
               invocation_type: str = "RequestResponse", client_context: str | None = None) -> InvokeResult:
        """Resolve the function (alias weights included) and run the event synchronously.

        The qualifier may also come inside the name (name:alias, or an alias or version ARN).
        """
        name, qualifier = split_name(name, qualifier)
        return self.run(resolve(region, name, qualifier), payload, invocation_type, client_context, qualifier)

    def run(self, spec: FunctionSpec, payload: bytes, invocation_type: str = "RequestResponse",
            client_context: str | None = None, qualifier: str | None = None) -> InvokeResult:
        """Run one event on a warm or new environment of exactly this version (may raise Throttled)."""
        env, cold = self.pool.acquire(spec)
        request_id = str(uuid.uuid4())
        healthy, lines, init_ms, suppressed_s = False, [], None, 0.0
        try:
            if cold:
                try:
                    init_ms, suppressed_s = self._cold_init(spec, env, request_id)
                except InitFailed as failed:
                    timed_out = isinstance(failed, InitTimedOut)  # the suppressed INIT used the whole timeout
                    return self._finish(spec, env, request_id, failed.error, spec.timeout * 1000 if timed_out
                                        else 0.0, None if timed_out else failed.init_ms, env.take_lines(),
                                        "timeout" if timed_out else "init_error", invocation_type)
                lines = env.take_lines()  # output of the INIT phase comes before START
            arn = f"{spec.arn}:{qualifier}" if qualifier else spec.arn
            left_s = spec.timeout - suppressed_s
            inv = Invocation(request_id, payload or b"{}", arn, int(time.time() * 1000 + left_s * 1000),
                             client_context)
            service_before = env.service_totals()
            in_time = env.run(inv, left_s)
            service = _service_delta(service_before, env.service_totals())
            status, error = self._outcome(spec, env, inv, in_time)
            fatal = (error or {}).get("errorType") in FATAL
            healthy = status == "success" or (status == "error" and not fatal)
            duration = suppressed_s * 1000 + ((inv.finished - inv.started) * 1000 if inv.started else 0.0)
            return self._finish(spec, env, request_id, error if error else inv.result, duration, init_ms,
                                lines + [start_line(request_id, spec.version)] + env.take_lines(), status,
                                invocation_type, service)
        finally:
            self.pool.release(env, healthy)

    def _cold_init(self, spec: FunctionSpec, env: ExecutionEnvironment, request_id: str) -> tuple[float | None, float]:
        """INIT of a new environment: (Init Duration ms, seconds of a suppressed INIT); raises InitFailed."""
        try:
            return env.wait_init(self.cfg.init_timeout_s), 0.0
        except InitTimedOut:
            # AWS retries an INIT that outlives its 10 s within the first invocation, under the function's
            # timeout (a "suppressed init"): REPORT has no Init Duration and the time counts in Duration.
            # Here the same INIT goes on (AWS starts it again, so AWS's takes longer).
            started = time.perf_counter()
            env.finish_suppressed_init(spec.timeout, request_id)
            return None, time.perf_counter() - started

    def _outcome(self, spec: FunctionSpec, env: ExecutionEnvironment, inv: Invocation,
                 in_time: bool) -> tuple[str, dict | None]:
        if not in_time:
            return "timeout", {"errorType": "Sandbox.Timedout",
                               "errorMessage": f"RequestId: {inv.request_id} Error: Task timed out after "
                                               f"{spec.timeout:.2f} seconds"}
        if env.resources.oom_killed():  # the kernel killed it during the call, at MemorySize
            return "error", {"errorType": "Runtime.OutOfMemory",
                             "errorMessage": f"RequestId: {inv.request_id} Error: Runtime exited with error: "
                                             "signal: killed"}
        if not env.resources.cgroup.enabled and env.peak_memory_mb() > spec.memory_mb:
            # Without a cgroup the limit can only be checked after the call.
            return "error", {"errorType": "Runtime.OutOfMemory",
                             "errorMessage": f"RequestId: {inv.request_id} Error: Runtime exited with error: "
                                             "signal: killed (memory size exceeded, checked after the call)"}
        if not env.resources.tmp_sized and env.tmp_usage_mb() > spec.ephemeral_mb:
            # Without a sized tmpfs the write cannot fail with ENOSPC: the check runs after the invocation.
            return "error", {"errorType": "Runtime.ExitError",
                             "errorMessage": f"[Errno 28] No space left on device: /tmp holds more than "
                                             f"{spec.ephemeral_mb} MB (ephemeral storage, checked after the call)"}
        if inv.error:
            return "error", inv.error
        if inv.result is not None and len(inv.result) > self.cfg.response_payload_limit:
            # Every path (Invoke, Event, gateway, event sources) gets this, as on AWS.
            return "error", {"errorType": "Function.ResponseSizeTooLarge",
                             "errorMessage": "Response payload size exceeded maximum allowed payload size "
                                             f"({self.cfg.response_payload_limit} bytes)."}
        return "success", None

    def _finish(self, spec: FunctionSpec, env: ExecutionEnvironment, request_id: str, body: object,
                duration_ms: float, init_ms: float | None, lines: list[str], status: str,
                invocation_type: str, service: tuple[float, dict[str, int]] = (0.0, {})) -> InvokeResult:
        error = body if isinstance(body, dict) else None
        if status == "timeout":  # AWS reports the timeout itself, not the time it took to notice it
            duration_ms = min(duration_ms, spec.timeout * 1000.0)
        # billed_init_ms from the Init Duration as printed (2 decimals), so the REPORT line's reader agrees.
        rec = InvocationRecord(
            request_id=request_id, function=spec.name, version=spec.version, env_id=env.id,
            log_stream=env.log_stream, timestamp=time.time(), duration_ms=round(duration_ms, 2),
            billed_ms=billed_with_init(duration_ms, init_ms, status, spec.timeout * 1000),
            memory_mb=spec.memory_mb, max_memory_mb=env.peak_memory_mb(),
            init_ms=round(init_ms, 2) if init_ms is not None else None,
            billed_init_ms=billed(round(init_ms, 2)) if init_ms is not None else 0, status=status,
            error_type=error.get("errorType") if error else None, invocation_type=invocation_type,
            vcpu=env.resources.scaled_vcpu, cpu=env.resources.note(),
            service_ms=round(min(service[0], duration_ms), 2), service_calls=service[1])
        if status == "init_error" or (status == "timeout" and start_line(request_id, spec.version) not in lines):
            lines = lines + [start_line(request_id, spec.version)]
        lines = lines + [end_line(request_id), report_line(rec)]
        self.sink.write(spec.region, spec.name, env.log_stream, lines)
        self.sink.record(rec)
        payload = json.dumps(error).encode() if error else (body if isinstance(body, bytes) else b"null")
        return InvokeResult(request_id, payload, spec.version, "Unhandled" if error else None, lines, rec)
