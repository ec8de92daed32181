"""Monthly AWS cost against requests per month, from the capacity and billed durations measured in a run.

Serverless duration GB-s are the projection for AWS (workshop/cost/projection.py): the time the functions
waited on the local AWS is replaced by AWS's per-call latencies; the measured figure stays in the inputs.
Servers (monolith, SOA): EC2 instances sized from the CPU seconds per request measured here, plus an ALB.
Microservices: Fargate vCPU and memory sized the same way, plus an ALB. Serverless: Lambda requests and
GB-seconds from the measured billed durations (INIT billed or not, at a cold-start share that is a
parameter), API Gateway HTTP API (two tiers), DynamoDB on-demand
and Kinesis. Prices come from workshop/data/prices.json (or WORKSHOP_PRICES), each with source and date.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from workshop import settings

DEFAULT_PRICES = Path(__file__).parent.parent / "data" / "prices.json"


@dataclass
class Measured:
    """What one run measured for one architecture (per request, on this machine)."""

    arch: str
    cpu_s_per_request: float | None  # None: not measured (serverless only: it is priced from its Lambda figures)
    units: int = 1  # deployable units: tiers or services
    avg_response_bytes: float = 5000.0
    lambda_invocations_per_request: float | None = None
    lambda_gb_s_per_request: float | None = None  # billed; the projection for AWS when the run recorded service time
    lambda_measured_gb_s_per_request: float | None = None  # as billed here, with the local AWS's service time
    lambda_init_gb_s_per_request: float | None = None  # as measured in the run (its cold-start share)
    lambda_init_gb_s_per_cold_start: float | None = None  # billed INIT GB-s of one cold start
    measured_cold_start_share: float | None = None  # cold starts / invocations in the run, shown beside the parameter
    transcode_s_per_video_s: float | None = None
    lambda_transcode_gb_s_per_video_s: float | None = None  # billed GB-s of the cascade per second of video


@dataclass
class Options:
    """The switches of the model."""

    init_billing: bool = True  # since 1 Aug 2025 INIT of managed-runtime zip functions is billed
    free_tier: bool = False  # Lambda's always-free monthly allowance (API Gateway's 12-month tier is gone)
    arm64: bool = False
    # Share of invocations that are cold starts: None = prices.json's assumption (AWS: "under 1%");
    # "measured" = the run's own share, which a short run from cold overstates.
    cold_start_share: float | str | None = None


def load_prices(path: str | Path | None = None) -> dict:
    """The price file, with entries of a user file (argument or WORKSHOP_PRICES) replacing the defaults."""
    prices = json.loads(DEFAULT_PRICES.read_text())
    user = path or settings.prices_file()
    if user:
        override = json.loads(Path(user).read_text())
        for section in ("prices", "assumptions"):
            prices[section].update(override.get(section, {}))
        prices.update({k: v for k, v in override.items() if k not in ("prices", "assumptions")})
    return prices


def _p(prices: dict, key: str) -> float:
    return prices["prices"][key]["usd"]


def _a(prices: dict, key: str) -> float:
    return prices["assumptions"][key]["value"]


def _alb(prices: dict, avg_rps: float, m: Measured) -> float:
    hours = prices["hours_per_month"]
    gb_per_hour = avg_rps * 3600 * m.avg_response_bytes / 1e9
    lcu = max(gb_per_hour, avg_rps * _a(prices, "alb_new_connections_per_request") / 25)
    return hours * (_p(prices, "alb_hour") + lcu * _p(prices, "alb_lcu_hour"))


def _cpu_s(m: Measured) -> float:
    if m.cpu_s_per_request is None:
        raise ValueError(f"{m.arch}: no CPU time was measured, so its servers cannot be sized")
    return m.cpu_s_per_request


def _servers(m: Measured, avg_rps: float, prices: dict, opts: Options) -> dict[str, float]:
    hours, vcpu = prices["hours_per_month"], _a(prices, "instance_vcpu")
    needed = avg_rps * _a(prices, "peak_to_average") * _cpu_s(m) / _a(prices, "target_cpu_utilization")
    instances = max(_a(prices, "min_instances_per_unit") * m.units, math.ceil(needed / vcpu))
    hourly = _p(prices, "ec2_c7g_large_hour" if opts.arm64 else "ec2_c6i_large_hour")
    return {"ec2": instances * hourly * hours, "ebs": instances * _a(prices, "ebs_gb_per_instance")
            * _p(prices, "ebs_gp3_gb_month"), "alb": _alb(prices, avg_rps, m), "instances": instances}


def _fargate(m: Measured, avg_rps: float, prices: dict, opts: Options) -> dict[str, float]:
    needed = avg_rps * _a(prices, "peak_to_average") * _cpu_s(m) / _a(prices, "target_cpu_utilization")
    floor = m.units * _a(prices, "min_instances_per_unit") * _a(prices, "fargate_min_task_vcpu")
    vcpu = max(floor, needed)
    arch = "arm" if opts.arm64 else "x86"
    per_hour = vcpu * _p(prices, f"fargate_vcpu_hour_{arch}") + 2 * vcpu * _p(prices, f"fargate_gb_hour_{arch}")
    return {"fargate": per_hour * prices["hours_per_month"], "alb": _alb(prices, avg_rps, m), "vcpu": vcpu}


def cold_start_share(m: Measured, prices: dict, opts: Options) -> float:
    """The share of invocations that pay an INIT: the option, the measured share, or the price file's."""
    if opts.cold_start_share == "measured":
        return m.measured_cold_start_share or 0.0
    if isinstance(opts.cold_start_share, float | int):
        return float(opts.cold_start_share)
    return _a(prices, "lambda_cold_start_share")


def _init_gb_s_per_request(m: Measured, prices: dict, opts: Options) -> float:
    if m.lambda_init_gb_s_per_cold_start is None:  # no per-cold-start figure: as measured
        return m.lambda_init_gb_s_per_request or 0.0
    invocations = m.lambda_invocations_per_request or 1.0
    return invocations * cold_start_share(m, prices, opts) * m.lambda_init_gb_s_per_cold_start


def http_api_cost(calls: float, prices: dict) -> float:
    """HTTP API requests at $1.00 per million up to 300 million a month, $0.90 above."""
    tier = _p(prices, "apigw_http_tier_requests")
    return (min(calls, tier) * _p(prices, "apigw_http_request")
            + max(0.0, calls - tier) * _p(prices, "apigw_http_request_over_300m"))


def _serverless(m: Measured, requests: float, prices: dict, opts: Options) -> dict[str, float]:
    invocations = requests * (m.lambda_invocations_per_request or 1.0)
    gb_s = requests * (m.lambda_gb_s_per_request or 0.0)
    if opts.init_billing:
        gb_s += requests * _init_gb_s_per_request(m, prices, opts)
    if opts.free_tier:
        invocations = max(0.0, invocations - _p(prices, "lambda_free_requests_month"))
        gb_s = max(0.0, gb_s - _p(prices, "lambda_free_gb_seconds_month"))
    gb_price = _p(prices, "lambda_gb_second_arm" if opts.arm64 else "lambda_gb_second_x86")
    views_per_s = requests * _a(prices, "view_fraction") / (prices["hours_per_month"] * 3600)
    shards = max(1, math.ceil(views_per_s * _a(prices, "peak_to_average") / 1000))  # 1000 records/s per shard
    return {"lambda_requests": invocations * _p(prices, "lambda_request"), "lambda_duration": gb_s * gb_price,
            "api_gateway": http_api_cost(requests, prices),
            "dynamodb": requests * (_a(prices, "dynamodb_reads_per_request") * _p(prices, "dynamodb_read_request_unit")
                                    + _a(prices, "dynamodb_writes_per_request")
                                    * _p(prices, "dynamodb_write_request_unit")),
            "kinesis": shards * prices["hours_per_month"] * _p(prices, "kinesis_shard_hour")
            + requests * _a(prices, "view_fraction") * _p(prices, "kinesis_put_payload_unit")}


def monthly_cost(m: Measured, requests: float, prices: dict, opts: Options | None = None) -> dict[str, float]:
    """The monthly bill of `m.arch` at `requests` per month, by line item, with `total`."""
    opts = opts or Options()
    avg_rps = requests / (prices["hours_per_month"] * 3600)
    if m.arch == "serverless":
        items = _serverless(m, requests, prices, opts)
    elif m.arch == "microservices":
        items = _fargate(m, avg_rps, prices, opts)
    else:
        items = _servers(m, avg_rps, prices, opts)
    items["total"] = sum(v for k, v in items.items() if k not in ("instances", "vcpu"))
    return items


def curves(measured: list[Measured], prices: dict, opts: Options | None = None, lo: float = 1e4,
           hi: float = 1e10, points: int = 61) -> list[dict]:
    """Rows (arch, requests_per_month, usd) on a log grid of monthly requests."""
    grid = [lo * (hi / lo) ** (i / (points - 1)) for i in range(points)]
    return [{"arch": m.arch, "requests_per_month": r, "usd": monthly_cost(m, r, prices, opts)["total"]}
            for m in measured for r in grid]


def crossovers(measured: list[Measured], prices: dict, opts: Options | None = None, lo: float = 1e4,
               hi: float = 1e10) -> list[dict]:
    """Where two architectures' monthly costs cross (requests per month), found by bisection on a log grid."""
    out = []
    grid = [lo * (hi / lo) ** (i / 120) for i in range(121)]
    for a, b in combinations(measured, 2):
        def diff(r: float, a: Measured = a, b: Measured = b) -> float:
            return monthly_cost(a, r, prices, opts)["total"] - monthly_cost(b, r, prices, opts)["total"]

        for left, right in zip(grid, grid[1:], strict=False):
            if diff(left) * diff(right) < 0:
                for _ in range(50):
                    mid = math.sqrt(left * right)
                    left, right = (mid, right) if diff(left) * diff(mid) > 0 else (left, mid)
                r = math.sqrt(left * right)
                out.append({"a": a.arch, "b": b.arch, "requests_per_month": r,
                            "usd": monthly_cost(a, r, prices, opts)["total"],
                            "cheaper_below": a.arch if diff(left / 2) < 0 else b.arch})
    return out
