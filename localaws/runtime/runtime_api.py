"""The Lambda Runtime API (2018-06-01) served to one execution environment's runtime client."""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"


@dataclass
class Invocation:
    """One event handed to the runtime, and what came back."""

    request_id: str
    payload: bytes
    function_arn: str
    deadline_ms: int
    client_context: str | None = None
    trace_id: str = field(default_factory=lambda: f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}")
    started: float = 0.0
    finished: float = 0.0
    result: bytes | None = None
    error: dict[str, Any] | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a runtime killed mid-request (timeout, shutdown) is expected, not an error


class RuntimeApi:
    """A tiny HTTP server on 127.0.0.1 that one runtime client polls for events."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[Invocation | None] = queue.Queue()
        self.ready = threading.Event()
        self.ready_at = 0.0
        self.init_error: dict[str, Any] | None = None
        self.current: Invocation | None = None
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll interval keeps shutdown() quick when many environments are reclaimed at once.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True,
                                        name=f"runtime-api-{self._server.server_port}")

    @property
    def address(self) -> str:
        """host:port for AWS_LAMBDA_RUNTIME_API."""
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Unblock a waiting /next and close the socket (also when serving never started)."""
        self.jobs.put(None)
        if self._thread.is_alive():
            # shutdown() waits for serve_forever to notice; without a serving thread it would wait forever.
            self._server.shutdown()
        self._server.server_close()

    # -- called by the HTTP handler --
    def next_invocation(self) -> Invocation | None:
        if not self.ready.is_set():
            self.ready_at = time.perf_counter()
            self.ready.set()
        inv = self.jobs.get()
        if inv is not None:
            inv.started = time.perf_counter()
            self.current = inv
        return inv

    def finish(self, request_id: str, result: bytes | None, error: dict[str, Any] | None) -> bool:
        inv = self.current
        if inv is None or inv.request_id != request_id:
            return False
        inv.finished = time.perf_counter()
        inv.result, inv.error = result, error
        self.current = None
        inv.done.set()
        return True

    def fail_init(self, error: dict[str, Any]) -> None:
        self.init_error = error
        self.ready_at = time.perf_counter()
        self.ready.set()


def _parse_error(body: bytes, error_type: str | None) -> dict[str, Any]:
    try:
        err = json.loads(body or b"{}")
    except ValueError:
        err = {"errorMessage": body.decode("utf-8", "replace")}
    if not isinstance(err, dict):
        err = {"errorMessage": str(err)}
    err.setdefault("errorType", error_type or "Unhandled")
    return err


def _handler_for(api: RuntimeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without NODELAY, Nagle adds ~40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args: Any) -> None:  # keep the harness's output clean
            pass

        def _reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path != f"{PREFIX}/invocation/next":
                return self._reply(404, b'{"errorMessage":"not found"}')
            inv = api.next_invocation()
            if inv is None:
                return self._reply(500, b'{"errorMessage":"environment shutting down"}')
            headers = {
                "Content-Type": "application/json",
                "Lambda-Runtime-Aws-Request-Id": inv.request_id,
                "Lambda-Runtime-Deadline-Ms": str(inv.deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": inv.function_arn,
                "Lambda-Runtime-Trace-Id": inv.trace_id,  # awslambdaric fails without it
            }
            if inv.client_context:
                headers["Lambda-Runtime-Client-Context"] = inv.client_context
            self._reply(200, inv.payload, headers)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = self.path[len(PREFIX):].strip("/").split("/")
            if parts == ["init", "error"]:
                api.fail_init(_parse_error(body, self.headers.get("Lambda-Runtime-Function-Error-Type")))
                return self._reply(202, b'{"status":"OK"}')
            if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                error = None
                if parts[2] == "error":
                    error = _parse_error(body, self.headers.get("Lambda-Runtime-Function-Error-Type"))
                ok = api.finish(parts[1], None if error else body, error)
                return self._reply(202 if ok else 400, b'{"status":"OK"}' if ok else b'{"errorMessage":"?"}')
            self._reply(404, b'{"errorMessage":"not found"}')

    return Handler
