"""Soak: hold about half of the measured capacity for a set time and watch every component for leaks.

Per architecture (brought up alone): seed a catalog, measure capacity with a short closed-loop burst of
reads and views, then hold `--fraction` (0.5) of it at a fixed arrival rate for `--minutes` (10; 1 with
--quick), sampling every `--every` seconds each component's RSS, open file descriptors and threads
(children included) and the window's p50/p99 and errors. Prints the trend and, after the warm-up (the
first fifth), each component's RSS growth, fd and thread change, the p99 drift (the last fifth against
the fifth after warm-up) and the errors.
Goals: RSS growth under 10 %, descriptors flat, zero errors.
`python benchmarks/soak.py [--archs A,B] [--minutes M] [--quick] [--json FILE]`
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from isolated import running
from soa_vs_monolith import seed

from workshop import settings
from workshop.endurance import soak as endurance

ARCHS = "monolith,soa,microservices:process,serverless"


def soak(arch: str, args: argparse.Namespace) -> dict:
    """Capacity, then the paced hold with samples (workshop.endurance.soak); returns its record."""
    params = endurance.SoakParams(hold_s=args.minutes * 60, every_s=args.every, fraction=args.fraction,
                                  threads=args.threads, capacity_s=args.capacity_s)
    with running(arch) as (module, base):
        ids = seed(base, args.videos)
        folder = args.out / arch.replace(":", "-") if args.out else Path(tempfile.mkdtemp(prefix="soak-"))
        return endurance.run(module.pids, base, ids, folder, params)


def report(results: dict[str, dict], minutes: float) -> None:
    """Print each architecture's hold, then each component's growth after warm-up."""
    print(f"\nsoak of {minutes:g} min at a fixed arrival rate (growth measured after the first fifth)")
    print(f"{'arch':22} {'capacity/s':>10} {'held/s':>7} {'requests':>8} {'errors':>6} {'p99 first':>9} "
          f"{'p99 last':>8} {'p99 drift':>9} {'machine load':>12}")
    for arch, r in results.items():
        drift = r["p99_last_ms"] / r["p99_first_ms"] if r["p99_first_ms"] else float("nan")
        print(f"{arch:22} {r['capacity_rps']:10.1f} {r['rate_rps']:7.1f} {r['requests']:8d} {r['errors']:6d} "
              f"{r['p99_first_ms']:9.1f} {r['p99_last_ms']:8.1f} {'x':>3}{drift:6.2f} "
              f"{r.get('load1_first') or float('nan'):5.1f}->{r.get('load1_last') or float('nan'):<5.1f}")
    for arch, r in results.items():
        if r["error_kinds"]:
            print(f"{arch} errors by kind: {r['error_kinds']}")
    print(f"\n{'arch':22} {'component':28} {'RSS MiB':>15} {'growth':>7} {'fds Δ':>6} {'threads Δ':>9}")
    for arch, r in results.items():
        for name, g in sorted(r["growth"].items()):
            print(f"{arch:22} {name[:28]:28} {g['rss_start_mib']:6.1f}->{g['rss_end_mib']:6.1f} "
                  f"{g['rss_growth_pct']:+6.1f}% {g['fds_delta']:+6d} {g['threads_delta']:+9d}")


def main(argv: list[str] | None = None) -> int:
    """Soak each architecture in turn and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archs", default=ARCHS, help=f"comma list (default {ARCHS})")
    parser.add_argument("--minutes", type=float, help="hold per architecture (default 10, quick 1)")
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--fraction", type=float, default=0.5, help="share of the measured capacity held")
    parser.add_argument("--threads", type=int, default=8, help="closed-loop clients for the capacity burst")
    parser.add_argument("--capacity-s", type=float, default=10.0, help="seconds of the capacity burst")
    parser.add_argument("--videos", type=int, default=50, help="videos seeded")
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path, help="also write every record (growth, p99, errors) here")
    parser.add_argument("--out", type=Path, help="folder for each architecture's samples.csv and windows.csv")
    args = parser.parse_args(argv)
    if args.quick:
        args.every, args.capacity_s, args.videos = min(args.every, 3.0), 5.0, 20
    args.minutes = args.minutes or (1.0 if args.quick else 10.0)
    results: dict[str, dict] = {}
    for arch in [a.strip() for a in args.archs.split(",") if a.strip()]:
        results[arch] = soak(arch, args)
        report({arch: results[arch]}, args.minutes)  # each as it ends: a long run shows progress
        if args.json:
            args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                             "cores": os.cpu_count(), "results": results}, indent=2))
    if len(results) > 1:
        report(results, args.minutes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
