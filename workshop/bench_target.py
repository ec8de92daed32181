"""`workshop bench --archs serverless --target aws|local`: the serverless bench on a deploy target.

One code path for both targets: estimate the run's cost and ask (unless --yes), deploy the stack with the
deployer (serverless/deploy), seed, run the bench's load against the API, read the billing records from the
REPORT lines in CloudWatch Logs (serverless/deploy/reports.py, the reader the local bench uses too), tear
everything down and verify by listing. `local` runs it against a local AWS started for the purpose, which
is how CI exercises it; `aws` uses the default credential chain and AWS_REGION (else us-east-1).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from serverless.deploy import cli as deploy_cli
from serverless.deploy.aws import Target
from serverless.deploy.reports import billing_records
from workshop.cost import model as cost
from workshop.cost import usage
from workshop.measure import loadrun, seed
from workshop.runtime import procs
from workshop.runtime.progress import log

SETUP_HOURS = 0.25  # deploy, seed, teardown: the stack's hourly items (the Kinesis shard) run meanwhile
ASSUMED_BILLED_MS = 100  # per invocation, for the estimate only (the run measures the real figure)
ASSUMED_INVOCATIONS_PER_REQUEST = 1.5  # the authorizer on writes, the views stream consumer


def run_cost(requests: float, invocations: float, gb_s: float, init_gb_s: float, hours: float,
             prices: dict) -> dict[str, float]:
    """What one run costs on AWS by line item (USD), without the free tier."""
    p = {k: v["usd"] for k, v in prices["prices"].items()}
    a = {k: v["value"] for k, v in prices["assumptions"].items()}
    items = {"lambda_requests": invocations * p["lambda_request"], "lambda_duration": gb_s * p["lambda_gb_second_x86"],
             "lambda_init": init_gb_s * p["lambda_gb_second_x86"], "api_gateway": requests * p["apigw_http_request"],
             "dynamodb": requests * (a["dynamodb_reads_per_request"] * p["dynamodb_read_request_unit"]
                                     + a["dynamodb_writes_per_request"] * p["dynamodb_write_request_unit"]),
             "kinesis": hours * p["kinesis_shard_hour"]}
    return {**{k: round(v, 6) for k, v in items.items()}, "total": round(sum(items.values()), 6)}


def estimate(params: loadrun.LoadParams, prices: dict) -> dict[str, Any]:
    """The expected requests of the load and their cost, before anything is deployed."""
    low, _, high = params.think_time.partition(",")
    think = (float(low) + float(high or low)) / 2
    requests = params.users * params.duration_s / (think + 0.1)  # ~0.1 s per request on the API
    invocations = requests * ASSUMED_INVOCATIONS_PER_REQUEST
    gb_s = invocations * ASSUMED_BILLED_MS / 1000 * prices["assumptions"]["lambda_memory_mb"]["value"] / 1024
    hours = SETUP_HOURS + params.duration_s / 3600
    return {"requests": round(requests), "cost_usd": run_cost(requests, invocations, gb_s, 0.0, hours, prices)}


def confirm(kind: str, guess: dict[str, Any], yes: bool, ask: Callable[[str], str] = input) -> bool:
    """Print the estimate; True when --yes was given or the user answers y."""
    print(f"serverless bench on {kind}: about {guess['requests']} requests, estimated cost "
          f"${guess['cost_usd']['total']:.4f} (" + ", ".join(f"{k} ${v:.4f}" for k, v in guess["cost_usd"].items()
                                                     if k != "total") + "); CloudWatch Logs and S3 not included")
    if yes:
        return True
    try:
        return ask("deploy, run and tear down? [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:  # no terminal: only --yes proceeds
        return False


def _settled_records(t: Target, start_s: float, end_s: float, wait_s: float) -> list[dict[str, Any]]:
    """The run's billing records once CloudWatch Logs stops receiving more (AWS delivers them late)."""
    deadline, last = time.monotonic() + wait_s, None
    while True:
        records = billing_records(t, start_s, end_s)
        if (records and last is not None and len(records) == len(last)) or time.monotonic() > deadline:
            return records
        last = records
        time.sleep(5 if t.kind == "aws" else 0.5)


def _measure(t: Target, outputs: dict, out: Path, params: loadrun.LoadParams, sut: Callable[[], dict]) -> dict:
    url = outputs["base_url"]
    procs.wait_healthy(f"{url}/health", timeout_s=180)
    made = seed.seed(url, 10, params.seed, False)
    log(f"serverless on {t.kind}: load, {params.users} users for {params.duration_s}s")
    load = loadrun.run_load(url, out / "load", params, sut)
    records = _settled_records(t, load["started"], load["finished"] + 60, 90 if t.kind == "aws" else 10)
    # lambda_usage reads an architecture's records; these are the deployed stack's.
    lam = usage.lambda_usage(cast(Any, SimpleNamespace(lambda_invocations=lambda: records)), load)
    return {"url": url, "seeded": len(made["video_ids"]), "load": load, "lambda": lam,
            "report_lines": len(records)}


def _teardown(t: Target, passes: int = 4) -> list[str]:
    """Tear the stack down and list what is left; again while something is (an upload's pipeline, invoked
    asynchronously during the load, can still be running and log after its log group was deleted)."""
    for i in range(passes):
        log(f"serverless on {t.kind}: teardown" + (f", pass {i + 1}" if i else ""))
        left = deploy_cli.run_teardown(t)
        if not left:
            return []
        time.sleep(15 if t.kind == "aws" else 5)
    return left


def run(kind: str, out: Path, params: loadrun.LoadParams, yes: bool = False,
        ask: Callable[[str], str] = input) -> dict[str, Any]:
    """Estimate, confirm, deploy, load, read the bill, tear down, verify; returns (and writes) the result."""
    from workshop.archs.serverless import arch as serverless

    prices = cost.load_prices()
    guess = estimate(params, prices)
    if not confirm(kind, guess, yes, ask):
        return {"status": "cancelled", "estimate": guess}
    out.mkdir(parents=True, exist_ok=True)
    started_local = kind == "local"
    if started_local and procs.load_arch(serverless.NAME):
        raise procs.AlreadyUp("serverless is up locally; `workshop down serverless` first (its local AWS is reused)")
    result: dict[str, Any] = {"target": kind, "estimate": guess, "status": "failed"}
    try:
        t = Target("local", serverless.start_local_aws()) if started_local else deploy_cli.target("aws")
        sut = loadrun.safe_pids(serverless, serverless.NAME) if started_local else dict
        began = time.time()
        try:
            result.update(_measure(t, deploy_cli.run_deploy(t, "v1"), out, params, sut))
        finally:
            result["leftovers"] = _teardown(t)
            hours = (time.time() - began) / 3600
        lam = result.get("lambda") or {}
        requests = (result.get("load", {}).get("total") or {}).get("requests") or 0
        result["cost_usd"] = run_cost(requests, lam.get("invocations", 0), lam.get("gb_s", 0.0),
                                      lam.get("init_gb_s", 0.0), hours, prices)
        result["status"] = "ok" if not result["leftovers"] and result.get("report_lines") else "failed"
    finally:
        if started_local:
            serverless.down()
        (out / "result.json").write_text(json.dumps(result, indent=2, default=str))
    return result
