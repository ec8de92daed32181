"""`workshop bench --archs serverless --target local|aws [--yes]`: the bench on a deploy target (bench_target.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workshop.measure.loadrun import LoadParams


def bench_on_target(args: argparse.Namespace, load: LoadParams, out: Path) -> int:
    """Deploy, load, bill from CloudWatch Logs, tear down and verify; print the figures; 0 when all went well."""
    from workshop import bench_target

    if (args.archs or "") != "serverless":
        raise SystemExit("--target runs the serverless bench only: use --archs serverless")
    result = bench_target.run(args.target, out, load, yes=args.yes)
    if result["status"] == "cancelled":
        print("cancelled: nothing was deployed")
        return 1
    total = result.get("load", {}).get("total") or {}
    print(f"serverless on {args.target}: {total.get('requests', 0):.0f} requests, {total.get('rps') or 0:.1f} req/s, "
          f"p95 {total.get('p95_ms')} ms; {result.get('report_lines', 0)} REPORT lines read from CloudWatch Logs; "
          f"cost of the run ${result['cost_usd']['total']:.4f} "
          f"(estimated ${result['estimate']['cost_usd']['total']:.4f})")
    if result.get("leftovers"):
        print("teardown left behind:\n  " + "\n  ".join(result["leftovers"]))
    else:
        print("teardown verified: nothing of the stack is left")
    print(out)
    return 0 if result["status"] == "ok" else 1
