"""Small pieces of the harness: shapes, wrk parsing, the detector, percentiles, metadata, the sampler,
missing measurements (kept missing, never 0)."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from pathlib import Path

import pytest
from matplotlib.axes import Axes

from workshop.measure import loadrun, metadata, sampler, wrkrun
from workshop.measure.client import CatalogClient, NotReady
from workshop.report import charts
from workshop.report.timeline_chart import rollback_chart
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
    code = ("import sys, workshop.bench, workshop.cli.bench, workshop.measure.loadrun, workshop.report.html, "
            "workshop.report.charts; "
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


def test_sut_cpu_is_not_measured_without_samples_of_the_system_under_test():
    locust_only = [{"t": float(t), "group": "locust", "name": "locust", "pid": 5, "cpu_percent": 50.0}
                   for t in range(4)]
    assert loadrun.sut_cpu_seconds(locust_only) is None  # not 0.0: an unseen system is no idle system
    assert loadrun.sut_cpu_seconds([]) is None
    first_tick_only = [{"t": 0.0, "group": "sut", "name": "web", "pid": 6, "cpu_percent": 80.0}, *locust_only]
    assert loadrun.sut_cpu_seconds(first_tick_only) is None  # no interval covered
    sut = [{"t": float(t), "group": "sut", "name": "web", "pid": 6, "cpu_percent": 50.0} for t in range(4)]
    assert loadrun.sut_cpu_seconds(sut + locust_only) == 1.5  # 3 one-second intervals at half a core
    idle = [{**r, "cpu_percent": 0.0} for r in sut]
    assert loadrun.sut_cpu_seconds(idle) == 0.0  # measured idle stays 0


def test_upload_to_ready_is_no_measurement_when_the_video_failed(monkeypatch):
    client = CatalogClient("http://127.0.0.1:9")
    monkeypatch.setattr(client, "create", lambda title: {"id": "v1", "upload": {}})
    monkeypatch.setattr(client, "upload", lambda video, path: None)
    settled = {"id": "v1", "status": "failed", "error": "ffmpeg exited 1"}
    monkeypatch.setattr(client, "wait_settled", lambda video_id: settled)
    with pytest.raises(NotReady, match="ffmpeg exited 1") as caught:
        client.upload_to_ready_s("clip.mp4")
    assert caught.value.video == settled
    settled = {"id": "v1", "status": "ready"}
    seconds, video = client.upload_to_ready_s("clip.mp4")
    assert video == settled and seconds >= 0


def _drawn(monkeypatch, method: str) -> list[tuple[tuple, dict]]:
    """Record the arguments of every Axes.<method> call (the call itself still happens)."""
    calls: list[tuple[tuple, dict]] = []
    original = getattr(Axes, method)

    def spy(self, *args, **kwargs):
        calls.append((args, kwargs))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Axes, method, spy)
    return calls


def test_latency_chart_draws_a_missing_percentile_as_a_gap_not_zero(tmp_path, monkeypatch):
    folder = tmp_path / "monolith" / "load"
    folder.mkdir(parents=True)
    header = ["Type", "Name", "Request Count", "Failure Count", "Average Response Time", "Average Content Size",
              "Requests/s", "50%", "95%", "99%"]
    (folder / "locust_stats.csv").write_text(",".join(header) + "\n,Aggregated,10,0,5,900,2.0,4,9,N/A\n")
    bars = _drawn(monkeypatch, "bar")
    assert charts.latency(tmp_path, tmp_path / "latency.png")
    heights = [args[1][0] for args, _ in bars]
    assert heights[:2] == [4.0, 9.0] and math.isnan(heights[2])


def test_rollback_chart_draws_a_missing_p99_as_a_gap_not_zero(tmp_path, monkeypatch):
    import fakebench  # the report tests' bench folder (tests/harness is on sys.path)

    fakebench.rollback_folder(tmp_path)
    history = tmp_path / "locust_stats_history.csv"
    lines = history.read_text().splitlines()
    column = lines[0].split(",").index("99%")
    cells = lines[-1].split(",")  # the last second's Aggregated row: no p99 in its window
    cells[column] = "N/A"
    history.write_text("\n".join([*lines[:-1], ",".join(cells)]) + "\n")
    lines_drawn = _drawn(monkeypatch, "plot")
    assert rollback_chart(tmp_path, tmp_path / "rollback.png", "monolith")
    p99 = next(args[1] for args, kw in lines_drawn if kw.get("label", "").startswith("Locust p99"))
    assert math.isnan(p99[-1]) and 0 not in p99
