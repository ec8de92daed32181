"""End to end: `workshop bench --quick --archs monolith` measures (soak and faults under load included), charts and
reports, and leaves nothing running.

HARNESS_BENCH_ARCHS (comma list with the monolith, default "monolith") widens it. CI keeps the default: the quick
bench of all four architectures runs there as notebook 13.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import psutil
import pytest

from workshop.measure import metadata
from workshop.report.html import locust_label
from workshop.report.tables import _fmt

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
KINDS = {"latency", "throughput", "resources", "saturation", "coldstart", "cost", "rollback", "soak"}
ARCHS = os.environ.get("HARNESS_BENCH_ARCHS", "monolith")


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (th and td alike); nothing else of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def cell(html: str, column: str, table_has: str, **match: str) -> str:
    """The text of `column` in the one row whose cells equal `match`, in the one table whose header has
    `table_has` (a column no other table of the report has)."""
    parser = _Tables()
    parser.feed(html)
    found = [t for t in parser.tables if t and table_has in t[0]]
    assert len(found) == 1, f"{len(found)} tables with a {table_has!r} column"
    header, *body = found[0]
    rows = [dict(zip(header, r, strict=True)) for r in body]
    rows = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(rows) == 1, (table_has, match, rows)
    return rows[0][column]


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
    tuned = list((out / "tune").glob("tune-*.png")) if (out / "tune").is_dir() else []  # with serverless
    assert html.count("data:image/png;base64,") == len(index) + len(tuned)


def test_report_numbers_are_the_ones_measured(bench):
    out, _ = bench
    result = json.loads((out / "monolith" / "result.json").read_text())
    html = (out / "report.html").read_text()
    total = result["load"]["total"]
    assert total["requests"] > 50 and total["rps"] > 1
    rows = (out / "monolith" / "load" / "locust_stats.csv").read_text()
    assert f",Aggregated,{int(total['requests'])}," in rows  # the summary was read from Locust's own CSV
    # Each figure is read from its own table cell: the page also holds base64 PNGs, where any short
    # number string turns up by chance.
    for key in ("rps", "p50_ms", "p99_ms"):  # the summary table
        assert cell(html, key, "rps_vs_monolith", arch="monolith") == _fmt(float(total[key])), key
    label = locust_label(result["saturation"])  # one process, or a master with the workers that went fastest
    assert cell(html, "rps", "tool", tool=label) == _fmt(float(result["saturation"]["locust"]["rps"]))
    rollback = result["rollback"][0]
    assert rollback["time_to_detect_s"] is not None
    assert cell(html, "time_to_detect_s", "time_to_detect_s", arch="monolith", fault=rollback["fault"]) == _fmt(
        float(rollback["time_to_detect_s"]))
    opened = result["open_loop"]["total"]
    assert opened["requests"] > 20  # the fixed-arrival-rate run happened
    for column, value in (("open_p99_ms", opened["p99_ms"]), ("open_rps", opened["rps"]),
                          ("closed_p99_ms", total["p99_ms"])):
        assert cell(html, column, "open_p99_ms", arch="monolith") == _fmt(float(value)), column
    assert len(result["coldstart"]["seconds"]) == 3
    soak = result["soak"]  # the quick soak: half the measured capacity held for 30 s, sampled every 3 s
    assert soak["requests"] > 30 and soak["rate_rps"] == pytest.approx(soak["capacity_rps"] / 2)
    assert cell(html, "requests", "held_rps", arch="monolith") == str(soak["requests"])
    samples = (out / "monolith" / "soak" / "samples.csv").read_text().splitlines()
    assert len(samples) > 10 and set(soak["growth"]) == {"web"}
    killed = result["faults_under_load"]  # a gunicorn worker killed under load, with uploads in flight
    [worker] = killed["faults"]
    assert worker["recovered_by"].startswith("gunicorn") and worker["recover_s"] is not None
    assert killed["uploads"]["acknowledged"] >= 1 and killed["uploads"]["lost"] == 0
    assert cell(html, "lost", "recovered by", architecture="monolith") == "0"


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
    # The pid records cannot show a leaked load generator. Locust's command line and working folder are under
    # the output folder; wrk has only the URL on its command line, but it inherits the bench's environment,
    # whose WORKSHOP_STATE_DIR is the bench's state dir (so do the architecture's servers).
    marks = (str(out), str(out / "state"))

    def ours(proc: psutil.Process) -> bool:
        if any(m in arg for arg in proc.info["cmdline"] or [] for m in marks):
            return True
        try:
            state = proc.environ().get("WORKSHOP_STATE_DIR")
        except psutil.Error:  # another user's process, or gone meanwhile
            return False
        return state is not None and (Path(state) == out or out in Path(state).parents)

    alive = [(p.info["pid"], " ".join(p.info["cmdline"] or [])[:300])
             for p in psutil.process_iter(["pid", "cmdline"]) if p.info["pid"] != os.getpid() and ours(p)]
    assert alive == [], alive
