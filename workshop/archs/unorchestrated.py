"""What an architecture that no orchestrator runs answers for the orchestrator's part of `Architecture`.

The monolith, the SOA and serverless are released and rolled back by the harness (scenarios/rollback.py);
only the microservices on Docker Swarm have an orchestrator that rolls a failing release back by itself.
"""

from __future__ import annotations


def orchestrated() -> bool:
    """No orchestrator rolls a release back here: the harness does."""
    return False


def self_rollback(component: str, release: str, env: dict[str, str]) -> dict | None:
    """Nothing to watch: the harness releases and rolls back (scenarios/rollback.py)."""
    return None
