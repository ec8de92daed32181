"""The microservices as a Docker Swarm stack: releases, rollbacks and scaling done by the orchestrator.

One stack for the whole module (CI budget), with a 1 s health-check interval and a 2 s update monitor so a
bad release fails within seconds. The swarm is initialized for the module when the engine is in none, and
left again at the end by `down` (only when nothing else runs on it).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import requests

from videocatalog import auth
from workshop.archs.microservices import arch as microservices
from workshop.archs.microservices import run as ms_run
from workshop.archs.microservices import swarm
from workshop.runtime import procs

pytestmark = [pytest.mark.docker, pytest.mark.slow]
PORTS = [f"WORKSHOP_MS_{s}_PORT" for s in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS", "LOCALAWS")]
# No reservations: another stack (the contract suite's) may hold this 2-core machine's CPUs meanwhile.
FAST = {"WORKSHOP_SWARM_HEALTH_INTERVAL": "1s", "WORKSHOP_SWARM_UPDATE_MONITOR": "2s", "WORKSHOP_SWARM_RESERVE": "0"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[str]:
    """The stack's gateway URL."""
    from workshop.runtime import containers

    if not containers.engine_available():
        pytest.skip("no Docker engine reachable (scripts/docker-engine.sh starts one as root)")
    state = tmp_path_factory.mktemp("ms-swarm")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKSHOP_STATE_DIR", str(state))
        for var in PORTS:
            mp.setenv(var, str(procs.free_port()))
        for key, value in FAST.items():
            mp.setenv(key, value)
        name, made = None, False
        try:
            url = microservices.up(backend="swarm")
            record = procs.load_arch("microservices")
            name, made = record["stack"], record["swarm_initialized"]
            yield url
        finally:
            microservices.down()
            if made:  # the swarm it made is left, unless another run's services still use it
                assert swarm.node_state() == "inactive" or containers.client().services.list()
            if name:  # nothing of the stack is left behind
                engine = containers.client()
                assert not engine.containers.list(all=True, sparse=True, filters={"label": f"{swarm.NAMESPACE}={name}"})
                assert not [t for i in engine.images.list(name="workshop/ms-catalog") for t in i.tags
                            if name.rsplit("-", 1)[-1] in t], "the stack's own image tags are removed"


def running_images(name: str, service: str) -> set[str]:
    return {t["Spec"]["ContainerSpec"]["Image"].split("@")[0] for t in swarm.running_tasks(name, service)}


def hammer(urls: dict[str, str], stop: threading.Event, results: Counter) -> None:
    with requests.Session() as session:
        while not stop.is_set():
            for key, url in urls.items():
                try:
                    results[(key, session.get(url, timeout=10).status_code)] += 1
                except requests.RequestException:
                    results[(key, 0)] += 1


def test_a_release_is_a_rolling_service_update(stack):
    name = procs.load_arch("microservices")["stack"]
    microservices.deploy("analytics", "v2-swarm")
    assert swarm.update_status(name, "analytics")["State"] == "completed"
    assert running_images(name, "analytics") == {f"workshop/ms-analytics:v2-swarm-{ms_run.state_label()}"}
    assert requests.get(f"{stack}/trending", timeout=10).status_code == 200


def test_a_release_failing_its_health_check_is_rolled_back_by_swarm_itself(stack):
    name = procs.load_arch("microservices")["stack"]
    video = requests.post(f"{stack}/videos", json={"title": "swarm rollback"}, timeout=30,
                          headers={"Authorization": f"Bearer {auth.make_token()}"}).json()
    urls = {"list": f"{stack}/videos?limit=5", "get": f"{stack}/videos/{video['id']}"}
    results, stop = Counter(), threading.Event()
    threads = [threading.Thread(target=hammer, args=(urls, stop, results)) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        # The harness only hands the update to Swarm; nothing of the harness rolls back.
        microservices.deploy("catalog", "v2-unhealthy", {"WORKSHOP_FAULT": "unhealthy:get_video"})
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    status = swarm.update_status(name, "catalog")
    assert status["State"] == "rollback_completed", status
    assert running_images(name, "catalog") == {f"workshop/ms-catalog:v1-{ms_run.state_label()}"}
    assert procs.load_arch("microservices")["components"]["catalog"] == "v1"
    assert requests.get(f"{stack}/videos/{video['id']}", timeout=10).status_code == 200
    # The API kept answering: listing (not faulted) never failed, and reads of the video succeeded throughout.
    assert results[("list", 200)] > 0 and sum(n for (k, code), n in results.items() if k == "list" and code != 200) \
        == 0, results
    assert results[("get", 200)] > 0, results


def test_scaling_sets_the_replicas_and_pids_are_host_processes(stack):
    name = procs.load_arch("microservices")["stack"]
    assert len(microservices.scale("transcode", 2)) == 2
    pids = microservices.pids()
    workers = [pid for key, pid in pids.items() if key.startswith("transcode.")]
    assert len(workers) == 2 and all(procs.alive(pid) for pid in workers)
    assert "localaws" in pids and any(key.startswith("gateway.") for key in pids)
    assert len(microservices.scale("transcode", 1)) == 1
    assert len(swarm.running_tasks(name, "transcode")) == 1
