"""`workshop up` through the real command: a second start is refused and leaves the first one serving."""

from __future__ import annotations

import os
import subprocess
import sys

import psutil
import requests

from workshop.runtime import procs

CLI = [sys.executable, "-m", "workshop"]


def test_a_second_up_is_refused_and_the_running_monolith_keeps_serving(tmp_path):
    env = {**os.environ, "WORKSHOP_STATE_DIR": str(tmp_path), "WORKSHOP_MONOLITH_PORT": str(procs.free_port())}
    try:
        first = subprocess.run([*CLI, "up", "monolith", "--detach"], env=env, capture_output=True, text=True,
                               timeout=120, stdin=subprocess.DEVNULL)
        assert first.returncode == 0, first.stderr[-2000:]
        url = first.stdout.strip().splitlines()[-1]
        second = subprocess.run([*CLI, "up", "monolith", "--detach"], env=env, capture_output=True, text=True,
                                timeout=120, stdin=subprocess.DEVNULL)
        assert second.returncode != 0 and "already up" in second.stderr
        assert requests.get(f"{url}/health", timeout=10).json()["architecture"] == "monolith"
    finally:
        down = subprocess.run([*CLI, "down", "monolith"], env=env, capture_output=True, text=True, timeout=120)
        assert down.returncode == 0, down.stderr
    leftovers = [p for p in psutil.process_iter(["cmdline"]) if str(tmp_path) in " ".join(p.info["cmdline"] or [])]
    assert leftovers == [], leftovers
