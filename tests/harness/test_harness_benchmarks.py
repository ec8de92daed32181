"""The scripts in benchmarks/, without servers: a failed `up` is still brought down, missing figures stay missing."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_lambda_platform  # noqa: E402
import microservices_figures  # noqa: E402
import monolith_figures  # noqa: E402
import rollback_orchestrator  # noqa: E402
import serverless_figures  # noqa: E402
import soa_vs_monolith  # noqa: E402

from workshop.measure.client import CatalogClient, NotReady  # noqa: E402


class HalfUp:
    """An architecture module whose up() fails after starting some processes."""

    def __init__(self) -> None:
        self.downs = 0

    def up(self, **_) -> str:
        raise RuntimeError("the second process never became healthy")

    def down(self) -> None:
        self.downs += 1


ARGS = argparse.Namespace(videos=1, threads=1, warmup=0.0, duration=0.0, uploads=1, cold_samples=1, warm_samples=1,
                          backend=None)


@pytest.mark.parametrize("script", [soa_vs_monolith, serverless_figures])
def test_a_failed_up_is_brought_down(script, monkeypatch):
    arch = HalfUp()
    monkeypatch.setattr(script, "load_arch", lambda name: arch)
    with pytest.raises(RuntimeError, match="never became healthy"):
        script.measure("monolith", ARGS, *([Path("clip.mp4")] if script is serverless_figures else []))
    assert arch.downs == 1


def test_a_failed_microservices_up_is_brought_down(monkeypatch):
    arch = HalfUp()
    monkeypatch.setattr(microservices_figures, "microservices", SimpleNamespace(up=arch.up, down=arch.down))
    with pytest.raises(RuntimeError, match="never became healthy"):
        microservices_figures.measure_microservices(ARGS, [])
    assert arch.downs == 1


def test_a_failed_up_of_a_rollback_row_is_brought_down(monkeypatch):
    arch = HalfUp()
    monkeypatch.setattr(rollback_orchestrator, "microservices", SimpleNamespace(up=arch.up, down=arch.down))
    with pytest.raises(RuntimeError, match="never became healthy"):
        rollback_orchestrator.one_row("swarm", quick=True)
    assert arch.downs == 1


def test_rollback_rows_time_from_the_release_start_and_keep_a_missing_detection_missing():
    row = {"backend": "swarm", "rolled_back_by": "orchestrator", "fault": "unhealthy:get_video",
           "events_epoch": {"deploy": 100.0, "detected": 126.5, "recovered": 126.75},
           "locust": {"failures": 40, "requests": 900}}
    figures = rollback_orchestrator.figures(row)
    assert (figures["detect s"], figures["recover s"], figures["failed requests"]) == (26.5, 26.75, 40)
    row["events_epoch"].update(detected=None, recovered=None)
    missing = rollback_orchestrator.figures({**row, "rolled_back_by": None})
    assert missing["detect s"] is None and missing["recover s"] is None
    assert "detect s" in rollback_orchestrator.table([figures, missing]).splitlines()[0]


def test_monolith_figures_print_the_machine_and_no_time_for_a_failed_upload(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))  # main() sets it; monkeypatch restores it afterwards
    downs = []
    monkeypatch.setattr(monolith_figures.monolith, "up", lambda: "http://127.0.0.1:9")
    monkeypatch.setattr(monolith_figures.monolith, "down", lambda: downs.append(1))
    monkeypatch.setattr(monolith_figures.seed, "create_videos", lambda url, n: [])
    load = {"total": {"rps": 100.0, "p50_ms": 10.0, "p99_ms": 50.0, "error_rate": 0.0}, "peak_rps": 110.0,
            "resources": {}}
    monkeypatch.setattr(monolith_figures, "saturation", lambda *a: load)
    monkeypatch.setattr(monolith_figures.testmedia, "make_clip", lambda path, *a, **kw: path)
    monkeypatch.setattr(monolith_figures.transcode, "time_direct_render", lambda clip, folder: 2.0)

    def failed(self, clip):
        raise NotReady({"id": "v1", "status": "failed", "error": "ffmpeg exited 1"}, 3.0)

    monkeypatch.setattr(CatalogClient, "upload_to_ready_s", failed)
    monkeypatch.setattr(monolith_figures.metadata, "machine", lambda: {"cpu_count_logical": 7, "cpu_model": "Test"})
    assert monolith_figures.main(["--seconds", "1"]) == 0
    out = capsys.readouterr().out
    assert downs == [1]
    assert "7 logical cores (Test)" in out  # the measured machine, not a constant
    assert "upload-to-ready not measured" in out and "ffmpeg exited 1" in out and "; ratio" not in out


def test_serverless_figures_time_only_the_uploads_that_became_ready():
    class Client:
        outcomes = iter([(4.0, {"status": "ready"}), NotReady({"id": "v2", "status": "failed"}, 1.0)])

        def upload_to_ready_s(self, clip):
            outcome = next(self.outcomes)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

    out = serverless_figures.timed_uploads(Client(), Path("clip.mp4"), 2)
    assert out["upload_to_ready_s"] == [4.0]
    assert len(out["upload_not_ready"]) == 1 and "failed" in out["upload_not_ready"][0]
    assert serverless_figures.median_or_none([]) is None


def test_gateway_throughput_counts_only_200s_over_the_measured_window(monkeypatch, capsys):
    answers = itertools.cycle([200, 503, "boom", 200])

    def get(self, url, timeout):
        answer = next(answers)
        if answer == "boom":
            raise requests.ConnectionError("connection reset")
        return SimpleNamespace(status_code=answer)

    monkeypatch.setattr(requests.Session, "get", get)
    figures = bench_lambda_platform.throughput("http://127.0.0.1:9/ping", clients=1, seconds=0.2)
    total = figures["gateway_ok"] + figures["gateway_non_200"] + figures["gateway_exceptions"]
    assert total >= 4 and figures["gateway_ok"] >= 2  # the exception did not end the worker
    assert figures["gateway_non_200"] >= 1 and figures["gateway_exceptions"] >= 1
    assert figures["gateway_errors"] == figures["gateway_non_200"] + figures["gateway_exceptions"]
    assert figures["gateway_rps"] == pytest.approx(figures["gateway_ok"] / figures["gateway_wall_s"])
    assert figures["gateway_wall_s"] >= 0.2
    assert "non-200 answers" in capsys.readouterr().out


def test_gateway_throughput_has_no_percentiles_without_a_200(monkeypatch):
    monkeypatch.setattr(requests.Session, "get", lambda self, url, timeout: SimpleNamespace(status_code=500))
    figures = bench_lambda_platform.throughput("http://127.0.0.1:9/ping", clients=2, seconds=0.05)
    assert figures["gateway_ok"] == 0 and figures["gateway_non_200"] > 0
    assert figures["gateway_p50_ms"] is None and figures["gateway_p99_ms"] is None
