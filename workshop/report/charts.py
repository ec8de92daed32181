"""Charts of a bench folder, drawn from its raw files (matplotlib, Agg: no display needed)."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from workshop.measure import loadrun  # noqa: E402
from workshop.report.timeline_chart import rollback_chart  # noqa: E402
from workshop.scenarios import history  # noqa: E402

ORDER = ("monolith", "soa", "microservices", "serverless")


def arch_dirs(out: Path) -> list[Path]:
    """The architecture folders of a bench folder, in the usual order."""
    return [out / a for a in ORDER if (out / a / "load").is_dir()]


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open() as fh:
        return list(csv.DictReader(fh))


def or_nan(value: float | None) -> float:
    """A measured value, or NaN for a missing one: matplotlib draws a gap, never a 0 that was not measured."""
    return math.nan if value is None else value


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def latency(out: Path, dest: Path) -> Path | None:
    """p50/p95/p99 of the load run per architecture (grouped bars)."""
    rows = [(d.name, loadrun.summary(d / "load")["total"]) for d in arch_dirs(out)]
    rows = [(a, t) for a, t in rows if t]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for i, key in enumerate(("p50_ms", "p95_ms", "p99_ms")):
        ax.bar([j + i * 0.27 for j in range(len(rows))], [or_nan(t[key]) for _, t in rows], 0.27, label=key[:3])
    ax.set_xticks([j + 0.27 for j in range(len(rows))], [a for a, _ in rows])
    ax.set_ylabel("response time (ms)")
    ax.set_title("Latency percentiles under the same load")
    ax.legend()
    return _save(fig, dest)


def throughput(out: Path, dest: Path) -> Path | None:
    """Requests/s over the load run per architecture, with the user count."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    drawn = False
    for d in arch_dirs(out):
        series = history.aggregate_series(d / "load")
        if series:
            t0 = series[0]["t"]
            ax.plot([s["t"] - t0 for s in series], [s["rps"] for s in series], label=d.name)
            drawn = True
    if not drawn:
        plt.close(fig)
        return None
    ax.set_xlabel("seconds into the run")
    ax.set_ylabel("requests/s")
    ax.set_title("Throughput during the load run")
    ax.legend()
    return _save(fig, dest)


def resources(out: Path, dest: Path) -> Path | None:
    """CPU of the whole machine, the system under test and Locust during the load run (100% = one core)."""
    dirs = [d for d in arch_dirs(out) if _read(d / "load" / "resources.csv")]
    if not dirs:
        return None
    fig, axes = plt.subplots(1, len(dirs), figsize=(3.2 * len(dirs) + 1, 3.2), squeeze=False, sharey=True)
    for ax, d in zip(axes[0], dirs, strict=True):
        rows = _read(d / "load" / "resources.csv")
        t0 = float(rows[0]["t"])
        for group in ("machine", "sut", "locust"):
            totals: dict[float, float] = {}
            for r in rows:
                if r["group"] == group:
                    totals[float(r["t"]) - t0] = totals.get(float(r["t"]) - t0, 0) + float(r["cpu_percent"])
            ax.plot(list(totals), list(totals.values()), label=group)
        ax.axhline(90, color="grey", linestyle=":", linewidth=1)
        ax.set_title(d.name)
        ax.set_xlabel("s")
    axes[0][0].set_ylabel("CPU % (100 = one core)")
    axes[0][0].legend()
    return _save(fig, dest)


def coldstart(out: Path, dest: Path) -> Path | None:
    """Seconds from starting a new unit of capacity to its first successful response."""
    data = {d.name: [float(r["seconds"]) for r in _read(d / "coldstart" / "coldstart.csv")] for d in arch_dirs(out)}
    data = {k: v for k, v in data.items() if v}
    if not data:
        return None
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.boxplot(list(data.values()), tick_labels=list(data))
    for i, values in enumerate(data.values(), start=1):
        ax.scatter([i] * len(values), values, s=12, color="black", zorder=3)
    ax.set_ylabel("seconds to first 200")
    ax.set_title("New unit of capacity: start to first successful response")
    return _save(fig, dest)


def lambda_study(out: Path, dest: Path) -> Path | None:
    """Cold vs warm Lambda latency per study scenario (from the serverless module's study)."""
    rows = _read(out / "serverless" / "coldstart" / "lambda_study.csv")
    if not rows:
        return None
    groups: dict[str, list[float]] = {}
    for r in rows:
        groups.setdefault(f"{r['scenario']}\n{r['kind']}", []).append(float(r["latency_ms"]))
    fig, ax = plt.subplots(figsize=(max(7, 1.1 * len(groups)), 3.8))
    ax.boxplot(list(groups.values()), tick_labels=list(groups))
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms, log)")
    ax.set_title("Lambda: cold vs warm invocations")
    ax.tick_params(axis="x", labelsize=7)
    return _save(fig, dest)


def saturation(out: Path, dest: Path) -> Path | None:
    """Highest rate on the monolith's GET /videos: Locust vs wrk in the same run."""
    result = out / "monolith" / "result.json"
    sat = json.loads(result.read_text()).get("saturation") if result.exists() else None
    if not sat:
        return None
    bars = {"Locust": sat["locust"]["rps"], **({"wrk": sat["wrk"]["rps"]} if sat.get("wrk") else {})}
    fig, ax = plt.subplots(figsize=(4.5, 3.2))
    ax.bar(list(bars), list(bars.values()), color=["tab:blue", "tab:orange"][: len(bars)])
    ax.set_ylabel("requests/s")
    ax.set_title("Monolith GET /videos at saturation")
    return _save(fig, dest)


def make_all(out: Path) -> list[dict]:
    """Draw every chart the folder has data for; writes charts/index.json and returns it."""
    from workshop.report.cost_chart import cost_chart

    folder = out / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name, title, draw in (("latency", "Latency percentiles", latency), ("throughput", "Throughput", throughput),
                              ("resources", "CPU: system under test vs Locust", resources),
                              ("saturation", "Locust vs wrk", saturation), ("coldstart", "Cold start", coldstart),
                              ("lambda_study", "Lambda cold vs warm", lambda_study), ("cost", "Cost", cost_chart)):
        try:
            drawn = draw(out, folder / f"{name}.png")
        except Exception as exc:  # one odd data file must not cost the whole report
            print(f"chart {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            plt.close("all")
            continue
        if drawn:
            made.append({"file": f"charts/{name}.png", "title": title, "kind": name})
    for d in arch_dirs(out):
        for rb in sorted(d.glob("rollback-*")):
            png = folder / f"{d.name}-{rb.name}.png"
            if rollback_chart(rb, png, d.name):
                made.append({"file": f"charts/{png.name}", "title": f"Rollback: {d.name} ({rb.name})",
                             "kind": "rollback", "arch": d.name})
    (folder / "index.json").write_text(json.dumps(made, indent=2))
    return made
