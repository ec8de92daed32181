"""Fixtures of the SOA tests: a data tier served in-process, and the whole SOA run by the harness."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from soalib import UPLOAD_LIMIT
from werkzeug.serving import make_server

from soa.data_tier import create_app
from videocatalog.adapters.http_peer import Peer
from workshop.archs import soa
from workshop.runtime import procs


@pytest.fixture
def data_url(tmp_path) -> Iterator[str]:
    """A data tier on a threaded WSGI server in this process, on its own database."""
    server = make_server("127.0.0.1", 0, create_app(str(tmp_path / "data")), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def peer(data_url) -> Peer:
    return Peer(data_url, name="data tier")


@pytest.fixture(scope="module")
def system(tmp_path_factory) -> Iterator[str]:
    """The three tiers as real gunicorn processes on free ports and a private state folder; its public URL."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKSHOP_STATE_DIR", str(tmp_path_factory.mktemp("soa-state")))
        mp.setenv("WORKSHOP_MAX_UPLOAD_BYTES", str(UPLOAD_LIMIT))
        mp.setenv("SOA_WEB_WORKERS", "1")  # keep the 2-core test machine responsive
        for tier in soa.TIERS:
            mp.setenv(f"WORKSHOP_SOA_{tier.upper()}_PORT", str(procs.free_port()))
        try:
            yield soa.up()
        finally:
            soa.down()

