"""Asynchronous (Event) invocations: an internal queue, two retries, then the DLQ or on-failure destination."""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .invoke import InvokeResult, InvokeService
from .moto_state import FunctionSpec
from .pool import Throttled

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
    """Worker threads draining the event queue through the invoke service."""

    def __init__(self, service: InvokeService, clients: Any, workers: int = 4) -> None:
        self.service, self.clients = service, clients
        self._queue: queue.Queue[Event | None] = queue.Queue()
        self._timers: list[threading.Timer] = []
        self._stopping = threading.Event()
        self._pending = 0
        self._cond = threading.Condition()
        self._workers = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        for worker in self._workers:
            worker.start()

    def submit(self, spec: FunctionSpec, payload: bytes, qualifier: str | None = None) -> str:
        """Queue an event for the exact version resolved now; return its request id."""
        event = Event(str(uuid.uuid4()), spec, payload, qualifier)
        with self._cond:
            self._pending += 1
        self._queue.put(event)
        return event.request_id

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every queued event (with its retries) has been handled."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending == 0, timeout)

    def _later(self, delay: float, event: Event) -> None:
        timer = threading.Timer(delay, self._queue.put, args=(event,))
        timer.daemon = True
        self._timers = [t for t in self._timers if t.is_alive()] + [timer]
        timer.start()

    def _work(self) -> None:
        while True:
            event = self._queue.get()
            if event is None or self._stopping.is_set():
                return
            try:
                self._attempt(event)
            except Exception:  # never lose the worker; the event counts as handled
                log.exception("async invocation %s", event.request_id)
                self._done()

    def _attempt(self, event: Event) -> None:
        try:
            result = self.service.run(event.spec, event.payload, "Event", None, event.qualifier)
        except Throttled:
            # AWS keeps retrying throttled events (for up to 6 hours); they are not failures.
            self._later(self.service.cfg.async_retry_delay_s, event)
            return
        event.attempts += 1
        if not result.function_error:
            self._deliver(event.spec.on_success_arn, self._record(event, result, "Success"))
            return self._done()
        if event.attempts <= event.spec.max_retries:
            # AWS waits 1 min then 2 min between retries; the delay here is scaled down.
            return self._later(self.service.cfg.async_retry_delay_s * event.attempts, event)
        if event.spec.on_failure_arn:
            self._deliver(event.spec.on_failure_arn, self._record(event, result, "RetriesExhausted"))
        elif event.spec.dead_letter_arn:
            self._dead_letter(event, result)
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

    def _dead_letter(self, event: Event, result: InvokeResult) -> None:
        error = json.loads(result.payload) if result.payload else {}
        attrs = {"RequestID": event.request_id, "ErrorCode": "200",
                 "ErrorMessage": str(error.get("errorMessage", ""))[:1024]}
        self.clients.send(event.spec.dead_letter_arn, event.payload.decode(), attrs)

    def stop(self) -> None:
        """Cancel pending retries and stop the workers."""
        self._stopping.set()
        for timer in self._timers:
            timer.cancel()
        for _ in self._workers:
            self._queue.put(None)
        for worker in self._workers:
            worker.join(timeout=5)
