"""Event source mappings (SQS, Kinesis) polled by the platform."""

from __future__ import annotations

from typing import Any


class EventSources:
    """Pollers for every enabled event source mapping stored in moto."""

    def __init__(self, platform: Any) -> None:
        self.platform = platform

    def stop(self) -> None:
        """Stop polling."""
