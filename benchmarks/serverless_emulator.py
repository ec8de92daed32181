"""Issue 12 figures, in one run: how much of the serverless column is the local AWS (the emulator).

For plain moto (WORKSHOP_LOCALAWS_PLAIN_MOTO=1, the baseline) and for the local AWS with its fast
response path and flat memory, on the same machine in the same run:
1. DynamoDB Query (21 items, the list's index) p50 against ListTables p50, direct boto3 calls;
2. GET /videos p50 against GET /health p50 through the local API gateway (one client, sequential);
3. GET /videos throughput at saturation (closed loop, 8 threads) as a ratio of the monolith's;
4. optionally (--bench DIR), the quick bench's serverless p50 and error rate against the monolith's,
   read from a `workshop bench --quick --archs monolith,serverless --out DIR` run's results.

    python benchmarks/serverless_emulator.py [--quick] [--bench DIR] [--json FILE]
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
from soa_vs_monolith import drive, seed  # noqa: E402  (the same closed-loop client as the other figures)

from workshop import settings  # noqa: E402
from workshop.archs import load as load_arch  # noqa: E402
from workshop.runtime import procs  # noqa: E402

TABLE, INDEX = "videocatalog-videos", "newest"


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
    os.environ["WORKSHOP_LOCALAWS_PLAIN_MOTO"] = "1" if plain_moto else "0"
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
        os.environ.pop("WORKSHOP_LOCALAWS_PLAIN_MOTO", None)


def bench_figures(folder: Path) -> dict[str, dict[str, float]]:
    """p50 and error rate per architecture of a `workshop bench` results folder (its bench.json summary rows)."""
    from workshop.report.text import summary_rows

    rows = summary_rows(json.loads((folder / "bench.json").read_text()))
    return {r["arch"]: {"p50_ms": float(r["p50_ms"]), "error_rate": float(r["error_rate"])} for r in rows}


def report(results: dict[str, Any], bench: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Print every figure and ratio against the issue's targets; returns the ratios."""
    mono_rps = results["monolith"]["saturation"]["rps"]
    print(f"monolith      GET /videos at saturation {mono_rps:7.1f} req/s "
          f"p50 {results['monolith']['saturation']['p50_ms']:.1f} ms")
    ratios: dict[str, Any] = {}
    for name in ("serverless-plain-moto", "serverless"):
        r = results[name]
        sat = r["saturation"]
        row = {"query_vs_list_tables": r["query21_p50_ms"] / r["list_tables_p50_ms"],
               "videos_vs_health": r["videos_p50_ms"] / r["health_p50_ms"],
               "saturation_vs_monolith": sat["rps"] / mono_rps}
        ratios[name] = row
        print(f"{name:22} Query(21) {r['query21_p50_ms']:6.1f} ms vs ListTables {r['list_tables_p50_ms']:5.1f} ms "
              f"= x{row['query_vs_list_tables']:.1f} (target <= 2)")
        print(f"{'':22} GET /videos {r['videos_p50_ms']:6.1f} ms vs /health {r['health_p50_ms']:5.1f} ms "
              f"= x{row['videos_vs_health']:.1f} (target <= 3)")
        print(f"{'':22} saturation {sat['rps']:6.1f} req/s (p50 {sat['p50_ms']:.1f} ms, errors {sat['errors']}) "
              f"= {100 * row['saturation_vs_monolith']:.0f}% of the monolith (target >= 25%)")
    if bench.get("monolith") and bench.get("serverless"):
        m, s = bench["monolith"], bench["serverless"]
        ratios["bench_p50"] = s["p50_ms"] / m["p50_ms"]
        print(f"quick bench: serverless p50 {s['p50_ms']:.1f} ms vs monolith {m['p50_ms']:.1f} ms = "
              f"x{ratios['bench_p50']:.1f} (target <= 5); error rate {100 * s['error_rate']:.1f}% vs "
              f"{100 * m['error_rate']:.1f}%")
    elif bench:
        print("quick bench: results folder without both monolith and serverless rows")
    return ratios


def main(argv: list[str] | None = None) -> int:
    """Measure the monolith, serverless on plain moto, serverless on the local AWS; print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--videos", type=int, default=25, help="seeded videos (>= 21: the Query returns 21)")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--bench", type=Path, help="a `workshop bench --quick` results folder to read")
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.samples = 5.0, 2.0, 15
    with tempfile.TemporaryDirectory(prefix="bench-emulator-") as state_dir:
        os.environ["WORKSHOP_STATE_DIR"] = state_dir
        os.environ["WORKSHOP_MONOLITH_PORT"] = str(procs.free_port())
        os.environ["WORKSHOP_LOCALAWS_PORT"] = str(procs.free_port())
        results = {"monolith": measure("monolith", args),
                   "serverless-plain-moto": measure("serverless", args, plain_moto=True),
                   "serverless": measure("serverless", args)}
    ratios = report(results, bench_figures(args.bench) if args.bench else {})
    if args.json:
        meta = {"args": {k: str(v) for k, v in vars(args).items()}, "cores": os.cpu_count(), "time": time.time()}
        args.json.write_text(json.dumps({"meta": meta, "results": results, "ratios": ratios}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
