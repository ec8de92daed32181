"""Issue 13 figures, in one run: Lambda's resource model on the local platform (memory buys CPU).

1. A CPU-bound handler (two threads hashing, so it can use two vCPUs) at 128, 512, 1,769 and 3,538 MB:
   warm Duration as ratios to 1,769 MB (AWS's shape on a 2-core host: about x13.8, x3.5, x1, x0.5);
2. the list function's Init Duration at 256 and 1,769 MB (the serverless architecture, `workshop tune`);
3. the render function's warm Duration for a 10 s 1280x720 clip (the `hq` rendition) at 512, 1,769 and
   3,008 MB.
CPU is scaled only where the platform may make cgroups (root); the output says which.

    python benchmarks/lambda_resources.py [--quick] [--json FILE] [--skip-serverless]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import boto3

from localaws import PlatformConfig, start_local_aws
from localaws.runtime.cgroups import mechanism
from localaws.runtime.resources import host_cores
from workshop.cost.model import load_prices
from workshop.tune import fixtures, sweep

HASHING = """
import hashlib, threading, time
BLOCK = b"x" * (1 << 20)
def work(rounds):
    h = hashlib.sha256()
    for _ in range(rounds):
        h.update(BLOCK)  # hashlib releases the GIL for big buffers: two threads use two CPUs
def handler(event, context):
    started = time.process_time()
    threads = [threading.Thread(target=work, args=(event["rounds"],)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"cpu_s": time.process_time() - started}  # both threads' CPU time
"""


def _zip(source: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("app.py", source)
    return buf.getvalue()


def cpu_ratios(rounds: int, n: int) -> dict[str, Any]:
    """Warm median Duration of the hashing handler at each memory size, and its ratio to 1,769 MB."""
    with tempfile.TemporaryDirectory() as tmp, start_local_aws(tmp, config=PlatformConfig()) as aws:
        lam = boto3.client("lambda", endpoint_url=aws.endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing", config=sweep.CLIENT)
        role = boto3.client("iam", endpoint_url=aws.endpoint, region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing").create_role(
            RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        lam.create_function(FunctionName="hashing", Runtime="python3.11", Handler="app.handler", Timeout=300,
                            Role=role, Code={"ZipFile": _zip(HASHING)})
        payload = json.dumps({"rounds": rounds}).encode()
        rows = sweep.sweep(lam, "hashing", [128, 512, 1769, 3538], n + 1, lambda: payload, load_prices(),
                           log=lambda line: print(line, file=sys.stderr))
    warm = {m: [r for r in rows if r["memory_mb"] == m and r["kind"] == "warm"] for m in (128, 512, 1769, 3538)}
    ms = {m: statistics.median(r["duration_ms"] for r in rs) for m, rs in warm.items()}
    # CPU seconds per second of Duration: the share the function really got (quota, or a busy host's limit).
    got = {m: round(statistics.median(json.loads(r["response"])["cpu_s"] * 1000 / r["duration_ms"] for r in rs), 3)
           for m, rs in warm.items()}
    return {"warm_ms": ms, "ratio_to_1769": {m: round(v / ms[1769], 2) for m, v in ms.items()},
            "aws_shape_on_2_cores": {128: 13.8, 512: 3.46, 1769: 1.0, 3538: 0.5},
            "vcpu_got": got, "vcpu_aws": {m: round(min(m / 1769, 2), 3) for m in ms}}


def serverless_figures(n: int, render_memories: list[int]) -> dict[str, Any]:
    """The list function's Init Duration and the render function's warm Duration, on the serverless stack."""
    from workshop.archs.serverless import arch as serverless
    from workshop.runtime import procs

    started = procs.load_arch(serverless.NAME) is None
    if started:
        serverless.up()
    try:
        info = serverless.info()
        lam = boto3.client("lambda", endpoint_url=info["endpoint"], region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing", config=sweep.CLIENT)
        names = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
        list_fn = next(x for x in names if x.endswith("-list_videos"))
        render_fn = next(x for x in names if x.endswith("-render"))
        prices, log = load_prices(), (lambda line: print(line, file=sys.stderr))
        listed = sweep.summarize(sweep.sweep(lam, list_fn, [256, 1769], n, fixtures.list_event, prices, log))
        env = lam.get_function_configuration(FunctionName=render_fn)["Environment"]["Variables"]
        render = fixtures.RenderFixture(info["url"], info["endpoint"], env, "hq", 10.0)
        rendered = sweep.summarize(sweep.sweep(lam, render_fn, render_memories, 2, render, prices, log))
    finally:
        if started:
            serverless.down()
    return {"list_init_ms": {r["memory_mb"]: r["init_ms"] for r in listed},
            "render_warm_ms": {r["memory_mb"]: r["warm_ms"] for r in rendered},
            "render_cold_ms": {r["memory_mb"]: r["cold_ms"] for r in rendered},
            "render_errors": {r["memory_mb"]: r["errors"] for r in rendered if r["errors"]}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer invocations, smaller work")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--skip-serverless", action="store_true", help="only the CPU-bound handler")
    args = parser.parse_args()
    kind, _ = mechanism()
    out: dict[str, Any] = {"cpu_scaling": kind if kind != "none" else "CPU not scaled", "host_cores": host_cores()}
    out["cpu_bound"] = cpu_ratios(rounds=600 if args.quick else 1500, n=2 if args.quick else 3)
    if not args.skip_serverless:
        out.update(serverless_figures(3 if args.quick else 5, [512, 1769, 3008]))
    text = json.dumps(out, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
