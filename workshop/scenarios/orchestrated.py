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
from dataclasses import asdict
from pathlib import Path
from typing import Any

from workshop.archs import Architecture
from workshop.scenarios.monitor import Monitor
from workshop.scenarios.rollback import RollbackParams, _summarize, observe


def applies(module: Architecture, fault: str) -> bool:
    """Whether the orchestrator rolls this fault back by itself: an error on an orchestrated architecture.

    A latency fault passes the health check, so even on Swarm it takes the harness's monitor (rollback.py).
    """
    return module.orchestrated() and not fault.startswith("latency")


def health_visible(fault: str) -> str:
    """The fault as a release whose health check fails too: `error:get_video` -> `unhealthy:get_video`."""
    kind, _, rest = fault.partition(":")
    return fault if kind == "unhealthy" else f"unhealthy:{rest.split(':', 1)[0]}"


def run(module: Architecture, base_url: str, video_id: str, folder: Path, params: RollbackParams) -> dict:
    """Release a bad version and let the orchestrator detect and roll it back; writes what rollback.run writes."""
    component, fault = module.ROLLBACK_COMPONENT, health_visible(params.fault)
    if component is None:
        raise ValueError(f"{module.NAME} is released as a whole unit: no orchestrator rolls one component back")
    update: dict[str, Any] = {}

    def release(mon: Monitor, threshold: float, ev: dict) -> float:
        watched = module.self_rollback(component, "v2-bad", {"WORKSHOP_FAULT": fault})
        if watched is None:  # applies() saw an orchestrator; none runs it now
            raise RuntimeError(f"{module.NAME}: no orchestrator runs it now, so none can roll the release back")
        update.update(watched)
        ev.update(deployed=update["deployed"], detected=update["detected"], rollback=update["detected"],
                  rolled_back=update["rolled_back"])
        return ev["detected"] or ev["deployed"]

    budget = params.baseline_s + 2 * params.recover_timeout_s + params.tail_s + 300
    mon, ev, threshold = observe(module, base_url, video_id, folder, params, release, budget)
    out = _summarize(folder, mon, ev, threshold, component, RollbackParams(**{**asdict(params), "fault": fault,
                                                                              "load": params.load}))
    out.update(rolled_back_by="orchestrator", update_state=update.get("state"), update_message=update.get("message"))
    (folder / "rollback.json").write_text(json.dumps(out, indent=2, default=str))  # with the orchestrator's part
    return out
