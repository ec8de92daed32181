"""Serverless soak: a steady Locust load for a set time, watching the local AWS process's memory and the 5xx.

Prints the local AWS's RSS after the warm-up and at the end (and the growth in %, the soak's ratio against
its own warm-up baseline), the highest RSS sampled, the requests, the failures per HTTP status (5xx and
429 named) and the connection errors that got no HTTP answer, counted apart, and the Lambda environments
the load needed at its peak against the account limit. The full soak is ten minutes; --quick runs one.
Exits 1 when the run misses issue 18's bar: RSS more than +10% after warm-up, or any 5xx.

    python benchmarks/soak_serverless.py [--quick] [--seconds N] [--users N] [--tags browse,view] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from workshop import settings  # noqa: E402
from workshop.archs import load as load_arch  # noqa: E402
from workshop.measure import loadrun, seed  # noqa: E402
from workshop.measure.lambda_peak import run_peak  # noqa: E402
from workshop.runtime import procs  # noqa: E402

MAX_GROWTH_PCT = 10.0  # issue 18: the local AWS stays within +10% RSS after warm-up


def localaws_rss_mb() -> float:
    """Resident memory of the local AWS process (moto and the Lambda platform; environments not counted)."""
    pid = procs.records("serverless")["localaws"]["pid"]
    return psutil.Process(pid).memory_info().rss / 2**20


class RssSampler(threading.Thread):
    """Samples the local AWS's RSS every `every_s` seconds until stopped."""

    def __init__(self, every_s: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.every_s, self.samples, self.done = every_s, [], threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every_s):
            self.samples.append((time.time(), localaws_rss_mb()))


def failures_by_kind(folder: Path) -> dict[str, dict[str, int]]:
    """Failed requests from Locust's failure log: per HTTP status, and connection errors (no status) apart."""
    http: dict[str, int] = {}
    connection: dict[str, int] = {}
    path = folder / "locust_failures.csv"
    if path.exists():
        with path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                error, n = row["Error"], int(row["Occurrences"])
                code = error.split("code=")[1].split(")")[0] if "code=" in error else "0"
                if code != "0":  # LocustBadStatusCode(code=503): the server answered
                    http[code] = http.get(code, 0) + n
                else:  # refused, reset, timed out: no answer at all
                    kind = "no status (code=0)" if "code=" in error else (error.split("(")[0][:60] or "unknown")
                    connection[kind] = connection.get(kind, 0) + n
    return {"http": http, "connection": connection}


def soak(args: argparse.Namespace, out: Path) -> dict:
    """Bring serverless up alone, seed it, warm up, then load steadily for the set time."""
    module = load_arch("serverless")
    try:
        base = module.up()
        seed.seed(base, args.videos, 42, False)
        params = loadrun.LoadParams(users=args.users, spawn_rate=args.users, think_time="0.5,1.5", tags=args.tags)
        params.duration_s = args.warmup
        loadrun.run_load(base, out / "warmup", params, module.pids)
        after_warmup = localaws_rss_mb()
        sampler = RssSampler()
        sampler.start()
        params.duration_s = args.seconds
        try:
            run = loadrun.run_load(base, out / "soak", params, module.pids)
        finally:
            sampler.done.set()
            sampler.join()
        end = localaws_rss_mb()
        failed = failures_by_kind(out / "soak")
        codes = failed["http"]
        return {"seconds": args.seconds, "users": args.users, "tags": args.tags,
                "rss_after_warmup_mb": round(after_warmup, 1), "rss_end_mb": round(end, 1),
                "rss_growth_pct": round(100 * (end - after_warmup) / after_warmup, 1),
                "rss_max_mb": round(max([end] + [mb for _, mb in sampler.samples]), 1),
                "requests": (run["total"] or {}).get("requests"), "rps": (run["total"] or {}).get("rps"),
                "status_5xx": sum(n for code, n in codes.items() if code.startswith("5")),
                "status_429": codes.get("429", 0), "failures": codes,
                "connection_errors": sum(failed["connection"].values()), "connection_kinds": failed["connection"],
                "lambda": run_peak(module, run)}
    finally:
        module.down()


def main() -> int:
    """Run the soak and print its figures (and write them as JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one minute (also WORKSHOP_QUICK=1)")
    parser.add_argument("--seconds", type=int, help="length of the soak after the warm-up (default 600, quick 60)")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--tags", default="browse,view", help="Locust tags (default: reads and views, no uploads)")
    parser.add_argument("--videos", type=int, default=20)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    quick = args.quick or settings.quick()
    args.seconds = args.seconds or (60 if quick else 600)
    args.warmup = 20 if quick else 60
    with tempfile.TemporaryDirectory(prefix="soak-serverless-") as tmp:
        os.environ["WORKSHOP_STATE_DIR"] = str(Path(tmp) / "state")  # its own catalog, code and records
        figures = soak(args, Path(tmp) / "results")
    print(f"serverless soak: {figures['seconds']} s, {figures['users']} users, tags {figures['tags']}: "
          f"{figures['requests']:.0f} requests ({figures['rps']:.1f}/s)")
    print(f"local AWS RSS: {figures['rss_after_warmup_mb']} MB after warm-up, {figures['rss_end_mb']} MB at the end "
          f"({figures['rss_growth_pct']:+.1f}%), highest {figures['rss_max_mb']} MB")
    print(f"HTTP failures by status: {figures['failures'] or 'none'} (5xx: {figures['status_5xx']}; "
          f"429: {figures['status_429']})")
    print(f"connection errors (no HTTP answer): {figures['connection_errors']} {figures['connection_kinds'] or ''}")
    peak = figures["lambda"]
    if peak:
        print(f"Lambda environments at the peak: {peak['peak']} of an account limit of {peak['limit']} "
              f"({peak['unreserved_limit']} unreserved), throttles {peak['throttles']}")
    else:
        print("Lambda environments at the peak: not available (no concurrency records for the run)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return verdict(figures)


def verdict(figures: dict) -> int:
    """Issue 18's bar: 0 when RSS grew at most 10% after warm-up and no request answered 5xx, else 1."""
    failed = [f"RSS grew {figures['rss_growth_pct']:+.1f}% (> +{MAX_GROWTH_PCT:g}%)"
              if figures["rss_growth_pct"] > MAX_GROWTH_PCT else "",
              f"{figures['status_5xx']} answers were 5xx" if figures["status_5xx"] else ""]
    failed = [f for f in failed if f]
    print(f"verdict: {'FAILED: ' + '; '.join(failed) if failed else 'ok'} (bar: RSS within +{MAX_GROWTH_PCT:g}% "
          "after warm-up, zero 5xx)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
