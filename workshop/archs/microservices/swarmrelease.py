"""Releases on the `swarm` backend: a `docker service update` that Swarm rolls out, and rolls back by itself.

The harness builds the release's image, records what runs, and hands the update to Swarm; it only watches
the service's UpdateStatus (`completed`, or `rollback_completed` when a new task failed its health check).
"""

from __future__ import annotations

import time

from workshop.archs.microservices import swarm
from workshop.archs.microservices.run import ARCH
from workshop.archs.microservices.swarmarch import build, timeout_s
from workshop.records import ArchRecord
from workshop.runtime import procs


def deploy(info: ArchRecord, name: str, release: str, env: dict[str, str]) -> dict:
    """`docker service update` to the release; waits until Swarm finished (or rolled back); its UpdateStatus."""
    start_update(info, name, release, env)
    swarm.wait(lambda: swarm.converged(info["stack"], name), timeout_s(), f"release {release} of {name}")
    status = swarm.update_status(info["stack"], name)
    if status.get("State") != "completed":  # Swarm rolled it back: the old release runs again
        release_then, env_then = info["previous"][name]
        info["components"][name], info["env"][name] = release_then, env_then
    procs.save_arch(ARCH, info)
    return status


def start_update(info: ArchRecord, name: str, release: str, env: dict[str, str]) -> None:
    """Build the release's image and hand the update to Swarm (returns at once; Swarm rolls it out)."""
    tag = build(info, name, release)
    old_env = info["env"].get(name, {})
    info.setdefault("previous", {})[name] = (info["components"][name], old_env)
    new_env = {**{key: "" for key in old_env}, **env, "WORKSHOP_RELEASE": release}  # unset what env drops
    info["components"][name], info["env"][name] = release, dict(env)
    procs.save_arch(ARCH, info)
    swarm.update(info["stack"], name, tag, new_env)


def release_and_watch(info: ArchRecord, name: str, release: str, env: dict[str, str],
                      poll_s: float = 0.1) -> dict:
    """Start a release and poll its UpdateStatus until Swarm finished it or rolled it back by itself.

    Returns epoch times: `deployed` (Swarm accepted the update), `detected` (the update left `updating` for a
    rollback: Swarm saw a new task fail), `rolled_back` (rollback_completed), and the final state and message.
    Swarm's own StartedAt is the update's start, not the rollback's, so the times are the polls' (± poll_s).
    """
    start_update(info, name, release, env)
    out: dict = {"deployed": time.time(), "detected": None, "rolled_back": None}
    deadline = time.monotonic() + timeout_s()
    while time.monotonic() < deadline:
        status = swarm.update_status(info["stack"], name)
        state, now = status.get("State", ""), time.time()
        if state.startswith("rollback") and out["detected"] is None:
            out["detected"] = now
        if state in swarm.DONE and swarm.converged(info["stack"], name):
            out["rolled_back"] = now if state == "rollback_completed" else None
            out.update(state=state, message=status.get("Message", ""))
            break
        time.sleep(poll_s)
    else:
        raise TimeoutError(f"the update of {name} to {release} did not finish within {timeout_s():.0f} s")
    if out["state"] != "completed":
        release_then, env_then = info["previous"][name]
        info["components"][name], info["env"][name] = release_then, env_then
        procs.save_arch(ARCH, info)
    return out
