"""Event source mappings stored in moto (SQS, Kinesis, DynamoDB Streams), each polled by the platform."""

from __future__ import annotations

import logging
import threading
from typing import Any

from localaws.config import default_region
from localaws.eventsources.sqs import SqsPoller
from localaws.eventsources.streams import StreamPoller
from localaws.services.state import lambda_backend

log = logging.getLogger(__name__)


class EventSources:
    """Starts a poller for every enabled mapping and stops it when the mapping goes away."""

    def __init__(self, platform: Any) -> None:
        self.platform = platform
        self._pollers: dict[str, Any] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="localaws-esm", daemon=True)
        self._thread.start()

    def running(self) -> set[str]:
        """UUIDs of the mappings being polled now."""
        return {uuid for uuid, poller in self._pollers.items() if poller.started.is_set()}

    def _loop(self) -> None:
        while not self._stopping.wait(self.platform.cfg.poll_interval_s):
            try:
                self._sync()
            except Exception:  # a half-created mapping must not kill the loop
                log.exception("event source sync")

    def _sync(self) -> None:
        region = default_region()
        wanted = {esm.uuid: esm for esm in lambda_backend(region).list_event_source_mappings(None, None)
                  if _enabled(esm)}
        for uuid in list(self._pollers):
            if uuid not in wanted:
                self._pollers.pop(uuid).stop()
        for uuid, esm in wanted.items():
            if uuid in self._pollers:
                continue
            service = esm.event_source_arn.split(":")[2]
            if service == "sqs":
                self._pollers[uuid] = SqsPoller(self.platform, esm, region)
            elif service in ("kinesis", "dynamodb"):
                self._pollers[uuid] = StreamPoller(self.platform, esm, region)

    def stop(self) -> None:
        """Stop the sync loop and every poller."""
        self._stopping.set()
        self._thread.join(timeout=5)
        for poller in self._pollers.values():
            poller.stop()
        self._pollers.clear()


def _enabled(esm: Any) -> bool:
    return esm.enabled in (True, "true", "True", None)
