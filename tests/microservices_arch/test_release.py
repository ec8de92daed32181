"""Releasing one service under load: the other services' endpoints see no errors, and the new release serves."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import requests

from workshop.archs.microservices import arch as microservices
from workshop.runtime import procs

# Which public endpoints each service serves (through the gateway).
SERVED_BY = {"catalog": ["list", "get"], "analytics": ["trending"]}


def endpoints(url: str, video_id: str) -> dict[str, str]:
    return {"list": f"{url}/videos?limit=5", "get": f"{url}/videos/{video_id}", "trending": f"{url}/trending"}


def load(urls: dict[str, str], stop: threading.Event, results: Counter) -> None:
    """Cycle through the endpoints on one kept-alive session, as a browser or Locust user would."""
    with requests.Session() as session:
        while not stop.is_set():
            for name, url in urls.items():
                try:
                    ok = session.get(url, timeout=10).status_code == 200
                except requests.RequestException:
                    ok = False
                results[(name, ok)] += 1


@pytest.mark.parametrize("service", ["analytics", "catalog"])
def test_release_one_service_under_load(system, service):
    video = system.create(f"release-{service}")
    requests.post(f"{system.url}/videos/{video['id']}/views", timeout=10)
    urls, results, stop = endpoints(system.url, video["id"]), Counter(), threading.Event()
    threads = [threading.Thread(target=load, args=(urls, stop, results)) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        old = set(system.instances(service))
        microservices.deploy(service, f"v2-{service}")
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    new = system.instances(service)
    assert new and not set(new) & old, "the old instances should be gone"
    assert {r["release"] for r in new.values()} == {f"v2-{service}"}
    others = [name for name in urls if name not in SERVED_BY[service]]
    assert all(results[(name, True)] > 0 for name in urls), results
    assert sum(results[(name, False)] for name in others) == 0, f"other services' endpoints failed: {results}"
    # SO_REUSEPORT overlap: the released service's own endpoints should not fail either.
    assert sum(results[(name, False)] for name in SERVED_BY[service]) == 0, f"released endpoints failed: {results}"


def test_a_second_up_keeps_the_running_system(system):
    assert microservices.up(backend=system.backend) == system.url  # the same backend: the running one, kept
    other = "docker" if system.backend == "process" else "process"
    with pytest.raises(procs.AlreadyUp, match="already up"):
        microservices.up(backend=other)  # never stops a running system to start another
    assert requests.get(f"{system.url}/health", timeout=10).status_code == 200
