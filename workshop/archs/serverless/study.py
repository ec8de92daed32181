"""The Lambda cold-start study on the local AWS: one row per invocation (scenario, kind, latency, init, memory).

Scenarios: the list function through the gateway (a new version forces a cold start, then warm calls);
a stdlib-only handler vs one importing boto3, Powertools and pandas; that heavy handler at several
memory sizes (memory buys CPU through cgroups when the platform runs as root; each record says so);
and a burst of concurrent calls on a cold function (scale-out, and throttles past the limit).
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
import time
import uuid
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.config import Config

INIT = re.compile(r"Init Duration: ([\d.]+) ms")
LIGHT = "def handler(event, context):\n    return {'ok': True}\n"
HEAVY = ("import boto3  # noqa\nimport pandas  # noqa: a big dependency tree\n"
         "from aws_lambda_powertools import Logger, Metrics  # noqa\n\n"
         "def handler(event, context):\n    return {'ok': True}\n")
STUDY_ROLE = "arn:aws:iam::123456789012:role/videocatalog-get_health"  # logs only; nothing else is called


def lambda_client(endpoint: str) -> Any:
    """A Lambda client for `endpoint` without SDK retries."""
    # No SDK retries: a throttle must show as a throttle, not as a slow call that was retried.
    return boto3.client("lambda", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries={"max_attempts": 1}))


def _zip(code: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("study.py", code)
    return buf.getvalue()


def _invoke(lam: Any, name: str, version: str) -> tuple[str, float, float]:
    """(kind, client latency ms, Init Duration ms or NaN) of one direct invoke, from the REPORT line."""
    t0 = time.perf_counter()
    try:
        out = lam.invoke(FunctionName=name, Qualifier=version, LogType="Tail", Payload=b"{}")
    except lam.exceptions.TooManyRequestsException:
        return "throttled", (time.perf_counter() - t0) * 1000, math.nan
    latency = (time.perf_counter() - t0) * 1000
    found = INIT.search(base64.b64decode(out.get("LogResult", "")).decode("utf-8", "replace"))
    return ("cold", latency, float(found.group(1))) if found else ("warm", latency, math.nan)


def _fresh_version(lam: Any, name: str, memory: int | None = None) -> str:
    """Publish a new version (as a deploy does): no environment runs it yet, so its first call is cold."""
    cfg = lam.get_function_configuration(FunctionName=name)
    env = dict((cfg.get("Environment") or {}).get("Variables") or {}, STUDY_NONCE=uuid.uuid4().hex)
    extra = {"MemorySize": memory} if memory else {}
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": env}, **extra)
    return str(lam.publish_version(FunctionName=name)["Version"])


def _study_function(lam: Any, name: str, code: str) -> None:
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName=name, Runtime="python3.11", Handler="study.handler", Role=STUDY_ROLE,
                        Code={"ZipFile": _zip(code)}, MemorySize=256, Timeout=30)


def gateway_rows(info: Mapping[str, Any], state_dir: Path, lam: Any, samples: int, warm: int) -> list[dict[str, Any]]:
    """GET /videos after each new version of list_videos (cold), then `warm` more; `state_dir` holds the records."""
    from localaws import read_invocations
    from serverless.deploy import release as releases

    rows, fn = [], "videocatalog-list_videos"
    for i in range(samples):
        # A new version behind `live` (same code, a new release name) means new environments.
        releases.release(info["endpoint"], "list_videos", f"study-{uuid.uuid4().hex[:6]}", {}, 0.0)
        for n in range(1 + warm):
            t0 = time.perf_counter()
            requests.get(f"{info['url']}/videos", params={"limit": 20}, timeout=60).raise_for_status()
            latency = (time.perf_counter() - t0) * 1000
            rec = [r for r in read_invocations(state_dir) if r["function"] == fn][-1]
            init = rec["init_ms"] if rec["init_ms"] is not None else math.nan
            rows.append({"scenario": "list-via-gateway", "kind": "cold" if n == 0 else "warm",
                         "latency_ms": latency, "init_ms": init, "memory_mb": rec["memory_mb"], "sample": i})
    releases.release(info["endpoint"], "list_videos", info.get("release", "v1"), {}, 0.0)
    return rows


def _direct_rows(lam: Any, scenario: str, name: str, memory: int, samples: int, warm: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(samples):
        version = _fresh_version(lam, name, memory)
        for _ in range(1 + warm):
            kind, latency, init = _invoke(lam, name, version)
            rows.append({"scenario": scenario, "kind": kind, "latency_ms": latency, "init_ms": init,
                         "memory_mb": memory, "sample": i})
    return rows


def _burst_rows(lam: Any, name: str, size: int) -> list[dict[str, Any]]:
    version = _fresh_version(lam, name)
    with ThreadPoolExecutor(size) as pool:
        results = list(pool.map(lambda _: _invoke(lam, name, version), range(size)))
    return [{"scenario": f"burst-{size}", "kind": k, "latency_ms": lat, "init_ms": init, "memory_mb": 256,
             "sample": i} for i, (k, lat, init) in enumerate(results)]


def run_study(info: Mapping[str, Any], state_dir: Path, quick: bool = False):
    """Run every scenario on the running serverless architecture described by `info`; a DataFrame of rows."""
    import pandas as pd

    lam = lambda_client(info["endpoint"])
    samples, warm = (2, 3) if quick else (5, 10)
    rows = gateway_rows(info, state_dir, lam, samples, warm)
    _study_function(lam, "videocatalog-study-light", LIGHT)
    _study_function(lam, "videocatalog-study-heavy", HEAVY)
    rows += _direct_rows(lam, "light-imports", "videocatalog-study-light", 256, samples, warm)
    rows += _direct_rows(lam, "heavy-imports", "videocatalog-study-heavy", 256, samples, warm)
    for memory in (128, 1024) if quick else (128, 512, 1024, 2048):
        rows += _direct_rows(lam, f"heavy-{memory}MB", "videocatalog-study-heavy", memory, samples, 1)
    rows += _burst_rows(lam, "videocatalog-study-light", 12 if quick else 20)
    for name in ("videocatalog-study-light", "videocatalog-study-heavy"):
        lam.delete_function(FunctionName=name)
    return pd.DataFrame(rows, columns=["scenario", "kind", "latency_ms", "init_ms", "memory_mb", "sample"])


def summary(frame) -> str:
    """Median latency and init per scenario and kind, as text (for notes and the benchmark script)."""
    table = frame.groupby(["scenario", "kind"])[["latency_ms", "init_ms"]].median().round(1)
    counts = frame.groupby(["scenario", "kind"]).size().rename("n")
    return json.dumps(table.join(counts).reset_index().to_dict("records"), indent=1)
