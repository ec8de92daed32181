"""Deliberate faults of a bad release (WORKSHOP_FAULT), parsed once for every architecture.

Forms: `error:OPERATION` answers 500 on that operation; `latency:OPERATION:MS` delays it by MS
milliseconds; `unhealthy:OPERATION` answers 500 on that operation *and* on GET /health, a bad release
whose own health check catches it (what an orchestrator such as Docker Swarm rolls back by itself).
OPERATION is an operation name such as `get_video` (every tier, service and function is named after the
operation it serves), or `*` for all.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("error", "latency", "unhealthy")
HEALTH_OPERATION = "get_health"  # the view every app and service serves GET /health with


@dataclass(frozen=True)
class Fault:
    """One injected fault: an error or a delay on one operation (or all); `unhealthy` fails /health too."""

    kind: str  # "error", "latency" or "unhealthy"
    operation: str
    delay_s: float = 0.0

    def applies_to(self, *names: str | None) -> bool:
        """True when the fault targets any of `names` (an operation and its aliases), or every operation."""
        if self.kind == "unhealthy" and any((n or "").rsplit(".", 1)[-1] == HEALTH_OPERATION for n in names):
            return True
        return self.operation == "*" or self.operation in names


def parse_fault(spec: str) -> Fault | None:
    """The fault a spec describes, None for an empty spec; ValueError naming what is wrong otherwise."""
    if not spec:
        return None
    kind, _, rest = spec.partition(":")
    operation, _, ms = rest.partition(":")
    if kind not in KINDS or not operation:
        raise ValueError(f"bad WORKSHOP_FAULT {spec!r}: use error:OPERATION, unhealthy:OPERATION "
                         "or latency:OPERATION:MS")
    if kind != "latency" and ms:
        raise ValueError(f"bad WORKSHOP_FAULT {spec!r}: an {kind} fault takes no delay")
    try:
        delay_ms = float(ms or 0)
    except ValueError:
        raise ValueError(f"bad WORKSHOP_FAULT {spec!r}: the delay must be a number of milliseconds") from None
    if delay_ms < 0 or delay_ms != delay_ms:  # negative or NaN
        raise ValueError(f"bad WORKSHOP_FAULT {spec!r}: the delay must be a number of milliseconds >= 0")
    return Fault(kind, operation, delay_ms / 1000)
