"""The soak benchmark's parts: growth after warm-up, a paced load that keeps its rate, and a short real soak."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from workshop.endurance.paced import PacedLoad
from workshop.endurance.trend import growth, verdict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import soak  # noqa: E402


def sample(t: float, rss: float, fds: int, threads: int = 4) -> dict:
    return {"t": t, "components": {"web": {"rss_mib": rss, "fds": fds, "threads": threads}}}


def test_growth_counts_from_the_first_sample_after_warm_up():
    samples = [sample(0, 50, 10), sample(10, 100, 12), sample(20, 105, 12), sample(30, 110, 12, 5)]
    [(name, g)] = growth(samples, warmup_s=10).items()
    assert name == "web" and g["rss_growth_pct"] == pytest.approx(10.0)
    assert (g["fds_delta"], g["threads_delta"]) == (0, 1)


def test_verdict_names_each_goal_that_failed():
    grown = {"growth": growth([sample(0, 100, 10), sample(10, 100, 10), sample(20, 115, 11)], 10),
             "errors": 3, "errors_after_warmup": 0}  # throttles while starting up are not judged
    assert verdict(grown) == {"rss": False, "fds": False, "errors": True}
    flat = {"growth": growth([sample(0, 100, 10), sample(10, 100, 10), sample(20, 105, 9)], 10),
            "errors": 2, "errors_after_warmup": 2}
    assert verdict(flat) == {"rss": True, "fds": True, "errors": False}


def test_descriptors_opened_early_are_a_pool_and_new_highs_late_are_a_leak():
    pool = [sample(0, 100, 10), sample(10, 100, 12), sample(20, 100, 14), sample(30, 100, 14), sample(40, 100, 13)]
    [(_, settled)] = growth(pool, 10).items()
    assert settled["fds_delta"] == 1 and settled["fds_new_high"] is False
    leak = [sample(0, 100, 10), sample(10, 100, 10), sample(20, 100, 11), sample(30, 100, 12), sample(40, 100, 13)]
    [(_, leaking)] = growth(leak, 10).items()
    assert leaking["fds_delta"] == 3 and leaking["fds_new_high"] is True


@pytest.fixture()
def tiny_api():
    """A local API whose GETs answer 200 and views 202, except for video `bad` (500)."""

    @Request.application
    def app(request: Request) -> Response:
        if "bad" in request.path:
            return Response("{}", 500)
        return Response("{}", 202 if request.method == "POST" else 200)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_paced_load_keeps_its_rate_and_counts_errors(tiny_api):
    good = PacedLoad(tiny_api, ["v1"], rate=40, threads=4)
    ticks = []
    good.run(1.0, lambda: ticks.append(1), 0.25)
    window = good.window(0)
    # Never faster than the rate (a slow machine may serve fewer in time: no lower bound but one request).
    assert 1 <= window["requests"] <= 40 * 1.0 + 4 and window["errors"] == 0 and len(ticks) >= 4
    bad = PacedLoad(tiny_api, ["bad"], rate=20, threads=2)
    bad.run(0.5, lambda: None, 0.5)
    assert bad.window(0)["errors"] > 0  # GET /videos/bad and its views fail; only the list succeeds


def test_a_short_soak_of_the_monolith_has_no_errors_and_samples_its_process(tmp_path, capsys):
    assert soak.main(["--archs", "monolith", "--minutes", "0.25", "--quick", "--every", "2",
                      "--json", str(tmp_path / "soak.json")]) == 0
    out = capsys.readouterr().out
    assert "monolith" in out and "RSS MiB" in out
    result = json.loads((tmp_path / "soak.json").read_text())["results"]["monolith"]
    assert result["requests"] > 0 and result["errors"] == 0
    assert result["growth"]["web"]["rss_end_mib"] > 0


def test_workshop_soak_brings_the_monolith_up_holds_and_judges_it(tmp_path, capsys, monkeypatch):
    from workshop.cli.main import main
    from workshop.runtime import procs

    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("WORKSHOP_MONOLITH_PORT", str(procs.free_port()))
    assert main(["soak", "monolith", "--quick", "--minutes", "0.25", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "goals: rss met, fds met, errors met" in out
    record = json.loads((tmp_path / "out" / "soak.json").read_text())["monolith"]
    assert record["rate_rps"] == pytest.approx(record["capacity_rps"] / 2) and record["errors"] == 0
    assert (tmp_path / "out" / "monolith" / "samples.csv").read_text().count("\n") > 5
    assert procs.load_arch("monolith") is None  # brought down again


def test_a_listed_child_counts_only_as_itself(tmp_path):
    import subprocess

    from workshop.endurance.trend import component_usage

    # A parent holding ~60 MiB with a child that is a component of its own (as environments under the local AWS).
    script = ("import subprocess, sys, time; b = bytearray(60 * 2**20); "
              "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); "
              "print(c.pid, flush=True); time.sleep(30)")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        child = int(parent.stdout.readline())
        alone = component_usage({"parent": parent.pid})["parent"]
        split = component_usage({"parent": parent.pid, "child": child})
        assert split["parent"]["rss_mib"] == pytest.approx(alone["rss_mib"] - split["child"]["rss_mib"], rel=0.05)
        assert split["parent"]["threads"] == alone["threads"] - split["child"]["threads"]
    finally:
        parent.kill()
        parent.wait()
        if child:
            subprocess.run(["kill", "-9", str(child)], check=False)
