"""Issue 12 figures, in one run: how much of the serverless column is the local AWS (the emulator).

For plain moto (WORKSHOP_LOCALAWS_PLAIN_MOTO=1, the baseline: before) and for the local AWS with its fast
response path (after), on the same machine in the same run:
1. DynamoDB Query (21 items, the list's index) p50 against ListTables p50, direct boto3 calls;
2. GET /videos p50 against GET /health p50 through the local API gateway (one client, sequential);
3. GET /videos throughput at saturation (closed loop, 8 threads) as a ratio of the monolith's;
4. the quick bench (the harness's `run_arch` with `workshop bench --quick`'s settings, less rollbacks, soak
   and faults): serverless p50 and error rate against the monolith's, its 429s (Lambda throttles after the
   warm-up, and Locust's 429 rows with when they were seen) and 5xx apart. `--bench DIR` reads these from
   a saved folder instead (this script's `--out`, or a `workshop bench --quick --archs monolith,serverless`
   folder) without measuring them again.
Then a table of issue 12's targets, met or missed, per mode.

    python benchmarks/serverless_emulator.py [--quick] [--bench DIR] [--out DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

import boto3
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import emulator_bench  # noqa: E402
import emulator_report  # noqa: E402
from soa_vs_monolith import drive, seed  # noqa: E402  (the same closed-loop client as the other figures)

from workshop import settings  # noqa: E402
from workshop.archs import load as load_arch  # noqa: E402
from workshop.runtime import procs  # noqa: E402

TABLE, INDEX = "videocatalog-videos", "newest"
MODES = {"plain moto": True, "fast path": False}  # name: the local AWS runs plain moto (the baseline)


def p50_ms(call: Any, samples: int) -> float:
    """Median wall time of `call` in ms, after one unmeasured call."""
    call()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - started))
    return median(times)


def direct_calls(endpoint: str, samples: int) -> dict[str, float]:
    """DynamoDB Query of 21 items and ListTables p50 against the local AWS."""
    db = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")

    def query() -> None:
        got = db.query(TableName=TABLE, IndexName=INDEX, KeyConditionExpression="kind = :k", Limit=21,
                       ExpressionAttributeValues={":k": {"S": "video"}}, ScanIndexForward=False)
        assert got["Count"] == 21, got["Count"]

    return {"query21_p50_ms": p50_ms(query, samples), "list_tables_p50_ms": p50_ms(db.list_tables, samples)}


def gateway_calls(url: str, samples: int) -> dict[str, float]:
    """GET /videos and GET /health p50 through the gateway, one client."""
    with requests.Session() as http:
        def get(path: str) -> Any:
            return lambda: http.get(url + path, timeout=30).raise_for_status()

        return {"videos_p50_ms": p50_ms(get("/videos"), samples), "health_p50_ms": p50_ms(get("/health"), samples)}


def measure(arch: str, args: argparse.Namespace, plain_moto: bool = False) -> dict[str, Any]:
    """Bring `arch` up alone, seed it, take the figures, bring it down."""
    with emulator_bench.local_aws_mode(plain_moto):
        module = load_arch(arch)
        try:
            base = module.up()
            seed(base, args.videos)
            out: dict[str, Any] = {}
            if arch == "serverless":
                out.update(direct_calls(module.info()["endpoint"], args.samples))
                out.update(gateway_calls(base, args.samples))
            drive(base, ["/videos"], args.threads, args.warmup)
            out["saturation"] = drive(base, ["/videos"], args.threads, args.duration)
            return out
        finally:
            module.down()


def main(argv: list[str] | None = None) -> int:
    """Measure the monolith and serverless in both local AWS modes, run (or read) the quick bench; print it all."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--videos", type=int, default=25, help="seeded videos (>= 21: the Query returns 21)")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--bench", type=Path, help="read the quick bench's figures from this folder, not measure them")
    parser.add_argument("--out", type=Path, help="keep the quick bench's folders here (readable later with --bench)")
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.samples = 5.0, 2.0, 15
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-emulator-") as tmp:
        os.environ["WORKSHOP_STATE_DIR"] = str(Path(tmp) / "direct")
        os.environ["WORKSHOP_MONOLITH_PORT"] = str(procs.free_port())
        os.environ["WORKSHOP_LOCALAWS_PORT"] = str(procs.free_port())
        direct = {"monolith": measure("monolith", args)}
        direct.update({name: measure("serverless", args, plain) for name, plain in MODES.items()})
        bench = (emulator_bench.read(args.bench) if args.bench else
                 emulator_bench.run(args.out or Path(tmp) / "bench", Path(tmp) / "bench-state", MODES))
    ratios = emulator_report.report(direct, bench, emulator_bench.WARM_S)
    print(f"({'quick' if args.quick else 'full'} mode, {os.cpu_count()} cores, {time.monotonic() - started:.0f} s)")
    if args.json:
        meta = {"args": {k: str(v) for k, v in vars(args).items()}, "cores": os.cpu_count(), "time": time.time()}
        args.json.write_text(json.dumps({"meta": meta, "direct": direct, "bench": bench, "ratios": ratios},
                                        indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
