"""API gateway front (placeholder until routing lands)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response


class Gateway:
    def __init__(self, invoker: Any, clients: Any, cfg: Any) -> None:
        self.invoker, self.clients, self.cfg = invoker, clients, cfg

    def invalidate(self, path: str) -> None:
        pass

    def __call__(self, request: Request) -> Response:
        return Response(b'{"message":"Not Found"}', 404)
