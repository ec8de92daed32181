"""The rollback scenario where the orchestrator rolls back by itself (the microservices on Docker Swarm).

The harness only starts the bad release and watches. Swarm can only see what the health check sees, so the
release breaks the same operation as the manual scenario's fault and fails its health check too
(`unhealthy:OPERATION`, videocatalog/faults.py); Swarm's task health check fails, the update fails, and
`failure_action: rollback` brings the old release back. Detection is when the service's UpdateStatus left
`updating` for a rollback, recovery the first of 10 good monitor samples from then on; the load and the
monitor are the manual scenario's (rollback.py), so the two rows compare.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from workshop.measure import loadrun, sampler
from workshop.scenarios.monitor import Monitor, percentile
from workshop.scenarios.rollback import RollbackParams, _recovered_at, _summarize, _wait


def applies(module: Any, fault: str) -> bool:
    """Whether the orchestrator rolls this fault back by itself: an error on an orchestrated architecture.

    A latency fault passes the health check, so even on Swarm it takes the harness's monitor (rollback.py).
    """
    return bool(getattr(module, "orchestrated", lambda: False)()) and not fault.startswith("latency")


def health_visible(fault: str) -> str:
    """The fault as a release whose health check fails too: `error:get_video` -> `unhealthy:get_video`."""
    kind, _, rest = fault.partition(":")
    return fault if kind == "unhealthy" else f"unhealthy:{rest.split(':', 1)[0]}"


def run(module: Any, base_url: str, video_id: str, folder: Path, params: RollbackParams) -> dict:
    """Release a bad version and let the orchestrator detect and roll it back; writes what rollback.run writes."""
    folder.mkdir(parents=True, exist_ok=True)
    component, fault = module.ROLLBACK_COMPONENT, health_visible(params.fault)
    budget = params.baseline_s + 2 * params.recover_timeout_s + params.tail_s + 300
    load = loadrun.LocustProcess(base_url, folder, loadrun.LoadParams(
        **{**asdict(params.load), "duration_s": int(budget)}))  # stopped when done
    ev: dict[str, Any] = {"start": time.time()}
    sut = loadrun.safe_pids(module, module.NAME)
    groups = lambda: {"sut": sut(), "locust": load.pids()}  # noqa: E731
    try:
        with Monitor(f"{base_url}/videos/{video_id}", params.poll_s) as mon, sampler.Sampler(groups) as res:
            time.sleep(params.baseline_s)
            base = [ms for _, status, ms in mon.samples if status == 200]
            threshold = max(params.latency_threshold_ms, 3 * percentile(base, 99))
            ev["deploy"] = time.time()
            update = module.self_rollback(component, "v2-bad", {"WORKSHOP_FAULT": fault})
            ev.update(deployed=update["deployed"], detected=update["detected"], rollback=update["detected"],
                      rolled_back=update["rolled_back"])
            since = ev["detected"] or ev["deployed"]
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
    out = _summarize(folder, mon, ev, threshold, component, RollbackParams(**{**asdict(params), "fault": fault,
                                                                              "load": params.load}))
    out.update(rolled_back_by="orchestrator", update_state=update.get("state"), update_message=update.get("message"))
    (folder / "rollback.json").write_text(json.dumps(out, indent=2, default=str))  # with the orchestrator's part
    return out
