"""Benchmark the local Lambda platform: cold start, invoke/gateway overhead, gateway throughput, a cold burst.

Usage: python benchmarks/bench_lambda_platform.py [--quick] [--json FILE]
Figures hold for the machine that made them; compare the ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from typing import Any

import boto3
import requests
from botocore.config import Config

from localaws import PlatformConfig, start_local_aws
from workshop import settings

HANDLER = "import time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return {'ok': True}\n"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def direct_call_ms(n: int) -> float:
    """Median cost of calling the same handler in-process (no platform at all)."""
    namespace: dict[str, Any] = {}
    exec(HANDLER, namespace)
    handler = namespace["handler"]
    return statistics.median(timed(lambda: handler({}, None)) for _ in range(n))


def setup(aws: Any) -> tuple[Any, Any]:
    kw = dict(endpoint_url=aws.endpoint, region_name="us-east-1", aws_access_key_id="t",
              aws_secret_access_key="t", config=Config(retries={"total_max_attempts": 1}))
    lam, gw, iam = boto3.client("lambda", **kw), boto3.client("apigatewayv2", **kw), boto3.client("iam", **kw)
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("app.py", HANDLER)
    for name in ("trivial", "burst"):
        lam.create_function(FunctionName=name, Runtime="python3.11", Role=role, Handler="app.handler",
                            Code={"ZipFile": buf.getvalue()}, Timeout=30)
    api = gw.create_api(Name="bench", ProtocolType="HTTP")["ApiId"]
    integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", PayloadFormatVersion="2.0",
                                  IntegrationUri="arn:aws:lambda:us-east-1:123456789012:function:trivial")
    gw.create_route(ApiId=api, RouteKey="GET /ping", Target=f"integrations/{integ['IntegrationId']}")
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    return lam, aws.gateway_url(api) + "/ping"


def cold_starts(aws: Any, lam: Any, n: int) -> dict[str, float]:
    client_ms, init_ms, bare = [], [], []
    for _ in range(n):  # interleaved, so drifting machine load hits both sides alike
        aws.pool.reclaim_idle(0)  # the next call must build a new environment
        client_ms.append(timed(lambda: lam.invoke(FunctionName="trivial", Payload=b"{}")["Payload"].read()))
        init_ms.append([r for r in aws.invocations() if r["function"] == "trivial"][-1]["init_ms"])
        bare.append(timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True)))
    return {"bare_python_ms": statistics.median(bare), "init_duration_ms": statistics.median(init_ms),
            "cold_client_ms": statistics.median(client_ms)}


def warm(lam: Any, url: str, n: int) -> dict[str, float]:
    lam.invoke(FunctionName="trivial", Payload=b"{}")
    invoke = [timed(lambda: lam.invoke(FunctionName="trivial", Payload=b"{}")["Payload"].read()) for _ in range(n)]
    session = requests.Session()
    session.get(url, timeout=30)
    gateway = [timed(lambda: session.get(url, timeout=30).content) for _ in range(n)]
    return {"warm_invoke_ms": statistics.median(invoke), "warm_invoke_p99_ms": pct(invoke, 99),
            "warm_gateway_ms": statistics.median(gateway), "warm_gateway_p99_ms": pct(gateway, 99),
            "direct_call_ms": direct_call_ms(n)}


def throughput(url: str, clients: int, seconds: float) -> dict[str, float | int | None]:
    """Closed-loop GET `url` from `clients` threads for about `seconds`: rate and percentiles of the 200s only.

    The rate divides by the measured window (first request sent to last answer back), not the requested
    duration; non-200 answers and request exceptions are counted apart and never enter the figures.
    """
    latencies: list[float] = []
    non_200: dict[int, int] = {}
    exceptions: dict[str, int] = {}
    lock = threading.Lock()
    started = time.perf_counter()
    stop = started + seconds  # one clock for the deadline and the wall time, so wall_s >= seconds

    def worker() -> None:
        session = requests.Session()
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                status = session.get(url, timeout=30).status_code
            except requests.RequestException as exc:  # counted, and the worker keeps going
                with lock:
                    exceptions[type(exc).__name__] = exceptions.get(type(exc).__name__, 0) + 1
                continue
            elapsed_ms = (time.perf_counter() - start) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed_ms)
                else:
                    non_200[status] = non_200.get(status, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall_s = time.perf_counter() - started
    if non_200 or exceptions:
        print(f"gateway throughput: {sum(non_200.values())} non-200 answers {non_200}, "
              f"{sum(exceptions.values())} request exceptions {exceptions} (not in the figures)")
    return {"gateway_rps": len(latencies) / wall_s,  # 200s per second; the percentiles need at least one
            "gateway_p50_ms": pct(latencies, 50) if latencies else None,
            "gateway_p99_ms": pct(latencies, 99) if latencies else None, "gateway_ok": len(latencies),
            "gateway_errors": sum(non_200.values()) + sum(exceptions.values()),
            "gateway_non_200": sum(non_200.values()), "gateway_exceptions": sum(exceptions.values()),
            "gateway_wall_s": wall_s, "gateway_clients": clients}


def burst(aws: Any, lam: Any, size: int, limit: int) -> dict[str, float]:
    lam.put_function_concurrency(FunctionName="burst", ReservedConcurrentExecutions=limit)
    created_before = aws.pool.created
    outcomes: list[str] = []
    gate = threading.Barrier(size)

    def one() -> None:
        gate.wait()
        try:
            lam.invoke(FunctionName="burst", Payload=b'{"sleep": 0.5}')["Payload"].read()
            outcomes.append("ok")
        except lam.exceptions.TooManyRequestsException:
            outcomes.append("throttled")

    threads = [threading.Thread(target=one) for _ in range(size)]
    elapsed = timed(lambda: ([t.start() for t in threads], [t.join() for t in threads]))
    return {"burst_requests": size, "burst_limit": limit, "burst_ok": outcomes.count("ok"),
            "burst_throttled": outcomes.count("throttled"), "burst_envs_created": aws.pool.created - created_before,
            "burst_wall_ms": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    n = 20 if args.quick else 200
    with tempfile.TemporaryDirectory() as state, start_local_aws(state, config=PlatformConfig()) as aws:
        lam, url = setup(aws)
        figures = cold_starts(aws, lam, 3 if args.quick else 10)
        figures.update(warm(lam, url, n))
        figures.update(throughput(url, clients=4, seconds=2 if args.quick else 10))
        figures.update(burst(aws, lam, size=20, limit=5))
    figures["ratio_init_vs_bare_python"] = figures["init_duration_ms"] / figures["bare_python_ms"]
    figures["ratio_cold_client_vs_bare_python"] = figures["cold_client_ms"] / figures["bare_python_ms"]
    figures["ratio_warm_invoke_vs_direct"] = figures["warm_invoke_ms"] / figures["direct_call_ms"]
    figures["ratio_warm_gateway_vs_direct"] = figures["warm_gateway_ms"] / figures["direct_call_ms"]
    figures["ratio_gateway_vs_invoke"] = figures["warm_gateway_ms"] / figures["warm_invoke_ms"]
    for key, value in figures.items():
        print(f"{key:36s} {value:12.3f}" if isinstance(value, float) else
              f"{key:36s} {value:12d}" if isinstance(value, int) else f"{key:36s} {'not measured':>12}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"figures": figures, "python": sys.version, "cpus": os.cpu_count()}, fh, indent=2)


if __name__ == "__main__":
    main()
