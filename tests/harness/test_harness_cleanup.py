"""Serverless leftovers: `down` removes the local AWS's unpacked code, `workshop clean` its records and stale builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg

from workshop.archs.serverless import arch as serverless
from workshop.runtime import cleanup, procs


def _leftovers(state: Path) -> dict[str, Path]:
    base = state / "run" / "serverless" / "localaws"
    build = state / "build" / "serverless"
    files = {"code": base / "code" / "list_videos" / "1-abc" / "task" / "app.py",
             "env": base / "envs" / "e1" / "tmp" / "scratch",
             "records": base / "lambda" / "invocations.jsonl", "peaks": base / "lambda" / "concurrency.jsonl",
             "old_layer": build / "ffmpeg-layer-0.0.1.zip", "part": build / "function.part",
             "layer": build / f"ffmpeg-layer-{imageio_ffmpeg.__version__}.zip", "zip": build / "function.zip"}
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
    return files


def _clean(state: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workshop", "clean"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "WORKSHOP_STATE_DIR": str(state)}, cwd=procs.PROJECT_ROOT)


def test_down_then_clean_remove_what_no_running_system_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    files = _leftovers(tmp_path)
    procs.start("serverless", "localaws", [sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        refused = _clean(tmp_path)
        assert refused.returncode == 1 and "serverless is up" in refused.stderr
        assert all(p.exists() for p in files.values())  # a running local AWS keeps everything
    finally:
        serverless.down()  # stops the recorded process, then removes its unpacked code
    assert not cleanup.running()
    assert not files["code"].exists() and not files["env"].exists()
    assert files["records"].exists() and files["peaks"].exists()  # the report's data stays until `clean`
    done = _clean(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "(4000 bytes)" in done.stdout and "invocations.jsonl" in done.stdout
    gone = [files[k].exists() for k in ("records", "peaks", "old_layer", "part")]
    assert gone == [False] * 4
    assert files["layer"].exists() and files["zip"].exists()  # the current packages are the next up's cache
    assert _clean(tmp_path).stdout.strip() == "nothing to remove"
