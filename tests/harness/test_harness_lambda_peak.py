"""The serverless runs' peak environments against the limit, from the local platform's per-second record."""

from __future__ import annotations

from localaws.runtime import meter as meter_module
from localaws.runtime.meter import ConcurrencyMeter
from workshop.archs import load
from workshop.measure.lambda_peak import lambda_peaks, peak_rows
from workshop.report import html as report


def test_each_run_gets_the_peak_of_its_own_seconds(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    clock = {"now": 1000.0}
    monkeypatch.setattr(meter_module.time, "time", lambda: clock["now"])
    module = load("serverless")
    meter = ConcurrencyMeter(module.state_dir(), lambda: 10)  # where the local AWS of `workshop up` writes it
    for second, busy, throttles in ((1000, 2, 0), (1001, 7, 2), (1002, 1, 0), (1010, 4, 0), (1011, 3, 1)):
        clock["now"] = second + 0.5
        meter.busy(busy, reserved=3)
        for _ in range(throttles):
            meter.throttled()
        meter.busy(0)  # released within the same second: the second's peak stays
    clock["now"] = 1020.0
    meter.tick()
    result = {"load": {"started": 999.0, "finished": 1003.0}, "open_loop": {"started": 1009.5, "finished": 1012.0}}
    peaks = lambda_peaks(module, result)
    assert peaks["load"] == {"peak": 7, "throttles": 2, "limit": 10, "reserved": 3, "seconds": 3, "unreserved_limit": 7}
    assert peaks["open_loop"]["peak"] == 4 and peaks["open_loop"]["throttles"] == 1
    rows = peak_rows({"archs": {"serverless": {"lambda_concurrency": peaks}}})
    assert [r["run"] for r in rows] == ["load", "open_loop"]
    cells = report.table(rows)
    assert "<td>serverless</td><td>load</td><td>7</td><td>10</td><td>3</td><td>7</td><td>2</td>" in cells


def test_no_record_means_not_measured(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    run = {"load": {"started": 1.0, "finished": 2.0}}
    assert lambda_peaks(load("serverless"), run) == {"load": None, "open_loop": None}  # nothing recorded yet
    assert lambda_peaks(load("monolith"), run) == {"load": None, "open_loop": None}  # no functions at all
