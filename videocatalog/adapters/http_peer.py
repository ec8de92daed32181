"""A client of a peer over HTTP (a tier or a service): timeouts on every call, the peer's errors rebuilt.

A peer that is down or too slow becomes `Unavailable` (503 at the edge), never a hang; a JSON error
the peer sent is raised again here as the same `AppError`, so it crosses every hop unchanged.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import IO, Any

import requests

from videocatalog.errors import AppError, Internal, Unavailable, error_from_dict

CHUNK = 1 << 16


def connect_timeout_s() -> float:
    """Seconds to wait for a peer to accept a connection (a stopped peer refuses at once)."""
    return float(os.environ.get("WORKSHOP_PEER_CONNECT_TIMEOUT_S", "1"))


def read_timeout_s() -> float:
    """Seconds to wait for a peer's answer to an ordinary call."""
    return float(os.environ.get("WORKSHOP_PEER_READ_TIMEOUT_S", "10"))


def transfer_timeout_s() -> float:
    """Seconds to wait on a socket while streaming media to or from a peer."""
    return float(os.environ.get("WORKSHOP_PEER_TRANSFER_TIMEOUT_S", "60"))


def capped(stream: IO[bytes], max_bytes: int) -> Iterator[bytes]:
    """The stream's chunks, stopping once more than `max_bytes` went by (so the peer sees the excess and
    refuses it, while an oversized body is never forwarded whole)."""
    sent = 0
    while sent <= max_bytes and (chunk := stream.read(CHUNK)):
        sent += len(chunk)
        yield chunk


class Peer:
    """JSON over HTTP to one base URL, with a session per thread (requests' sessions are not thread-safe)."""

    def __init__(self, base_url: str, name: str = "peer") -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def send(self, method: str, path: str, *, transfer: bool = False, **kwargs: Any) -> requests.Response:
        """Send one request; raises `Unavailable` when the peer is unreachable or slow, or the peer's error."""
        read_s = transfer_timeout_s() if transfer else read_timeout_s()
        try:
            resp = self._session().request(method, self.base_url + path, timeout=(connect_timeout_s(), read_s),
                                           **kwargs)
        except requests.Timeout as exc:
            raise Unavailable(f"{self.name} did not answer within {read_s:g} s") from exc
        except requests.RequestException as exc:
            raise Unavailable(f"{self.name} is unreachable") from exc
        if resp.status_code >= 400:
            raise self._error(resp)
        return resp

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request and decode its JSON answer (None for an empty one)."""
        resp = self.send(method, path, **kwargs)
        try:
            return resp.json() if resp.content else None
        except ValueError as exc:
            raise Internal(f"{self.name} sent a body that is not JSON") from exc

    def stream(self, path: str, **kwargs: Any) -> tuple[Iterator[bytes], str]:
        """GET a body as chunks (the status is checked before this returns) and its content type."""
        resp = self.send("GET", path, stream=True, transfer=True, **kwargs)

        def chunks() -> Iterator[bytes]:
            try:
                yield from resp.iter_content(CHUNK)
            except requests.RequestException as exc:
                raise Unavailable(f"{self.name} broke off a transfer") from exc
            finally:
                resp.close()
        return chunks(), resp.headers.get("Content-Type", "application/octet-stream")

    def _error(self, resp: requests.Response) -> AppError:
        try:
            body = resp.json()
        except ValueError:
            body = None
        resp.close()
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            return error_from_dict(resp.status_code, body)
        if resp.status_code in (502, 503, 504):
            return Unavailable(f"{self.name} answered {resp.status_code}")
        return Internal(f"{self.name} answered {resp.status_code} without a JSON error")
