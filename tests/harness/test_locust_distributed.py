"""Locust distributed (`--workers N`): a master and N local workers share one load and one set of CSVs."""

from __future__ import annotations

import csv
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import pytest

from workshop.measure import distributed, loadrun


class _Videos(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        body = json.dumps({"items": [{"id": "v1", "title": "a video"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def videos_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Videos)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_master_and_workers_bind_and_connect_on_loopback_only(tmp_path):
    argv = loadrun.locust_argv("http://127.0.0.1:1", tmp_path, loadrun.LoadParams(workers=3), master_port=5599)
    assert argv[argv.index("--master-bind-host") + 1] == "127.0.0.1"
    assert argv[argv.index("--expect-workers") + 1] == "3" and "--master" in argv
    worker = distributed.worker_argv(loadrun.LOCUSTFILE, 5599)
    assert worker[worker.index("--master-host") + 1] == "127.0.0.1" and "--worker" in worker
    with pytest.raises(ValueError):
        distributed.Workers(0, loadrun.LOCUSTFILE, 5599, tmp_path, None)


def test_a_run_with_two_workers_counts_every_workers_requests_and_leaves_no_process(tmp_path, videos_url):
    params = loadrun.LoadParams(users=4, spawn_rate=4, duration_s=4, think_time="0.05", tags="list", workers=2)
    out = loadrun.run_load(videos_url, tmp_path, params, lambda: {})
    assert out["total"]["requests"] > 20 and out["total"]["failures"] == 0, (tmp_path / "locust.log").read_text()
    with (tmp_path / "resources.csv").open() as fh:
        sampled = {row["name"] for row in csv.DictReader(fh) if row["group"] == "locust"}
    assert {"locust", "locust-worker-1", "locust-worker-2"} <= sampled
    children = [p for p in psutil.Process().children(recursive=True) if p.is_running() and p.status() != "zombie"]
    assert not [p for p in children if "locust" in " ".join(p.cmdline())]
