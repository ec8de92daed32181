"""Asynchronous (Event) invocations: an internal queue, two retries, then the on-failure destination and DLQ."""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from localaws.invoke.sync import InvokeResult, InvokeService
from localaws.runtime.pool import ShuttingDown, Throttled
from localaws.services.state import FunctionSpec, resolve, split_name

log = logging.getLogger(__name__)


@dataclass
class Event:
    """One queued asynchronous invocation."""

    request_id: str
    spec: FunctionSpec
    payload: bytes
    qualifier: str | None
    attempts: int = 0


class AsyncInvoker:
    """Runs each queued event on a thread of its own, as many at once as the account's concurrency allows."""

    def __init__(self, service: InvokeService, clients: Any) -> None:
        self.service, self.clients = service, clients
        self._queue: queue.Queue[Event | None] = queue.Queue()
        self._timers: list[threading.Timer] = []
        self._stopping = threading.Event()
        self._pending = 0
        self._running: set[threading.Thread] = set()
        self._cond = threading.Condition()
        self._dispatcher = threading.Thread(target=self._dispatch, name="localaws-async", daemon=True)
        self._dispatcher.start()

    def submit(self, spec: FunctionSpec, payload: bytes, qualifier: str | None = None) -> str:
        """Queue an event for the exact version resolved now; return its request id."""
        event = Event(str(uuid.uuid4()), spec, payload, qualifier)
        with self._cond:
            self._pending += 1
        self._queue.put(event)
        return event.request_id

    def submit_to(self, region: str, name_or_arn: str, payload: bytes) -> str:
        """Queue an event for a function name or ARN (an alias or version in it is kept)."""
        name, qualifier = split_name(name_or_arn, None)
        return self.submit(resolve(region, name, qualifier), payload, qualifier)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every queued event (with its retries) has been handled."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending == 0, timeout)

    def _later(self, delay: float, event: Event) -> None:
        if self._stopping.is_set():
            return self._done()
        timer = threading.Timer(delay, self._queue.put, args=(event,))
        timer.daemon = True
        self._timers = [t for t in self._timers if t.is_alive()] + [timer]
        timer.start()

    def _slots_free(self) -> bool:
        return self._stopping.is_set() or len(self._running) < max(1, self.service.cfg.concurrency_limit)

    def _dispatch(self) -> None:
        # One thread per event: a long invocation never holds up another function's events. Beyond the
        # account's concurrency the pool would throttle anyway, so wait for a thread to end first.
        while True:
            event = self._queue.get()
            with self._cond:
                self._cond.wait_for(self._slots_free)
                if event is None or self._stopping.is_set():
                    return
                thread = threading.Thread(target=self._run_one, args=(event,), name=f"async-{event.request_id[:8]}",
                                          daemon=True)
                self._running.add(thread)
            thread.start()

    def _run_one(self, event: Event) -> None:
        try:
            self._attempt(event)
        except Exception:  # the event counts as handled
            log.exception("async invocation %s", event.request_id)
            self._done()
        finally:
            with self._cond:
                self._running.discard(threading.current_thread())
                self._cond.notify_all()

    def _attempt(self, event: Event) -> None:
        try:
            result = self.service.run(event.spec, event.payload, "Event", None, event.qualifier)
        except Throttled:
            # AWS keeps retrying throttled events (for up to 6 hours); they are not failures.
            return self._later(self.service.cfg.async_retry_delay_s, event)
        except ShuttingDown:
            return self._done()
        event.attempts += 1
        if self._stopping.is_set() or self.service.pool.stopping:
            return self._done()  # the platform is going away: no retries, no deliveries
        if not result.function_error:
            self._deliver(event.spec.on_success_arn, self._record(event, result, "Success"))
            return self._done()
        if event.attempts <= event.spec.max_retries:
            # AWS waits 1 min then 2 min between retries; the delay here is scaled down.
            return self._later(self.service.cfg.async_retry_delay_s * event.attempts, event)
        # Both are honoured when both are configured, as on AWS; one failing does not stop the other.
        for deliver in (self._on_failure, self._dead_letter):
            try:
                deliver(event, result)
            except Exception:
                log.exception("could not deliver the failed async invocation %s", event.request_id)
        self._done()

    def _done(self) -> None:
        with self._cond:
            self._pending -= 1
            self._cond.notify_all()

    def _record(self, event: Event, result: InvokeResult, condition: str) -> dict[str, Any]:
        try:
            response: Any = json.loads(result.payload)
        except ValueError:
            response = result.payload.decode("utf-8", "replace")
        context: dict[str, Any] = {"statusCode": 200, "executedVersion": result.executed_version}
        if result.function_error:
            context["functionError"] = result.function_error
        return {
            "version": "1.0", "timestamp": datetime.now(UTC).isoformat(),
            "requestContext": {"requestId": event.request_id, "condition": condition,
                               "functionArn": f"{event.spec.arn}:{event.qualifier or '$LATEST'}",
                               "approximateInvokeCount": event.attempts},
            "requestPayload": json.loads(event.payload or b"{}"),
            "responseContext": context, "responsePayload": response,
        }

    def _deliver(self, target: str | None, record: dict[str, Any]) -> None:
        if target:
            self.clients.send(target, json.dumps(record), {})

    def _on_failure(self, event: Event, result: InvokeResult) -> None:
        self._deliver(event.spec.on_failure_arn, self._record(event, result, "RetriesExhausted"))

    def _dead_letter(self, event: Event, result: InvokeResult) -> None:
        if not event.spec.dead_letter_arn:
            return
        error = json.loads(result.payload) if result.payload else {}
        attrs = {"RequestID": event.request_id, "ErrorCode": "200",
                 "ErrorMessage": str(error.get("errorMessage", ""))[:1024]}
        self.clients.send(event.spec.dead_letter_arn, event.payload.decode(), attrs)

    def stop(self) -> None:
        """Cancel pending retries, stop dispatching and wait for the events still running."""
        self._stopping.set()
        for timer in self._timers:
            timer.cancel()
        self._queue.put(None)
        with self._cond:
            self._cond.notify_all()
        self._dispatcher.join(timeout=5)
        with self._cond:
            running = list(self._running)
        for thread in running:
            thread.join(timeout=5)
