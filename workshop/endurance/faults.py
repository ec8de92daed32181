"""The fault benchmark: under a steady load with uploads in flight, kill -9 one component at a time and
measure the errors clients saw, the time to recover, and the acknowledged uploads lost."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import requests

from workshop import settings
from workshop.endurance import accounting
from workshop.endurance.load import SteadyLoad
from workshop.endurance.notes import LOCALAWS_CRASH
from workshop.endurance.plan import Plan, plan_for, targets_for
from workshop.endurance.targets import Target


def one_fault(load: SteadyLoad, target: Target, plan: Plan) -> dict[str, Any]:
    """Kill the target's victim, let it recover (restarting it where the harness is the operator), measure."""
    window_start = time.monotonic()
    victim = target.find()
    row: dict[str, Any] = {"component": target.component, "victim": victim.name, "killed_pid": victim.pid,
                           "mid_job": victim.busy, "recovered_by": target.recovered_by,
                           "window_start": window_start, "operator_restart": target.restart is not None}
    if victim.pid <= 1:
        return {**row, "skipped": f"nothing to kill: {victim.name}", "recover_s": None, "client_errors": {}}
    kill_t = time.monotonic()
    target.kill(victim)
    load.kick()
    if target.restart is not None and target.down is not None:
        while not target.down(victim) and time.monotonic() - kill_t < 15:
            time.sleep(0.05)
        row["detected_s"] = round(time.monotonic() - kill_t, 3)
        target.restart()
        row["restarted_s"] = round(time.monotonic() - kill_t, 3)
    recovered = back_at = None
    while True:  # until recovered and quiet for hold_s (an error meanwhile moves the recovery), or the timeout
        now = time.monotonic()
        if back_at is None and target.back(victim):
            back_at = now
        recovered = accounting.recovered_at(load.snapshot(), kill_t, plan.streak)
        quiet = recovered is not None and now - max(recovered, kill_t) >= plan.hold_s
        if (quiet and back_at is not None) or now - kill_t > plan.recover_timeout_s:
            break
        time.sleep(0.2)
    samples, end = load.snapshot(), time.monotonic()
    recovered = accounting.recovered_at(samples, kill_t, plan.streak)
    last_error = accounting.last_error_at(samples, kill_t, end)
    errors = accounting.client_errors(samples, kill_t, end)
    return {**row, "killed_at_s": round(kill_t - load.started, 3), "window_end": end,
            "recover_s": None if recovered is None else round(max(0.0, recovered - kill_t), 3),
            "component_back_s": None if back_at is None else round(back_at - kill_t, 3),
            "errors_until_s": None if last_error is None else round(last_error - kill_t, 3),
            "client_errors": errors, "client_error_total": sum(errors.values()),
            "errors_before_kill": accounting.client_errors(samples, window_start, kill_t), "note": target.note}


def seed_catalog(url: str, count: int, attempts: int = 5) -> list[str]:
    """The videos the load reads; a create that fails (a cold start cut off on a busy machine) is tried again."""
    from workshop.measure.seed import create_videos

    for attempt in range(1, attempts + 1):
        try:
            return create_videos(url, count, seed=7 + attempt)
        except RuntimeError:
            if attempt == attempts:
                raise
            time.sleep(2 * attempt)
    return []


def warm_up(load: SteadyLoad, plan: Plan) -> float | None:
    """Hold the load until every operation has its streak of successes (cold starts done, caches warm), at
    least `warmup_s`; seconds it took (None: not steady within the recovery timeout, the faults run anyway)."""
    time.sleep(plan.warmup_s)
    deadline = load.started + plan.warmup_s + plan.recover_timeout_s
    while time.monotonic() < deadline:
        if accounting.steady(load.snapshot(), plan.streak):
            return round(time.monotonic() - load.started, 3)
        time.sleep(0.2)
    return None


def final_states(base: str, ids: list[str], timeout_s: float) -> dict[str, dict | None]:
    """Poll every video until it is ready or failed, or the timeout ends; its last state (None: 404).

    A video the API never answered for stays `{"status": "unanswered"}`: counted as stuck, not missing.
    """
    final: dict[str, dict | None] = dict.fromkeys(ids, {"status": "unanswered"})
    pending, deadline = list(ids), time.monotonic() + timeout_s
    with requests.Session() as http:
        while pending and time.monotonic() < deadline:
            for video_id in list(pending):
                try:
                    resp = http.get(f"{base}/videos/{video_id}", timeout=10)
                except requests.RequestException:
                    continue
                if resp.status_code == 404:
                    final[video_id] = None
                elif resp.status_code == 200:
                    final[video_id] = resp.json()
                else:
                    continue  # a 5xx: ask again
                if final[video_id] is None or (final[video_id] or {}).get("status") in ("ready", "failed"):
                    pending.remove(video_id)
            time.sleep(0.5)
    return final


def attribute_uploads(faults: list[dict], acked: dict[str, float], final: dict[str, dict | None],
                      t0: float) -> None:
    """Give each fault the uploads acknowledged in its window (the first also gets those before it)."""
    starts = [t0] + [f["window_start"] for f in faults[1:]] + [float("inf")]
    for i, fault in enumerate(faults):
        window = accounting.window_of(acked, starts[i], starts[i + 1])
        fault["uploads"] = accounting.settle_uploads(window, final)


def run(module: Any, url: str, folder: str | Path, quick: bool | None = None, localaws: bool = False) -> dict[str, Any]:
    """Run every fault of the architecture that is up at `url`; writes faults.json and faults_load.csv.

    `localaws` adds a last fault, the local AWS itself (microservices and serverless; off by default).
    """
    from videocatalog.testmedia import make_clip
    quick, began = settings.quick() if quick is None else quick, time.monotonic()
    out, plan = Path(folder), plan_for(quick, module.NAME)
    out.mkdir(parents=True, exist_ok=True)
    width, height, seconds = plan.clip
    clip = make_clip(out / "fault-clip.mp4", width, height, seconds)
    load = SteadyLoad(url, seed_catalog(url, plan.seed_videos), clip, plan.rate, plan.threads,
                      plan.uploaders, plan.pipeline_wait_s)
    load.start()
    faults: list[dict] = []
    try:
        warm_s = warm_up(load, plan)
        for target in targets_for(module, quick, localaws):
            faults.append(one_fault(load, target, plan))
    finally:
        load.stop()
    final = final_states(url, list(load.acked), plan.settle_timeout_s)
    attribute_uploads(faults, load.acked, final, load.started)
    totals = accounting.settle_uploads(load.acked, final)
    record = {"architecture": module.NAME, "quick": quick, "plan": asdict(plan), "warm_s": warm_s, "faults": faults,
              "uploads": totals, "requests": len(load.samples), "localaws_crash": LOCALAWS_CRASH,
              "load_csv": "faults_load.csv", "total_s": round(time.monotonic() - began, 1)}
    for fault in faults:  # monotonic times mean nothing outside this run
        fault.pop("window_start", None), fault.pop("window_end", None)
    accounting.write_csv(accounting.per_second_rows(load.samples, load.started), out / "faults_load.csv")
    (out / "faults.json").write_text(json.dumps(record, indent=2))
    clip.unlink(missing_ok=True)
    return record
