"""EventBridge (CloudWatch Events) -> Lambda: rule targets on put_events, and rate() schedules."""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from localaws.config import ACCOUNT_ID, default_region

log = logging.getLogger(__name__)
RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
UNIT_S = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str | None) -> float | None:
    """Period of a rate(...) schedule expression in seconds; None for cron(...) or nothing."""
    found = RATE.match((expression or "").strip())
    return int(found.group(1)) * UNIT_S[found.group(2).rstrip("s")] if found else None


def target_event(target: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """What a target receives: its constant Input if set, else the event."""
    return json.loads(target["Input"]) if target.get("Input") else event


def patch_rule_targets(platform_of: Callable[[], Any]) -> None:
    """Let rules deliver to Lambda targets (moto raises NotImplementedError for them)."""
    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> None:
        platform = platform_of()
        lambdas = [t for t in self.targets if ":lambda:" in t.get("Arn", "")]
        if platform is None or not lambdas:
            return original(self, original_event, transform_input)
        if not self.event_pattern.matches_event(original_event):
            return None
        for target in lambdas:
            try:
                payload = json.dumps(target_event(target, original_event)).encode()
                platform.async_invoker.submit_to(target["Arn"].split(":")[3], target["Arn"], payload)
            except Exception:  # put_events succeeds even when a target function is gone
                log.exception("could not deliver an event to %s", target["Arn"])
        others = copy.copy(self)
        others.targets = [t for t in self.targets if t not in lambdas]
        return original(others, original_event, transform_input) if others.targets else None

    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]


class Scheduler:
    """Fires ENABLED rate() rules of the default event bus at Lambda targets (time_scale < 1 speeds up)."""

    def __init__(self, platform: Any, time_scale: float = 1.0) -> None:
        self.platform, self.time_scale = platform, time_scale
        self._last: dict[str, float] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="localaws-schedules", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stopping.wait(min(1.0, max(self.platform.cfg.poll_interval_s, 0.05))):
            try:
                self.tick(time.monotonic())
            except Exception:  # a rule being edited must not stop the clock
                log.exception("schedule tick")

    def tick(self, now: float) -> int:
        """Fire every rule whose period has elapsed; return how many targets were invoked."""
        from moto.events.models import events_backends

        region = default_region()
        fired = 0
        for bus in events_backends[ACCOUNT_ID][region].event_buses.values():
            for rule in list(bus.rules.values()):
                period = rate_seconds(rule.scheduled_expression)
                if period is None or rule.state != "ENABLED":
                    self._last.pop(rule.arn, None)
                    continue
                last = self._last.setdefault(rule.arn, now)  # first fire one period after it is seen
                if now - last < period * self.time_scale:
                    continue
                self._last[rule.arn] = now
                fired += self._fire(rule, region)
        return fired

    def _fire(self, rule: Any, region: str) -> int:
        event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": ACCOUNT_ID, "region": region,
                 "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "resources": [rule.arn], "detail": {}}
        count = 0
        for target in rule.targets:
            if ":lambda:" in target.get("Arn", ""):
                payload = json.dumps(target_event(target, event)).encode()
                self.platform.async_invoker.submit_to(target["Arn"].split(":")[3], target["Arn"], payload)
                count += 1
        return count

    def stop(self) -> None:
        """Stop the clock."""
        self._stopping.set()
        self._thread.join(timeout=5)
