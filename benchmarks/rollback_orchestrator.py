"""The orchestrator's own rollback against the harness's manual one: the same bad release, the same load.

Usage: python benchmarks/rollback_orchestrator.py [--quick] [--manual-backend docker|process] [--json FILE]

Row "harness": the microservices on the docker (or process) backend; the catalog gets a release that answers
500 on GET /videos/{id} (`error:get_video`); the harness's monitor sees the error rate and the harness
releases v1 again (workshop/scenarios/rollback.py). Row "swarm": the same services as a Docker Swarm stack;
the release breaks the same operation and its health check (`unhealthy:get_video`), and Swarm's
`failure_action: rollback` brings v1 back with no help (workshop/scenarios/orchestrated.py), on compose.yaml's
health-check timings. Every time is measured from the start of the bad release: detect (the monitor's alarm,
or Swarm's UpdateStatus leaving `updating` for a rollback), recovered (the first of 10 good monitor samples
after it); failed requests and requests are Locust's over the whole scenario. Each row runs alone on
private ports and state; absolute times describe this machine only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from workshop import settings
from workshop.archs.microservices import arch as microservices
from workshop.archs.microservices import run as ms_run
from workshop.archs.microservices import spec as ms_spec
from workshop.archs.microservices import swarmarch
from workshop.measure import loadrun
from workshop.measure.seed import seed
from workshop.runtime import containers, procs
from workshop.scenarios import orchestrated, rollback


def isolate() -> Path:
    """A private state folder and free ports for one row."""
    state = Path(tempfile.mkdtemp(prefix="bench-rollback-orch-"))
    os.environ["WORKSHOP_STATE_DIR"] = str(state)
    for name in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS", "LOCALAWS"):
        os.environ[f"WORKSHOP_MS_{name}_PORT"] = str(procs.free_port())
    return state


def params(quick: bool) -> rollback.RollbackParams:
    """The scenario's knobs: the bench's own, smaller in quick mode; recovery may take a Swarm health cycle."""
    load = loadrun.LoadParams(users=4 if quick else 8, think_time="0.2,0.6")
    return rollback.RollbackParams(fault="error:get_video", baseline_s=3 if quick else 6, detect_timeout_s=20,
                                   recover_timeout_s=60, tail_s=2, load=load)


def prebuild(release: str) -> None:
    """Build the bad release's catalog image before the clock starts, so neither row times an image build."""
    info = procs.load_arch("microservices")
    if info is None or info["backend"] == "process":
        return
    if info["backend"] == "swarm":
        swarmarch.build(info, "catalog", release)
        return
    catalog = ms_spec.load(info["variables"])[0]["catalog"]
    info["images"][f"{catalog.image}:{release}"] = ms_run.DockerBackend().build(catalog, release)
    procs.save_arch("microservices", info)


def one_row(backend: str, quick: bool) -> dict:
    """Bring the microservices up on `backend`, run its rollback scenario, bring them down; the summary."""
    folder = isolate()
    try:
        url = microservices.up(backend=backend)
        video_id = seed(url, count=5, with_upload=False)["video_ids"][0]
        prebuild("v2-bad")
        scenario = orchestrated.run if orchestrated.applies(microservices, "error:get_video") else rollback.run
        return {"backend": backend, **scenario(microservices, url, video_id, folder / "scenario", params(quick))}
    finally:
        microservices.down()


def figures(row: dict) -> dict:
    """Seconds from the start of the bad release to detection and to recovery, and Locust's counts."""
    ev = row["events_epoch"]

    def since_deploy(key: str) -> float | None:
        return None if ev.get(key) is None else round(ev[key] - ev["deploy"], 2)

    locust = row.get("locust") or {}
    return {"backend": row["backend"], "rolled back by": row.get("rolled_back_by", "harness"),
            "fault": row["fault"], "detect s": since_deploy("detected"), "recover s": since_deploy("recovered"),
            "failed requests": locust.get("failures"), "requests": locust.get("requests")}


def table(rows: list[dict]) -> str:
    """The rows side by side, one line each."""
    cols = ["backend", "rolled back by", "fault", "detect s", "recover s", "failed requests", "requests"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    line = lambda r: "  ".join(str(r[c]).rjust(widths[c]) for c in cols)  # noqa: E731
    return "\n".join([line({c: c for c in cols}), *(line(r) for r in rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer users, shorter baseline (also WORKSHOP_QUICK=1)")
    parser.add_argument("--manual-backend", choices=["docker", "process"], default="docker")
    parser.add_argument("--json", help="also write the scenarios' summaries here")
    args = parser.parse_args()
    quick = args.quick or settings.quick()
    if not containers.engine_available():
        print("no Docker engine reachable: Swarm needs one (scripts/docker-engine.sh starts one as root)")
        return 1
    health = ms_spec.read()["services"]["catalog"]["healthcheck"]
    rows = [one_row(args.manual_backend, quick), one_row("swarm", quick)]
    print(f"rollback of a bad catalog release under load ({'quick' if quick else 'full'} mode; Swarm health check "
          f"every {health['interval']}, {health['retries']} retries, start period {health['start_period']}; "
          "times from the start of the release)")
    print(table([figures(r) for r in rows]))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
