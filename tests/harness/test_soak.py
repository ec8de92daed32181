"""The soak benchmark's parts: growth after warm-up, a paced load that keeps its rate, and a short real soak."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import soak  # noqa: E402
from soaklib import PacedLoad, growth  # noqa: E402


def sample(t: float, rss: float, fds: int, threads: int = 4) -> dict:
    return {"t": t, "components": {"web": {"rss_mib": rss, "fds": fds, "threads": threads}}}


def test_growth_counts_from_the_first_sample_after_warm_up():
    samples = [sample(0, 50, 10), sample(10, 100, 12), sample(20, 105, 12), sample(30, 110, 12, 5)]
    [(name, g)] = growth(samples, warmup_s=10).items()
    assert name == "web" and g["rss_growth_pct"] == pytest.approx(10.0)
    assert (g["fds_delta"], g["threads_delta"]) == (0, 1)


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
