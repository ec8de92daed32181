"""`workshop soak`: hold half of an architecture's capacity for minutes and report each component's trend."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from workshop import archs, settings
from workshop.endurance import soak
from workshop.measure import seed
from workshop.report.soak_section import soak_rows
from workshop.report.text import format_table
from workshop.runtime import procs


def cmd_soak(args: argparse.Namespace) -> int:
    """Soak one architecture (brought up and down here unless it is already up); print the trend's verdict."""
    quick = args.quick or settings.quick()
    minutes = args.minutes if args.minutes is not None else (1.0 if quick else 10.0)
    params = soak.SoakParams.quick(minutes * 60) if quick else soak.SoakParams(hold_s=minutes * 60)
    params.fraction = args.fraction
    out = Path(args.out) if args.out else procs.PROJECT_ROOT / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-soak"
    module, info = archs.load(args.arch), procs.load_arch(args.arch)
    url = info["url"] if info else module.up()
    try:
        ids = seed.create_videos(url, 20 if quick else 50, args.seed)
        record = soak.run(module.pids, url, ids, out / args.arch, params)
    finally:
        if not info:
            module.down()
    (out / "soak.json").write_text(json.dumps({args.arch: record}, indent=2, default=str))
    print(format_table(soak_rows({args.arch: record})))
    met = record["goals_met"]
    print(f"{args.arch}: {record['requests']} requests at {record['rate_rps']:.0f}/s "
          f"(capacity {record['capacity_rps']:.0f}/s), {record['errors']} errors, p99 drift "
          f"{record['p99_drift'] or float('nan'):.2f}x; goals: " + ", ".join(f"{k} {'met' if v else 'MISSED'}"
                                                                          for k, v in met.items()))
    print(out)
    return 0 if all(met.values()) else 1


def add(sub: argparse._SubParsersAction) -> None:
    """Add `workshop soak` to the `workshop` parser."""
    parser = sub.add_parser("soak", help="hold half of the capacity for minutes; RSS, descriptors, p99 trend")
    parser.add_argument("arch", choices=archs.ARCHITECTURES)
    parser.add_argument("--minutes", type=float, help="hold (default 10; 1 with --quick)")
    parser.add_argument("--fraction", type=float, default=0.5, help="share of the measured capacity held")
    parser.add_argument("--quick", action="store_true", help="short (also WORKSHOP_QUICK=1)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", help="results folder (default results/<timestamp>-soak)")
    parser.set_defaults(func=cmd_soak)
