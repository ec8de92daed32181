"""A peer that is down, silent or failing becomes a prompt, typed error: never a hang."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from soa import logic_tier, presentation_tier
from videocatalog.adapters.http_data import HttpRepository
from videocatalog.adapters.http_peer import Peer
from videocatalog.errors import Unavailable, ValidationError
from workshop.runtime import procs


def test_a_peer_that_is_down_is_unavailable_at_once():
    repo = HttpRepository(Peer(f"http://127.0.0.1:{procs.free_port()}", name="data tier"))
    started = time.monotonic()
    with pytest.raises(Unavailable, match="data tier is unreachable"):
        repo.get("v1")
    assert time.monotonic() - started < 1.5


def test_a_silent_peer_is_unavailable_after_the_read_timeout(monkeypatch):
    monkeypatch.setenv("WORKSHOP_PEER_READ_TIMEOUT_S", "0.5")
    with socket.socket() as listener:  # accepts connections (the kernel does) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        repo = HttpRepository(Peer(f"http://127.0.0.1:{listener.getsockname()[1]}", name="data tier"))
        started = time.monotonic()
        with pytest.raises(Unavailable, match="did not answer within 0.5 s"):
            repo.get("v1")
        assert 0.4 < time.monotonic() - started < 3


def test_a_peers_json_error_is_raised_again_with_its_code(peer):
    with pytest.raises(ValidationError) as caught:
        peer.call("GET", "/blobs/size")
    assert caught.value.field == "key" and caught.value.status == 400


def test_a_peers_html_error_is_not_passed_through():
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class BadGateway(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the handler API's name)
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>bad gateway</html>")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), BadGateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(Unavailable, match="answered 502"):
            Peer(f"http://127.0.0.1:{server.server_port}").call("GET", "/x")
    finally:
        server.shutdown()


@pytest.mark.parametrize("factory, variable", [(logic_tier.create_app, "SOA_DATA_URL"),
                                               (presentation_tier.create_app, "SOA_LOGIC_URL")])
def test_a_tier_without_its_peer_address_fails_fast(monkeypatch, factory, variable):
    monkeypatch.delenv(variable, raising=False)
    with pytest.raises(SystemExit, match=variable):
        factory()
