"""`workshop faults ARCH [--quick] [--out DIR]`: kill -9 one component at a time under load (endurance/faults.py)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from workshop import archs, settings
from workshop.runtime import procs


def cmd_faults(args: argparse.Namespace) -> int:
    """Run the fault benchmark on an architecture (brought up and down here unless it is already up)."""
    from workshop.endurance import faults
    from workshop.report import faults_section

    module, info = archs.load(args.arch), procs.load_arch(args.arch)
    out = Path(args.out) if args.out else procs.PROJECT_ROOT / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-faults"
    quick = args.quick or settings.quick()
    url = info["url"] if info else module.up(backend=args.backend)
    try:
        record = faults.run(module, url, out / args.arch, quick, localaws=args.localaws)
    finally:
        if not info:
            module.down()
    print(faults_section.text({args.arch: record}))
    print(out / args.arch / "faults.json")
    return 1 if record["uploads"]["lost"] else 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add the `faults` subcommand to the `workshop` parser."""
    cmd = sub.add_parser("faults", help="kill -9 one component at a time under load; errors, recovery, losses")
    cmd.add_argument("arch", choices=archs.ARCHITECTURES)
    cmd.add_argument("--quick", action="store_true", help="a few seconds of load per fault (also WORKSHOP_QUICK=1)")
    cmd.add_argument("--out", help="results folder (default results/<time>-faults); ARCH/faults.json goes in it")
    cmd.add_argument("--backend", choices=["process", "docker"], default=None,
                     help="microservices only, when this command brings it up (default: docker if reachable)")
    cmd.add_argument("--localaws", action="store_true",
                     help="also kill the local AWS itself (microservices, serverless): measures what it loses")
    cmd.set_defaults(func=cmd_faults)
