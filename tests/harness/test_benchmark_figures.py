"""The issue 12 and 18 benchmark scripts' own logic, without servers: failures by kind, the verdict, the targets."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import emulator_bench  # noqa: E402
import emulator_report  # noqa: E402
import serverless_emulator  # noqa: E402
import soak_serverless  # noqa: E402

FAILURES = ("Method,Name,Error,Occurrences,First Seen,Last Seen\n"
            "GET,GET /videos,LocustBadStatusCode(code=429),17,2026-12-06T11:44:04Z,2026-12-06T11:44:12Z\n"
            "GET,GET /trending,LocustBadStatusCode(code=500),2,2026-12-06T11:44:05Z,2026-12-06T11:44:05Z\n"
            "GET,GET /videos/{id},\"ConnectionRefusedError(111, 'Connection refused')\",3,"
            "2026-12-06T11:44:06Z,2026-12-06T11:44:07Z\n")
STARTED = 1_796_557_440.0  # 2026-12-06T11:44:00Z


def test_soak_counts_connection_errors_apart_from_http_statuses(tmp_path):
    (tmp_path / "locust_failures.csv").write_text(FAILURES)
    assert soak_serverless.failures_by_kind(tmp_path) == {"http": {"429": 17, "500": 2},
                                                         "connection": {"ConnectionRefusedError": 3}}


@pytest.mark.parametrize(("growth", "five_xx", "code"), [(9.9, 0, 0), (10.5, 0, 1), (2.0, 1, 1)])
def test_soak_fails_on_issue_18s_bar(growth, five_xx, code, capsys):
    assert soak_serverless.verdict({"rss_growth_pct": growth, "status_5xx": five_xx}) == code
    assert ("FAILED" in capsys.readouterr().out) == bool(code)


def test_quick_bench_failures_carry_their_status_and_when_they_were_seen(tmp_path):
    (tmp_path / "locust_failures.csv").write_text(FAILURES)
    rows = emulator_bench.failures(tmp_path, STARTED)
    assert [(r["status"], r["occurrences"], r["first_s"], r["last_s"]) for r in rows] == [
        (429, 17, 4.0, 12.0), (500, 2, 5.0, 5.0), (0, 3, 6.0, 7.0)]


def test_a_workshop_bench_folder_is_read_as_run(tmp_path):
    load = {"started": STARTED, "finished": STARTED + 15,
            "total": {"requests": 100, "p50_ms": 60.0, "error_rate": 0.19}}
    bench = {"archs": {"monolith": {"status": "ok", "load": {**load, "total": {**load["total"], "p50_ms": 6.0,
                                                                                  "error_rate": 0.0}}},
                       "serverless": {"status": "ok", "load": load}}}
    (tmp_path / "bench.json").write_text(json.dumps(bench))
    (tmp_path / "serverless" / "load").mkdir(parents=True)
    (tmp_path / "serverless" / "load" / "locust_failures.csv").write_text(FAILURES)
    got = emulator_bench.read(tmp_path)
    assert set(got) == {"monolith", "as run"}
    assert (got["as run"]["status_429"], got["as run"]["status_5xx"], got["as run"]["no_answer"]) == (17, 2, 3)
    assert got["as run"]["throttles_after_warmup"] is None  # no local AWS records in the folder: not made up


def test_targets_are_judged_per_mode_and_missing_figures_stay_missing(capsys):
    sat = {"rps": 300.0, "p50_ms": 5.0, "errors": 0}
    direct = {"monolith": {"saturation": sat},
              "plain moto": {"query21_p50_ms": 29.0, "list_tables_p50_ms": 3.5, "videos_p50_ms": 35.0,
                             "health_p50_ms": 3.7, "saturation": {**sat, "rps": 12.0}},
              "fast path": {"query21_p50_ms": 5.0, "list_tables_p50_ms": 3.5, "videos_p50_ms": 9.0,
                            "health_p50_ms": 3.7, "saturation": {**sat, "rps": 90.0}}}
    ok = {"status": "ok", "requests": 100, "p50_ms": 20.0, "error_rate": 0.0, "status_429": 0, "status_5xx": 0,
          "no_answer": 0, "failures": [], "limit": 7, "peak_environments": 5, "throttles": 2,
          "throttles_after_warmup": 0}
    bench = {"monolith": {**ok, "p50_ms": 5.0, "limit": None}, "fast path": ok}
    ratios = emulator_report.report(direct, bench, 5.0)
    assert ratios["plain moto"]["query_vs_list_tables"] == pytest.approx(29 / 3.5)
    assert ratios["fast path"]["bench_p50_vs_monolith"] == 4.0 and ratios["plain moto"]["bench_p50_vs_monolith"] is None
    table = capsys.readouterr().out.split("figure (issue 12)")[1]
    assert "x8.3 MISSED" in table and "x1.4 met" in table and "30% met" in table and "4% MISSED" in table
    assert "x4.0 met" in table


def test_a_failed_up_is_brought_down(monkeypatch):
    downs = []

    class HalfUp:
        def up(self, **_):
            raise RuntimeError("the local AWS never became healthy")

        def down(self):
            downs.append(1)

    monkeypatch.setattr(serverless_emulator, "load_arch", lambda name: HalfUp())
    args = argparse.Namespace(videos=1, samples=1, threads=1, warmup=0.0, duration=0.0)
    with pytest.raises(RuntimeError, match="never became healthy"):
        serverless_emulator.measure("serverless", args, plain_moto=True)
    assert downs == [1]
    assert "WORKSHOP_LOCALAWS_PLAIN_MOTO" not in __import__("os").environ  # the mode switch is undone
