"""Issue 6 figures, in one run: the serverless architecture on the local AWS against the monolith.

1. GET /videos throughput and p50/p99 under the same closed-loop client, as ratios to the monolith's;
2. cold and warm latency of the list function through the gateway (a new version forces the cold start);
3. upload-to-ready of a 10 s 1280x720 clip with audio, as a ratio to the monolith's.
Each architecture runs alone with state and ports of its own; ratios travel, absolute numbers do not.
Closed-loop load hides stalls (coordinated omission): p99 here is a floor.

    python benchmarks/serverless_figures.py [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from soa_vs_monolith import drive, seed, server_cpu_s  # noqa: E402  (the same client as the other figures)

from videocatalog import testmedia  # noqa: E402
from workshop import settings
from workshop.archs import load as load_arch  # noqa: E402
from workshop.measure.client import CatalogClient, NotReady  # noqa: E402
from workshop.runtime import procs  # noqa: E402


def measure(arch: str, args: argparse.Namespace, clip: Path) -> dict:
    """Bring `arch` up alone, seed it, load GET /videos, time the clip to ready (and the gateway study)."""
    module = load_arch(arch)
    try:
        base = module.up()  # inside the try: a partial up is brought down too
        seed(base, args.videos)
        drive(base, ["/videos"], args.threads, args.warmup)
        cpu0 = server_cpu_s(module.pids())
        loaded = drive(base, ["/videos"], args.threads, args.duration)
        loaded["server_cpu_per_request_ms"] = 1000 * (server_cpu_s(module.pids()) - cpu0) / max(loaded["requests"], 1)
        out = {"list": loaded, **timed_uploads(CatalogClient(base), clip, args.uploads)}
        if arch == "serverless":
            out["gateway"] = gateway_cold_warm(module, args)
        return out
    finally:
        module.down()


def timed_uploads(client: CatalogClient, clip: Path, count: int) -> dict:
    """Upload-to-ready times of the uploads that became ready; the ones that did not are listed, not timed."""
    times, not_ready = [], []
    for _ in range(count):
        try:
            times.append(client.upload_to_ready_s(clip)[0])
        except NotReady as exc:
            not_ready.append(str(exc))
    return {"upload_to_ready_s": times, "upload_not_ready": not_ready}


def median_or_none(values: list[float]) -> float | None:
    """The median, or None (not measured) when there is no value."""
    return median(values) if values else None


def gateway_cold_warm(module, args: argparse.Namespace) -> dict:
    """Cold and warm latency of the list function through the gateway (from the cold-start study)."""
    from workshop.archs.serverless.study import gateway_rows, lambda_client

    info = module.info()
    rows = gateway_rows(info, module.state_dir(), lambda_client(info["endpoint"]), args.cold_samples,
                        args.warm_samples)
    cold = [r for r in rows if r["kind"] == "cold"]
    warm = [r["latency_ms"] for r in rows if r["kind"] == "warm"]
    return {"cold_latency_ms": median(r["latency_ms"] for r in cold),
            "cold_init_ms": median(r["init_ms"] for r in cold if not math.isnan(r["init_ms"])),
            "warm_latency_ms": median(warm), "rows": rows, **breakdown(info)}


def breakdown(info: dict) -> dict:
    """Where a warm list request's time goes: the platform (health through the gateway, no AWS call)
    and the local DynamoDB (the same Query the function makes, called directly against moto)."""
    from videocatalog.adapters import awsclients
    from videocatalog.adapters.dynamodb import DynamoRepository
    from videocatalog.ports import ListQuery

    def timed(call, n: int = 20) -> float:
        call()
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            call()
            samples.append((time.perf_counter() - t0) * 1000)
        return median(samples)

    health = timed(lambda: requests.get(f"{info['url']}/health", timeout=30).raise_for_status())
    env = {"AWS_ENDPOINT_URL": info["endpoint"], "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    awsclients.reset()
    try:
        query = timed(lambda: DynamoRepository("videocatalog-videos").list(ListQuery(limit=20)))
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
        awsclients.reset()
    return {"warm_health_via_gateway_ms": health, "list_query_direct_on_moto_ms": query}


def report(results: dict) -> dict:
    """Print the figures and the serverless/monolith ratios; returns the ratios."""
    for arch, r in results.items():
        lst = r["list"]
        to_ready = median_or_none(r["upload_to_ready_s"])
        shown = "not measured" if to_ready is None else f"{to_ready:.2f} s"
        print(f"{arch:10} GET /videos {lst['rps']:7.1f} req/s  p50 {lst['p50_ms']:7.2f} ms  p99 {lst['p99_ms']:7.2f} ms"
              f"  errors {lst['errors']}  server CPU/request {lst['server_cpu_per_request_ms']:.2f} ms  "
              f"client CPU {lst['client_cpu']:.2f}  upload->ready {shown}")
        for reason in r.get("upload_not_ready") or []:
            print(f"{'':10} upload not ready (not timed): {reason}")
    s, m = results["serverless"], results["monolith"]
    g = s["gateway"]
    print(f"list function through the gateway: cold {g['cold_latency_ms']:.0f} ms (Init Duration "
          f"{g['cold_init_ms']:.0f} ms), warm {g['warm_latency_ms']:.1f} ms; of which the platform (warm /health "
          f"through the gateway) {g['warm_health_via_gateway_ms']:.1f} ms and moto's DynamoDB (the same Query, "
          f"direct) {g['list_query_direct_on_moto_ms']:.1f} ms")
    s_ready, m_ready = median_or_none(s["upload_to_ready_s"]), median_or_none(m["upload_to_ready_s"])
    ratios = {"throughput": s["list"]["rps"] / m["list"]["rps"], "p50": s["list"]["p50_ms"] / m["list"]["p50_ms"],
              "p99": s["list"]["p99_ms"] / m["list"]["p99_ms"],
              "upload_to_ready": s_ready / m_ready if s_ready is not None and m_ready is not None else None}
    print("serverless / monolith: " + "  ".join(f"{k} " + ("not measured" if v is None else f"x{v:.2f}")
                                                for k, v in ratios.items()))
    if max(r["list"]["client_cpu"] for r in results.values()) > 0.8:
        print("warning: the load client used most of a core: it may cap the faster architecture")
    return ratios


def main(argv: list[str] | None = None) -> int:
    """Measure the monolith, then serverless, and print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured load first (cold starts happen here)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--videos", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=2, help="timed 10 s 720p uploads per architecture")
    parser.add_argument("--cold-samples", type=int, default=5)
    parser.add_argument("--warm-samples", type=int, default=10)
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.threads, args.videos, args.uploads = 4.0, 2.0, 4, 20, 1
        args.cold_samples, args.warm_samples = 2, 3
    with tempfile.TemporaryDirectory(prefix="bench-serverless-") as state_dir:
        os.environ["WORKSHOP_STATE_DIR"] = state_dir
        os.environ["WORKSHOP_MONOLITH_PORT"] = str(procs.free_port())
        os.environ["WORKSHOP_LOCALAWS_PORT"] = str(procs.free_port())
        clip = testmedia.make_clip(Path(state_dir) / "clip-720p.mp4", 1280, 720, 10.0)
        results = {arch: measure(arch, args, clip) for arch in ("monolith", "serverless")}
    ratios = report(results)
    if args.json:
        meta = {"args": {k: str(v) for k, v in vars(args).items()}, "cores": os.cpu_count(), "time": time.time()}
        args.json.write_text(json.dumps({"meta": meta, "results": results, "ratios": ratios}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
