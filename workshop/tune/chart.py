"""The sweep's chart: duration and cost per invocation against memory, cold and warm (matplotlib PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)


def draw(summary: list[dict[str, Any]], title: str, path: Path) -> Path:
    """Two panels sharing the memory axis: milliseconds and micro-dollars per invocation (both log)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for kind, style in (("warm", "o-"), ("cold", "s--")):
        points = [(r["memory_mb"], r[f"{kind}_ms"], r[f"{kind}_usd"]) for r in summary if r[f"{kind}_ms"]]
        if not points:
            continue
        memory, ms, usd = zip(*points, strict=True)
        left.plot(memory, ms, style, label="cold (INIT + duration)" if kind == "cold" else "warm (median)")
        right.plot(memory, [u * 1e6 for u in usd], style, label=kind)
    for ax, label in ((left, "duration per invocation (ms)"), (right, "cost per invocation (µ$, x86)")):
        ax.set_xscale("log", base=2)
        ax.set_xticks([r["memory_mb"] for r in summary], [str(r["memory_mb"]) for r in summary])
        ax.set_xlabel("memory (MB); 1769 MB = 1 vCPU")
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
        ax.legend()
    left.set_yscale("log")
    right.set_yscale("log")  # a cold start costs orders of magnitude more than a warm call
    fig.suptitle(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
