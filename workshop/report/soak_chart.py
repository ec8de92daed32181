"""The soak's chart: the RSS of each service or function (its instances summed) and the held load's p99,
one column per architecture."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from workshop.archs import ARCHITECTURES  # noqa: E402
from workshop.endurance.soak import read_samples  # noqa: E402


def soak_chart(out: Path, dest: Path) -> Path | None:
    """RSS per component (top) and p99 per sample window (bottom) for every architecture that soaked."""
    runs = [(arch, *read_samples(out / arch / "soak")) for arch in ARCHITECTURES if (out / arch / "soak").is_dir()]
    runs = [r for r in runs if r[1]]
    if not runs:
        return None
    fig, axes = plt.subplots(2, len(runs), figsize=(max(6.5, 3.6 * len(runs) + 1), 5.4), squeeze=False, sharex="col")
    for col, (arch, components, windows) in enumerate(runs):
        totals: dict[str, dict[float, float]] = defaultdict(lambda: defaultdict(float))
        for row in components:  # one line per service or function: its instances and environments summed
            totals[_group(row["component"])][float(row["t"])] += float(row["rss_mib"])
        lines = {name: sorted(points.items()) for name, points in totals.items()}
        top, bottom = axes[0][col], axes[1][col]
        for name, points in sorted(lines.items()):
            if len(points) > 1:  # a component seen once (a short-lived environment) has no trend
                top.plot([t for t, _ in points], [m for _, m in points], label=name[:18])
        highest = max((m for points in lines.values() for _, m in points), default=1.0)
        top.set_ylim(0, highest * 1.2)  # from zero: a change of 1 MiB in 120 looks like what it is
        top.set_title(arch)
        top.legend(fontsize=6, loc="upper left")
        bottom.plot([float(w["t"]) for w in windows], [float(w["p99_ms"]) for w in windows], color="tab:red")
        bottom.set_xlabel("seconds into the hold")
    axes[0][0].set_ylabel("RSS (MiB)")
    axes[1][0].set_ylabel("p99 (ms)")
    fig.suptitle("Soak: RSS per component and p99, half the capacity held")
    fig.tight_layout()
    fig.savefig(dest, dpi=90)  # a window too small for a percentile is nan: matplotlib leaves a gap
    plt.close(fig)
    return dest


def _group(component: str) -> str:
    """`get_video-4543` (an environment) and `catalog-1` (an instance) belong to `get_video` and `catalog`."""
    name, _, suffix = component.rpartition("-")
    return name if name and suffix.isdigit() else component
