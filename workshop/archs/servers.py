"""What the three server-based architectures answer for the serverless-only parts of `Architecture`.

Nothing there is billed per invocation, no function environments run, and new capacity is measured by
`new_capacity()` alone; monolith, SOA and microservices take these three as they are.
"""

from __future__ import annotations


def lambda_invocations() -> list[dict]:
    """No function is billed per invocation here."""
    return []


def lambda_concurrency(since: float, until: float) -> None:
    """No function environments here."""
    return None


def coldstart_study(quick: bool = False) -> None:
    """No study beyond new_capacity() for this architecture."""
    return None
