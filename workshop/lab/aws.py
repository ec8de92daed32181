"""Notebook helpers for the local AWS: start it as a tracked process, boto3 clients, demo functions.

The IAM side (roles, resource policies, wiring event sources) is in `workshop/lab/iam.py`, re-exported here.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from localaws import read_invocations
from workshop.lab import session as lab
from workshop.lab.cli import cli  # noqa: F401  (re-exported: notebooks call lab_aws.cli(aws, SERVICE, ...))
from workshop.lab.iam import (  # noqa: F401  (the IAM helpers, re-exported: notebooks call them as lab_aws.*)
    ACCOUNT,
    CREDENTIALS,
    REGION,
    TRUST_LAMBDA,
    allow_invoke,
    create_role,
    execute_api_arn,
    grant_read,
    log_statement,
    read_statements,
    role_arn,
    trust,
    try_as_role,
    wire_source,
)
from workshop.runtime import procs

LABFUNCTIONS = Path(__file__).resolve().parent / "functions"


def client(endpoint: str, service: str, retries: bool = True) -> Any:
    """A boto3 client for `service` at a local AWS `endpoint` (e.g. the serverless architecture's)."""
    config = None if retries else Config(retries={"total_max_attempts": 1})
    return boto3.client(service, endpoint_url=endpoint, config=config, **CREDENTIALS)


class LabAws:
    """A local AWS (moto + the Lambda platform) run by `python -m localaws serve` for a notebook."""

    def __init__(self, name: str, endpoint: str, state_dir: Path) -> None:
        self.name, self.endpoint, self.state_dir = name, endpoint, state_dir

    @property
    def arch(self) -> str:
        return f"lab-localaws-{self.name}"

    def client(self, service: str, retries: bool = True) -> Any:
        """A boto3 client for `service` pointed at this local AWS; `retries=False` shows throttles as they are."""
        return client(self.endpoint, service, retries)

    def gateway_url(self, api_id: str, stage: str | None = None) -> str:
        """Base URL of a deployed API's stage (the $default stage when none is named)."""
        base = f"{self.endpoint}/_aws/execute-api/{api_id}"
        return f"{base}/{stage}" if stage and stage != "$default" else base

    def invocations(self) -> list[dict[str, Any]]:
        """Billing records of every invocation so far (duration, billed ms, memory, init duration...)."""
        return read_invocations(self.state_dir)

    def env_vars(self) -> dict[str, str]:
        """Variables that point boto3 in another process at this local AWS."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

    def down(self) -> None:
        """Stop the local AWS and every execution environment it started."""
        procs.stop_all(self.arch)
        lab.forget(self.arch)


def local_aws(name: str = "lab", env: dict[str, str] | None = None, timeout_s: float = 60) -> LabAws:
    """Start a fresh local AWS for a notebook (stopping one a previous run left); always brought down.

    `env` sets platform knobs such as WORKSHOP_LAMBDA_IDLE_TTL or WORKSHOP_LAMBDA_CONCURRENCY.
    """
    arch = f"lab-localaws-{name}"
    procs.stop_all(arch)
    state = lab.scratch(f"localaws-{name}")
    port = procs.free_port()
    argv = [procs.PYTHON, "-m", "localaws", "serve", "--port", str(port), "--state-dir", str(state)]
    pid = procs.start(arch, "serve", argv, env=env, cwd=str(procs.PROJECT_ROOT), port=port)
    aws = LabAws(name, f"http://127.0.0.1:{port}", state)
    lab.remember(arch, aws)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            aws.client("lambda").list_functions()
            return aws
        except Exception as exc:
            if not procs.alive(pid) or time.monotonic() > deadline:
                aws.down()
                raise RuntimeError(f"the local AWS did not start; see {procs.run_dir(arch) / 'serve.log'}") from exc
            time.sleep(0.2)


def function_zip(*modules: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A deployment package (zip) with the demo handler modules of workshop/labfunctions (plus `extra` files)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for module in modules:
            zf.write(LABFUNCTIONS / f"{module}.py", f"{module}.py")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def report_lines(aws: LabAws, function: str) -> list[str]:
    """The REPORT lines of a function, read back from CloudWatch Logs."""
    logs = aws.client("logs")
    group = f"/aws/lambda/{function}"
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"logGroupName": group}
    while True:
        page = logs.filter_log_events(**kwargs)
        events += page.get("events", [])
        if not page.get("nextToken"):
            break
        kwargs["nextToken"] = page["nextToken"]
    return [e["message"].strip() for e in sorted(events, key=lambda e: e["timestamp"])
            if e["message"].startswith("REPORT")]


def deploy_function(aws: LabAws, name: str, module: str, memory_mb: int = 128, timeout_s: int = 10,
                    env: dict[str, str] | None = None, statements: list[dict[str, Any]] | None = None,
                    publish: bool = False, extra: dict[str, bytes] | None = None) -> str:
    """Create function `name` from a labfunctions module with its own role, and wait until it is Active; its ARN.

    The role allows the function's own logs plus `statements` (least privilege). On AWS a new function is
    `Pending` for a moment and refuses invocations and updates (ResourceConflictException) until it is
    `Active`, so this waits with boto3's `function_active_v2` waiter, polling quickly: the local AWS is fast.
    """
    role = create_role(aws, f"{name}-role", statements, function=name)
    lam = aws.client("lambda")
    arn = lam.create_function(
        FunctionName=name, Runtime="python3.11", Handler=f"{module}.handler",
        Role=role, Code={"ZipFile": function_zip(module, extra=extra)},
        MemorySize=memory_mb, Timeout=timeout_s, Environment={"Variables": env or {}}, Publish=publish,
    )["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
    return arn


def timed_invoke(aws: LabAws, name: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """Invoke synchronously; the answer, the client-side milliseconds and the platform's billing record."""
    lam = aws.client("lambda", retries=False)
    start = time.perf_counter()
    resp = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}))
    body = json.loads(resp["Payload"].read() or b"null")
    ms = (time.perf_counter() - start) * 1000
    request_id = resp["ResponseMetadata"]["RequestId"]
    record: dict[str, Any] = next((r for r in reversed(aws.invocations()) if r["request_id"] == request_id), {})
    return {"answer": body, "latency_ms": round(ms, 2), "error": resp.get("FunctionError"),
            "init_ms": record.get("init_ms"), "duration_ms": record.get("duration_ms"),
            "billed_ms": record.get("billed_ms"), "billed_init_ms": record.get("billed_init_ms"),
            "env_id": (record.get("env_id") or "")[:8], "max_memory_mb": record.get("max_memory_mb")}
