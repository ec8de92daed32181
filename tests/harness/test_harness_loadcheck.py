"""Load runs that cannot measure anything: refused before they start, or failed when Locust's tasks broke."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading

import pytest

from workshop.measure import loadcheck, loadrun
from workshop.runtime import procs


def test_the_open_shape_with_tags_has_no_task_and_closed_shapes_keep_the_tagged_ones():
    assert loadcheck.tasks_left("open", "browse") == []
    assert loadcheck.tasks_left("open", None) == ["arrivals"]
    assert loadcheck.tasks_left("steady", "browse") == ["t_list", "t_open", "t_search", "t_trending"]
    assert loadcheck.tasks_left("spike", "write,view") == ["t_open", "t_upload", "t_view"]
    assert loadcheck.tasks_left("step", "nonsense") == []


def test_check_names_the_way_out():
    with pytest.raises(loadcheck.LoadRunError, match="Drop --tags, or use a closed-loop shape"):
        loadcheck.check("open", "browse")
    with pytest.raises(loadcheck.LoadRunError, match="its tags are: browse, list, search"):
        loadcheck.check("steady", "nonsense")
    loadcheck.check("steady", "list")  # the saturation test's options pass


def test_workshop_load_refuses_before_starting_anything(tmp_path):
    """Exit code 2 with the reason; the architecture was not brought up and no results folder was made."""
    env = {**os.environ, "WORKSHOP_STATE_DIR": str(tmp_path / "state")}
    out = tmp_path / "results"
    proc = subprocess.run([sys.executable, "-m", "workshop", "load", "monolith", "--shape", "open", "--tags",
                           "browse", "-t", "5", "--out", str(out)], env=env, capture_output=True, text=True,
                          timeout=120, cwd=procs.PROJECT_ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "--shape open --tags browse leaves Locust no task" in proc.stderr
    assert not out.exists()
    assert not list((tmp_path / "state").glob("run/monolith/*.json"))  # no process was recorded


@pytest.fixture
def quiet_server():
    class Ok(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = b'{"items": [], "next_cursor": null}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_run_whose_locust_log_shows_task_errors_is_failed_not_summarized(tmp_path, monkeypatch, quiet_server):
    """Real Locust with the refused options let through: it logs "No tasks defined" and run_load raises."""
    monkeypatch.setattr(loadcheck, "check", lambda shape, tags, locustfile=None: None)
    params = loadrun.LoadParams(shape="open", tags="browse", users=1, spawn_rate=1, duration_s=3)
    with pytest.raises(loadcheck.LoadRunError, match="No tasks defined on ArrivalUser"):
        loadrun.run_load(quiet_server, tmp_path, params, lambda: {})
    assert (tmp_path / "locust.log").exists()


def test_task_errors_reads_tracebacks_and_ignores_a_clean_log(tmp_path):
    (tmp_path / "locust.log").write_text("[2026] h/WARNING/root: Starting\n")
    assert loadcheck.task_errors(tmp_path) == []
    (tmp_path / "locust.log").write_text("[2026] h/ERROR/locust.user.task: boom\nTraceback (most recent call last):\n")
    assert loadcheck.task_errors(tmp_path) == ["Traceback (most recent call last):"]
