"""`workshop tune FUNCTION --memory 128,256,512,1024,1769,3008 [-n 5]` on the running serverless architecture."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_tune(args: argparse.Namespace) -> int:
    """Sweep one function over memory sizes; write rows, summary, chart; print the summary."""
    from workshop.tune.run import run

    done = run(args.function, [int(m) for m in args.memory.split(",")], args.n, Path(args.out), args.payload,
               args.rendition, args.clip_seconds)
    for r in done["summary"]:
        print(json.dumps(r))
    print(done["chart"])
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add `tune`."""
    tune = sub.add_parser("tune", help="power-tuning sweep: duration and cost per invocation against memory")
    tune.add_argument("function", help="function name, or the template's short name (render, list_videos)")
    tune.add_argument("--memory", default="128,256,512,1024,1769,3008", help="comma-separated MB")
    tune.add_argument("-n", type=int, default=5, help="invocations per memory size (the first is cold)")
    tune.add_argument("--payload", help="JSON, or @file; default: the function's built-in fixture")
    tune.add_argument("--rendition", default="hq", help="render: which rendition to make each time")
    tune.add_argument("--clip-seconds", type=float, default=10.0, help="render: length of the 720p clip")
    tune.add_argument("--out", default="var/tune", help="folder for tune-FUNCTION.csv/.json/.png")
    tune.set_defaults(func=cmd_tune)
