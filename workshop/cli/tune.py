"""`workshop tune FUNCTION --memory 128,256,512,1024,1769,3008 [-n 5]` on the running serverless architecture."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def _function(lam, name: str) -> str:
    """The deployed function called `name`, or whose name ends in `-name` (the template's prefix)."""
    names = [f["FunctionName"] for page in lam.get_paginator("list_functions").paginate() for f in page["Functions"]]
    if name in names:
        return name
    found = [n for n in names if n.endswith(f"-{name}")]
    if len(found) != 1:
        raise SystemExit(f"no single function matches {name!r}; deployed: {', '.join(sorted(names))}")
    return found[0]


def cmd_tune(args: argparse.Namespace) -> int:
    """Sweep one function over memory sizes; write rows, summary, chart; print the summary."""
    import boto3

    from workshop.archs.serverless import arch as serverless
    from workshop.cost.model import load_prices
    from workshop.tune import chart, fixtures, sweep

    info = serverless.info()
    lam = boto3.client("lambda", endpoint_url=info["endpoint"], region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing", config=sweep.CLIENT)
    name = _function(lam, args.function)
    short = name.rsplit("-", 1)[-1] if name != args.function else args.function
    env = (lam.get_function_configuration(FunctionName=name).get("Environment") or {}).get("Variables") or {}
    payload = fixtures.payload_for(short, args.payload, info, env, args.rendition, args.clip_seconds)
    memories = [int(m) for m in args.memory.split(",")]
    rows = sweep.sweep(lam, name, memories, args.n, payload, load_prices())
    summary = sweep.summarize(rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"tune-{short}.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (out / f"tune-{short}.json").write_text(json.dumps({"function": name, "summary": summary}, indent=2))
    png = chart.draw(summary, f"{short}: power tuning on the local platform ({args.n} invocations each)",
                     out / f"tune-{short}.png")
    for r in summary:
        print(json.dumps(r))
    print(png)
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
