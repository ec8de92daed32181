"""A bad release under steady load, detected from a monitor's error rate or p95, then rolled back.

The architecture module decides what a release of its ROLLBACK_COMPONENT means (the monolith replaces the
whole unit, SOA one tier, microservices one service, serverless a 10% weighted alias); this code only calls
`module.deploy(component, release, env)` and watches. Times are epoch seconds so they line up with Locust's
history; the summary gives them relative to the scenario start.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workshop.archs import Architecture
from workshop.measure import loadrun, sampler
from workshop.scenarios import history
from workshop.scenarios.monitor import Monitor, percentile


@dataclass
class RollbackParams:
    """Knobs of the scenario (all recorded)."""

    fault: str = "error:get_video"  # or latency:get_video:400 (videocatalog/web/faults.py)
    baseline_s: float = 4.0
    detect_timeout_s: float = 10.0
    recover_timeout_s: float = 15.0
    tail_s: float = 2.0
    poll_s: float = 0.2
    window: int = 20  # samples the detector looks at
    error_threshold: float = 0.05
    latency_threshold_ms: float = 250.0  # floor; the real threshold is max(floor, 3 x baseline p99)
    load: loadrun.LoadParams = field(default_factory=lambda: loadrun.LoadParams(users=6, think_time="0.2,0.6"))


def bad(samples: list[tuple[float, int, float]], threshold_ms: float, params: RollbackParams) -> bool:
    """True when the last `window` samples break the error-rate or p95 threshold (at least 5 samples)."""
    recent = samples[-params.window:]
    if len(recent) < 5:
        return False
    errors = sum(1 for _, status, _ in recent if status != 200) / len(recent)
    return errors >= params.error_threshold or percentile([ms for *_, ms in recent], 95) > threshold_ms


def _wait(predicate, timeout_s: float, poll_s: float) -> float | None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if predicate():
            return time.time()
        time.sleep(poll_s / 2)
    return None


def _recovered_at(samples: list[tuple[float, int, float]], threshold_ms: float, streak: int = 10) -> float | None:
    """The time of the first sample of the first run of `streak` good samples."""
    run: list[float] = []
    for t, status, ms in samples:
        run = run + [t] if status == 200 and ms <= threshold_ms else []
        if len(run) >= streak:
            return run[0]
    return None


Release = Callable[[Monitor, float, dict], float]
"""Deploys the bad release and gets rid of it; records its events; returns when recovery may start to count."""


def observe(module: Architecture, base_url: str, video_id: str, folder: Path, params: RollbackParams,
            release: Release, budget_s: float) -> tuple[Monitor, dict, float]:
    """Steady load, monitor and sampler around `release`; the monitor, the events and the latency threshold.

    Both scenarios (the harness's own rollback here, the orchestrator's in orchestrated.py) run this, so
    their rows compare: same load, same monitor, same rule for "recovered".
    """
    folder.mkdir(parents=True, exist_ok=True)
    load_params = loadrun.LoadParams(**{**asdict(params.load), "duration_s": int(budget_s)})  # stopped when done
    load = loadrun.LocustProcess(base_url, folder, load_params)
    ev: dict[str, Any] = {"start": time.time()}
    sut = loadrun.safe_pids(module, module.NAME)
    groups = lambda: {"sut": sut(), "locust": load.pids()}  # noqa: E731
    try:
        with Monitor(f"{base_url}/videos/{video_id}", params.poll_s) as mon, sampler.Sampler(groups) as res:
            time.sleep(params.baseline_s)
            base = [ms for _, status, ms in mon.samples if status == 200]
            threshold = max(params.latency_threshold_ms, 3 * percentile(base, 99))
            ev["deploy"] = time.time()
            since = release(mon, threshold, ev)
            ev["recovered"] = _wait(lambda: _recovered_at(mon.since(since), threshold) is not None,
                                    params.recover_timeout_s, params.poll_s)
            if ev["recovered"]:
                ev["recovered"] = _recovered_at(mon.since(since), threshold)
            time.sleep(params.tail_s)
            ev["end"] = time.time()
    finally:
        load.stop()
    mon.write(folder / "monitor.csv")
    res.write(folder / "resources.csv")
    return mon, ev, threshold


def run(module: Architecture, base_url: str, video_id: str, folder: Path, params: RollbackParams) -> dict:
    """Deploy a bad release, detect it, roll it back; writes monitor.csv, Locust CSVs and rollback.json."""
    component = module.ROLLBACK_COMPONENT

    def release(mon: Monitor, threshold: float, ev: dict) -> float:
        module.deploy(component, "v2-bad", {"WORKSHOP_FAULT": params.fault})
        ev["deployed"] = deployed = time.time()
        ev["detected"] = _wait(lambda: bad(mon.since(deployed), threshold, params),
                               params.detect_timeout_s, params.poll_s)
        ev["rollback"] = time.time()
        module.deploy(component, "v1", {})
        ev["rolled_back"] = time.time()
        return ev["rolled_back"]

    budget = params.baseline_s + params.detect_timeout_s + params.recover_timeout_s + params.tail_s + 120
    mon, ev, threshold = observe(module, base_url, video_id, folder, params, release, budget)
    return _summarize(folder, mon, ev, threshold, component, params)


def _summarize(folder: Path, mon: Monitor, ev: dict, threshold: float, component, params: RollbackParams) -> dict:
    def rel(key: str) -> float | None:
        return None if ev.get(key) is None else round(ev[key] - ev["start"], 3)

    window_end = ev["recovered"] or ev["end"]
    bad_samples = [s for s in mon.samples if ev["deploy"] <= s[0] <= window_end and s[1] != 200]
    out = {"component": component or "whole unit", "fault": params.fault, "threshold_ms": round(threshold, 1),
           "detection_rule": f"last {params.window} monitor samples: error rate >= {params.error_threshold:.0%} "
                             f"or p95 > {threshold:.0f} ms",
           "events_epoch": ev, "events": {k: rel(k) for k in ev},
           "time_to_detect_s": None if ev["detected"] is None else round(ev["detected"] - ev["deployed"], 3),
           "time_to_recover_s": None if ev["recovered"] is None else round(ev["recovered"] - ev["rollback"], 3),
           "bad_window_s": round(window_end - ev["deploy"], 3),
           "monitor": {"samples": len(mon.samples), "failed_in_window": len(bad_samples)},
           "blast_radius": history.blast_radius(folder, ev["deploy"], window_end),
           "locust": loadrun.summary(folder)["total"], "params": asdict(params)}
    (folder / "rollback.json").write_text(json.dumps(out, indent=2, default=str))
    return out
