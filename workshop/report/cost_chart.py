"""The cost curves chart: monthly cost against requests per month, crossovers marked."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"x86, INIT billed": "-", "x86, INIT not billed": "--",  # arm64 and free tier: in curves.csv
         "x86, INIT billed, measured cold-start share": ":"}  # the run's own share, beside the parameter


def cost_chart(out: Path, dest: Path) -> Path | None:
    """Monthly cost per architecture (log-log); serverless with and without INIT billing; crossovers as dots."""
    path = out / "cost" / "curves.csv"
    if not path.exists():
        return None
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8, 4.5))
    colors: dict[str, Any] = {}  # matplotlib colours: a name or an RGB(A) tuple
    for variant, style in STYLE.items():
        for arch in dict.fromkeys(r["arch"] for r in rows):
            if variant != "x86, INIT billed" and arch != "serverless":
                continue  # INIT billing changes only the serverless line
            pts = [(float(r["requests_per_month"]), float(r["usd"])) for r in rows
                   if r["variant"] == variant and r["arch"] == arch]
            if not pts:  # a results folder written before this variant existed
                continue
            line, = ax.plot(*zip(*pts, strict=True), linestyle=style, color=colors.get(arch),
                            label=f"{arch} ({variant})" if arch == "serverless" else arch,
                            linewidth=1.6 if style == "-" else 1.0)
            colors.setdefault(arch, line.get_color())
    inputs = out / "cost" / "inputs.json"
    for cross in json.loads(inputs.read_text()).get("crossovers", []) if inputs.exists() else []:
        ax.scatter([cross["requests_per_month"]], [cross["usd"]], color="black", s=18, zorder=5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("requests per month")
    ax.set_ylabel("USD per month (us-east-1 list prices)")
    ax.set_title("Monthly cost from capacity and durations measured in this run")
    ax.legend(fontsize=7)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(dest, dpi=90)
    plt.close(fig)
    return dest
