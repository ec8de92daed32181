"""Run a Flask app factory under gunicorn on 127.0.0.1, the way every microservice is served.

The service port is bound with SO_REUSEPORT, so a new release (or another replica) can listen on the
same port while the old one drains: the harness starts the new one, checks it on its own probe port
(env WORKSHOP_PROBE_PORT), then stops the old one. No request meets a closed port in between.
Under Docker Swarm every task of a service has the same environment, so no fixed port can be private to one
task: with WORKSHOP_PROBE_PORT_FILE the probe port is one the kernel picks, written to that file in the
container's own file system, where the task's health check reads it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication


def bind_host() -> str:
    """The address to listen on: 127.0.0.1, or WORKSHOP_BIND_HOST (0.0.0.0 in a Kubernetes pod, reached by IP)."""
    return os.environ.get("WORKSHOP_BIND_HOST") or "127.0.0.1"


# No limit on the request line (gunicorn's default is 4094 bytes): an over-long query string must reach the
# app and get the contract's JSON 400 naming the field, not gunicorn's HTML 414. Headers keep their limits.
LIMIT_REQUEST_LINE = 0


def gunicorn_options(port: int) -> dict[str, Any]:
    """Settings for one service: its port (+ the probe port), workers and threads from the environment."""
    host = bind_host()
    binds = [f"{host}:{port}"]
    if os.environ.get("WORKSHOP_PROBE_PORT"):
        binds.append(f"{host}:{int(os.environ['WORKSHOP_PROBE_PORT'])}")
    if os.environ.get("WORKSHOP_PROBE_PORT_FILE"):
        binds = _prebound(host, port, Path(os.environ["WORKSHOP_PROBE_PORT_FILE"]))
    return {
        "bind": binds, "reuse_port": True, "worker_class": "gthread",
        "workers": int(os.environ.get("WORKSHOP_WEB_WORKERS", "2")),
        "threads": int(os.environ.get("WORKSHOP_WEB_THREADS", "4")),
        "timeout": 120, "graceful_timeout": 10, "accesslog": None, "errorlog": "-", "loglevel": "warning",
        "limit_request_line": LIMIT_REQUEST_LINE,
    }


def _prebound(host: str, port: int, port_file: Path) -> list[str]:
    """The service port and a kernel-chosen probe port, bound here and handed to gunicorn as fd:// binds.

    Bound here because gunicorn ignores host:port binds once any fd:// bind is given, and because the port
    the kernel picks must be known before anything else can take it (no race between choosing and binding).
    """
    fds = []
    for number, reuse in ((port, True), (0, False)):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, number))
        if number == 0:
            port_file.write_text(str(sock.getsockname()[1]))
        fds.append(sock.detach())  # gunicorn owns (and closes) the descriptor from now on
    return [f"fd://{fd}" for fd in fds]


class _Server(BaseApplication):
    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self.factory, self.options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()  # in each worker after the fork: no connection is shared across processes


def serve(factory: Callable[[], Any], port: int) -> None:
    """Serve the app made by `factory` until SIGTERM (graceful: in-flight requests finish)."""
    _Server(factory, gunicorn_options(port)).run()
