"""A /health endpoint for the worker, on the standard library (the worker serves nothing else).

The service port is bound with SO_REUSEPORT like every service's, so replicas and a new release share
it; the harness checks each instance on its own probe port (WORKSHOP_PROBE_PORT). Under Docker Swarm every
task has the same environment, so the probe port is one the kernel picks, written to the container's own
file WORKSHOP_PROBE_PORT_FILE, where the task's health check reads it.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from videocatalog.errors import error_body


class _Server(ThreadingHTTPServer):
    allow_reuse_port = True
    daemon_threads = True


def _handler(status: Callable[[], dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            found = self.path.split("?", 1)[0] == "/health"
            body = status() if found else error_body("not_found", "only /health is served")
            data = json.dumps(body).encode()
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass  # health checks would flood the log

    return Handler


def serve_health(port: int, status: Callable[[], dict[str, Any]]) -> list[ThreadingHTTPServer]:
    """Answer GET /health with `status()` on 127.0.0.1:port (and the probe port) in daemon threads."""
    ports = [port] + ([int(os.environ["WORKSHOP_PROBE_PORT"])] if os.environ.get("WORKSHOP_PROBE_PORT") else [])
    if os.environ.get("WORKSHOP_PROBE_PORT_FILE"):
        ports.append(0)  # any free port, written to the file below
    servers: list[ThreadingHTTPServer] = []
    for p in ports:
        # 127.0.0.1 unless WORKSHOP_BIND_HOST says otherwise (0.0.0.0 in a Kubernetes pod, probed by IP)
        server = _Server((os.environ.get("WORKSHOP_BIND_HOST") or "127.0.0.1", p), _handler(status))
        threading.Thread(target=server.serve_forever, name=f"health-{p}", daemon=True).start()
        servers.append(server)
        if p == 0:
            Path(os.environ["WORKSHOP_PROBE_PORT_FILE"]).write_text(str(server.server_address[1]))
    return servers
