"""The power-tuning part of the report: each sweep left in RESULTS/tune, its chart and its table."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from workshop.report.tables import image, table

TUNING = ("Each memory size's first invocation after the change is a cold start (INIT + duration), the others are "
          "warm (median); cost per invocation on x86 at the prices of the Cost section. Memory buys CPU (1,769 MB = 1 "
          "vCPU), so a CPU-bound function gets faster, often at no extra cost, while an I/O-bound one such as the "
          "list function stops gaining once its own code has enough CPU: it waits on DynamoDB. The durations follow "
          "memory only where the platform scales CPU, as the run's Lambda records say (below, when the run has "
          "them). The bench runs this sweep for the list function (`workshop bench --no-tune` skips it); "
          "`workshop tune FUNCTION --out RESULTS/tune` adds others.")


def tune_rows(summary: list[dict]) -> list[dict]:
    """A power-tuning summary per memory size, costs in dollars per million invocations (µ$ per invocation)."""
    per_million = lambda usd: None if usd is None else usd * 1e6  # noqa: E731
    return [{"memory_mb": r["memory_mb"], "cold_ms": r["cold_ms"], "init_ms": r["init_ms"], "warm_ms": r["warm_ms"],
             "cold_usd_per_1M": per_million(r["cold_usd"]), "warm_usd_per_1M": per_million(r["warm_usd"]),
             "errors": ", ".join(r.get("errors") or []) or None} for r in summary]


def html(out: Path, cpu: list[str] | None = None) -> str:
    """Each sweep in RESULTS/tune (the bench's, or `workshop tune ... --out RESULTS/tune`): its chart and table."""
    pngs = sorted((out / "tune").glob("tune-*.png")) if (out / "tune").is_dir() else []
    if not pngs:
        return ""
    parts = ["<h3>Power tuning: duration and cost per invocation against memory</h3>", f"<p>{escape(TUNING)}</p>",
             *(f"<p>{escape(line)}</p>" for line in cpu or [])]
    for png in pngs:
        parts.append(image(out, {"file": f"tune/{png.name}", "title": f"{png.stem[5:]}: duration and cost per "
                                 "invocation"}))
        if png.with_suffix(".json").exists():
            parts.append(table(tune_rows(json.loads(png.with_suffix(".json").read_text())["summary"])))
    return "".join(parts)

