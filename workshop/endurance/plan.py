"""How hard and how long the fault benchmark pushes, and which faults each architecture gets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from workshop.endurance import targets_cloud
from workshop.endurance.targets import Target, monolith_targets, soa_targets

BUSY_WAIT_S = 30.0  # how long to wait for a worker to be mid-transcode before killing an idle one
# The local Lambda platform runs at most 10 environments at once (the account limit of a new AWS account,
# WORKSHOP_LAMBDA_CONCURRENCY) and shares them with the render fan-out; on a 2-core machine the servers'
# rate throttles it before any fault, which would make the load itself the fault being measured.
RATE_SHARE = {"serverless": 0.35}


@dataclass(frozen=True)
class Plan:
    """How hard and how long the benchmark pushes (quick mode: a few seconds of load per fault)."""

    rate: float
    threads: int
    uploaders: int
    warmup_s: float
    hold_s: float  # load kept on after the recovery, so late errors show
    recover_timeout_s: float
    settle_timeout_s: float  # how long an acknowledged upload may take to end ready or failed
    streak: int  # successes in a row that count as "recovered", per operation
    pipeline_wait_s: float  # how long an uploader waits for its clip to settle before it sends another
    seed_videos: int
    clip: tuple[int, int, float]  # width, height, seconds


def plan_for(quick: bool, arch: str = "") -> Plan:
    """The quick (CI) or the full plan, at the request rate `arch` sustains here."""
    plan = _plan(quick)
    return replace(plan, rate=round(plan.rate * RATE_SHARE.get(arch, 1.0), 2))


def _plan(quick: bool) -> Plan:
    if quick:
        return Plan(12, 6, 1, 1.5, 1.5, 30, 150, 3, 8, 8, (160, 120, 1.0))
    return Plan(25, 10, 2, 5, 10, 120, 300, 5, 30, 30, (320, 240, 3.0))


def targets_for(module: Any, quick: bool, localaws: bool = False) -> list[Target]:
    """The fault targets of the architecture `module` runs (`localaws`: the local AWS itself last)."""
    busy_wait_s = BUSY_WAIT_S / 3 if quick else BUSY_WAIT_S
    makers = {"monolith": monolith_targets, "soa": soa_targets,
              "microservices": targets_cloud.microservices_targets, "serverless": targets_cloud.serverless_targets}
    found = makers[module.NAME](module, busy_wait_s)
    if localaws and module.NAME in ("microservices", "serverless"):
        found.append(targets_cloud.localaws_target(module))
    return found
