"""One sweep on the running serverless architecture, written to a folder: what `workshop tune` and the bench run."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TuneParams:
    """Which function the bench sweeps, at which memory sizes, how many invocations at each (the first cold)."""

    function: str = "list_videos"  # I/O-bound: memory buys it little once it has enough CPU to wait
    memories: tuple[int, ...] = (128, 256, 512, 1024, 1769, 3008)
    n: int = 5

    @classmethod
    def quick(cls) -> TuneParams:
        """Three sizes (a fourteenth of, a quarter of, and one vCPU), five invocations each (one cold, four warm)."""
        return cls(memories=(128, 512, 1769), n=5)


def _function(lam: Any, name: str) -> str:
    """The deployed function called `name`, or whose name ends in `-name` (the template's prefix)."""
    names = [f["FunctionName"] for page in lam.get_paginator("list_functions").paginate() for f in page["Functions"]]
    if name in names:
        return name
    found = [n for n in names if n.endswith(f"-{name}")]
    if len(found) != 1:
        raise SystemExit(f"no single function matches {name!r}; deployed: {', '.join(sorted(names))}")
    return found[0]


def run(function: str, memories: list[int], n: int, out: Path, payload: str | None = None, rendition: str = "hq",
        clip_seconds: float = 10.0, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Sweep `function` over `memories`; write tune-SHORT.csv/.json/.png under out; return the summary."""
    import boto3

    from workshop.archs.serverless import arch as serverless
    from workshop.cost.model import load_prices
    from workshop.tune import chart, fixtures, sweep

    started = time.monotonic()
    info = serverless.info()
    lam = boto3.client("lambda", endpoint_url=info["endpoint"], region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing", config=sweep.CLIENT)
    name = _function(lam, function)
    short = name.rsplit("-", 1)[-1] if name != function else function
    env = (lam.get_function_configuration(FunctionName=name).get("Environment") or {}).get("Variables") or {}
    make_payload = fixtures.payload_for(short, payload, info, env, rendition, clip_seconds)
    rows = sweep.sweep(lam, name, memories, n, make_payload, load_prices(), log)
    summary = sweep.summarize(rows)
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"tune-{short}.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (out / f"tune-{short}.json").write_text(json.dumps({"function": name, "n": n, "summary": summary}, indent=2))
    png = chart.draw(summary, f"{short}: power tuning on the local platform ({n} invocations each)",
                     out / f"tune-{short}.png")
    return {"function": name, "memories": memories, "n": n, "summary": summary, "chart": str(png),
            "seconds": round(time.monotonic() - started, 1)}
