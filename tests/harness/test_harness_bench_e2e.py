"""End to end: `workshop bench --quick --archs monolith` measures, charts and reports, and leaves nothing running.

HARNESS_BENCH_ARCHS (comma list with the monolith, default "monolith") widens it, e.g. to every architecture in CI.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import metadata
from workshop.report import _fmt

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
KINDS = {"latency", "throughput", "resources", "saturation", "coldstart", "cost", "rollback"}
ARCHS = os.environ.get("HARNESS_BENCH_ARCHS", "monolith")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "run"
    done = subprocess.run([sys.executable, "-m", "workshop", "bench", "--quick", "--archs", ARCHS,
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    yield out, done
    # Whatever happened, nothing of the bench may stay up.
    for arch in ARCHS.split(","):
        subprocess.run([sys.executable, "-m", "workshop", "down", arch], cwd=ROOT, capture_output=True,
                       env={**os.environ, "WORKSHOP_STATE_DIR": str(out / "state")}, timeout=120)


def test_bench_exits_cleanly_and_prints_the_summary(bench):
    out, done = bench
    assert done.returncode == 0, done.stderr[-3000:]
    for arch in ARCHS.split(","):
        assert re.search(rf"^{arch}\s+\S+\s+[\d.]+", done.stdout, re.MULTILINE), done.stdout
    assert "monolith GET /videos at saturation: Locust" in done.stdout
    assert f"report: {out / 'report.html'}" in done.stdout


def test_report_has_every_chart_from_this_run(bench):
    out, _ = bench
    index = json.loads((out / "charts" / "index.json").read_text())
    assert {c["kind"] for c in index} == KINDS
    assert {c["arch"] for c in index if c["kind"] == "rollback"} == set(ARCHS.split(","))
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(index)


def test_report_numbers_are_the_ones_measured(bench):
    out, _ = bench
    result = json.loads((out / "monolith" / "result.json").read_text())
    html = (out / "report.html").read_text()
    total = result["load"]["total"]
    assert total["requests"] > 50 and total["rps"] > 1
    rows = (out / "monolith" / "load" / "locust_stats.csv").read_text()
    assert f",Aggregated,{int(total['requests'])}," in rows  # the summary was read from Locust's own CSV
    for value in (total["rps"], total["p99_ms"], result["saturation"]["locust"]["rps"],
                  result["rollback"][0]["time_to_detect_s"]):
        assert _fmt(float(value)) in html, value
    assert result["rollback"][0]["time_to_detect_s"] is not None
    assert result["open_loop"]["total"]["requests"] > 20  # the fixed-arrival-rate run happened
    assert _fmt(float(result["open_loop"]["total"]["p99_ms"])) in html
    assert len(result["coldstart"]["seconds"]) == 3


def test_every_architecture_was_measured(bench):
    out, _ = bench
    results = json.loads((out / "bench.json").read_text())["archs"]
    assert {a: r["status"] for a, r in results.items()} == {a: "ok" for a in ARCHS.split(",")}


def test_metadata_is_complete(bench):
    out, _ = bench
    for path in (out / "metadata.json", *(out / a / "metadata.json" for a in ARCHS.split(","))):
        meta = json.loads(path.read_text())
        assert set(metadata.REQUIRED) <= set(meta), path
    assert json.loads((out / "monolith" / "metadata.json").read_text())["backend"] == "process"


def test_nothing_left_running(bench):
    out, _ = bench
    run = out / "state" / "run"
    leftovers = [p.name for p in run.rglob("*.json")] if run.exists() else []
    assert leftovers == []
