"""Small pieces of the harness: shapes, wrk parsing, the detector, percentiles, metadata, the sampler."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from workshop import metadata, sampler, wrkrun
from workshop.scenarios import rollback
from workshop.scenarios.monitor import percentile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "loadtests"))
import shapes  # noqa: E402

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8001/videos
  1 threads and 16 connections
  Latency Distribution
     50%   27.28ms
     75%   49.35ms
     90%   73.69ms
     99%    1.44s
  1770 requests in 3.04s, 26.97MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    582.91
"""


def test_shapes_steady_step_spike_open():
    assert shapes.steady(0, 10, 5, 60) == (10, 5)
    assert shapes.steady(60, 10, 5, 60) is None
    assert [shapes.step(t, 8, 1, 40)[0] for t in (0, 10, 20, 39)] == [2, 4, 6, 8]
    assert shapes.spike(5, 20, 2, 100)[0] == 5 and shapes.spike(50, 20, 2, 100)[0] == 20
    assert shapes.spike(90, 20, 2, 100)[0] == 5
    assert shapes.open_loop(1, 3, 1, 10)[0] == 3
    with pytest.raises(SystemExit):
        shapes.profile("sawtooth")


def test_wrk_output_parsed():
    out = wrkrun.parse(WRK_OUTPUT)
    assert out["rps"] == 582.91 and out["requests"] == 1770
    assert out["p50_ms"] == 27.28 and out["p99_ms"] == 1440.0
    assert out["errors"] == 3


def test_percentile_nearest_rank():
    assert percentile([], 99) == 0
    assert percentile(list(range(1, 101)), 50) == 50
    assert percentile(list(range(1, 101)), 99) == 99
    assert percentile([5.0], 95) == 5.0


def test_detector_fires_on_errors_or_slow_p95_only():
    params = rollback.RollbackParams(window=20, error_threshold=0.05)
    ok = [(float(i), 200, 10.0) for i in range(20)]
    assert not rollback.bad(ok, 250, params)
    assert rollback.bad(ok[:-1] + [(20.0, 500, 10.0)], 250, params)  # one error in 20 is 5%
    slow = ok[:18] + [(19.0, 200, 400.0), (20.0, 200, 400.0)]
    assert rollback.bad(slow, 250, params)
    assert not rollback.bad([(0.0, 500, 1.0)] * 4, 250, params)  # too few samples to judge


def test_metadata_has_every_field():
    meta = metadata.collect("monolith", "process", "v1", {"users": 3}, seed=7)
    assert set(metadata.REQUIRED) <= set(meta)
    assert len(meta["git_commit"]) == 40
    assert meta["seed"] == 7 and meta["parameters"] == {"users": 3}
    assert meta["packages"]["locust"] and meta["packages"]["psutil"]
    for key in ("cpu_count_logical", "memory_total_mb", "python", "os"):
        assert meta["machine"][key]


def test_sampler_tells_a_busy_process_from_an_idle_one():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with sampler.Sampler(lambda: {"sut": {"spin": busy.pid}, "locust": {"idle": idle.pid}}, 0.2) as s:
            time.sleep(1.5)
    finally:
        for proc in (busy, idle):
            proc.kill()
            proc.wait()
    summary = sampler.summarize(s.rows)
    # The machine is shared, so the spinner may get far less than a core; it still beats a sleeper.
    assert summary["sut"]["cpu_percent_mean"] > 5 + summary["locust"]["cpu_percent_mean"]
    assert summary["locust_was_limit"] is False  # the sleeper neither runs nor waits for a CPU
    assert any(r["group"] == "machine" for r in s.rows)


def test_harness_never_imports_locust_or_gevent():
    code = ("import sys, workshop.bench, workshop.bench_cli, workshop.loadrun, workshop.report, workshop.charts; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('locust', 'gevent')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"  # Locust's monkey-patching would hang a Jupyter kernel


def test_a_starved_locust_counts_as_the_limit():
    rows = [{"t": float(t), "group": "locust", "name": "locust", "pid": 5, "cpu_percent": 30.0,
             "wait_percent": 65.0, "rss_mb": 50.0} for t in range(5)]
    summary = sampler.summarize(rows)
    assert summary["locust_busiest_process_cpu_median"] == 30.0
    assert summary["locust_was_limit"] is True  # it wanted 95% of a core, it got 30%
    rows = [{**r, "wait_percent": 5.0} for r in rows]
    assert sampler.summarize(rows)["locust_was_limit"] is False
