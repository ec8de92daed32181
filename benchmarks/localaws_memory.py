"""Issue 18 figure: RSS growth of the local AWS per 1,000 requests, for each service call the app makes.

Each mode runs in a child process of its own (moto's state is global to a process): plain moto
(WORKSHOP_LOCALAWS_PLAIN_MOTO=1, the baseline) and the local AWS with its flat-memory fix. The calls are
in `memory_calls.py`: DynamoDB, SQS, SNS, Kinesis, S3 (presigned GET and PUT included), CloudWatch Logs and
a request through the HTTP API gateway to a Lambda function (its environment is another process: only the
local AWS's own memory is counted). Calls that store data (PutRecord, PutLogEvents) grow by what AWS would
keep too; the calls that only read, overwrite or delete what they wrote should stay near zero.

    python benchmarks/localaws_memory.py [--quick] [--calls N]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from workshop import settings

ROOT = Path(__file__).resolve().parents[1]


def child(calls: int) -> dict[str, float]:
    """Start a local AWS in this process; RSS growth in MB per 1,000 requests for each call."""
    import boto3
    import psutil
    import requests
    from memory_calls import calls as app_calls
    from memory_calls import resources

    from localaws import start_local_aws

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as state, start_local_aws(state) as aws, requests.Session() as http:
        def c(service: str) -> Any:
            return boto3.client(service, endpoint_url=aws.endpoint, region_name="us-east-1",
                                aws_access_key_id="testing", aws_secret_access_key="testing")

        process = psutil.Process()
        for name, call in app_calls(c, resources(c, aws.gateway_url), http).items():
            for _ in range(max(calls // 5, 50)):  # warm-up
                call()
            gc.collect()
            before = process.memory_info().rss
            for _ in range(calls):
                call()
            gc.collect()
            out[name] = (process.memory_info().rss - before) / 1024 / 1024 * 1000 / calls
    return out


def main(argv: list[str] | None = None) -> int:
    """Run both modes in child processes and print MB per 1,000 requests side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.calls)))
        return 0
    calls = 300 if args.quick else args.calls
    results = {}
    for mode, plain in (("plain moto", "1"), ("local AWS", "0")):
        env = {**os.environ, "WORKSHOP_LOCALAWS_PLAIN_MOTO": plain, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, __file__, "--child", "--calls", str(calls)], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{mode} failed:\n{done.stderr[-3000:]}")
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"RSS growth per 1,000 requests ({calls} measured per call, after warm-up), MB")
    print(f"{'call':40} {'plain moto':>11} {'local AWS':>10}")
    for name in results["plain moto"]:
        print(f"{name:40} {results['plain moto'][name]:11.2f} {results['local AWS'][name]:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
