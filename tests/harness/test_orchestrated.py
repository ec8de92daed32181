"""When the rollback scenario lets the orchestrator roll back, and the fault it then releases (no servers)."""

from __future__ import annotations

from types import SimpleNamespace

from videocatalog.faults import parse_fault
from workshop import archs
from workshop.scenarios import orchestrated


def test_only_an_orchestrated_architecture_and_a_fault_its_health_check_can_see():
    swarm, docker = SimpleNamespace(orchestrated=lambda: True), SimpleNamespace(orchestrated=lambda: False)
    assert orchestrated.applies(swarm, "error:get_video")
    assert not orchestrated.applies(swarm, "latency:get_video:400")  # passes the health check
    assert not orchestrated.applies(docker, "error:get_video")
    for name in ("monolith", "soa", "serverless"):  # no orchestrator: the harness rolls back
        assert not orchestrated.applies(archs.load(name), "error:get_video")


def test_the_released_fault_fails_the_same_operation_and_the_health_check():
    for given in ("error:get_video", "unhealthy:get_video", "latency:get_video:400"):
        fault = parse_fault(orchestrated.health_visible(given))
        assert fault.applies_to("get_video") and fault.applies_to("get_health") and not fault.applies_to("list")
