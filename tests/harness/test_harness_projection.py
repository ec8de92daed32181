"""The projection for AWS: local-AWS service time replaced by published per-call latencies."""

from __future__ import annotations

import json

import pytest

from serverless.deploy.reports import with_service_time
from workshop.cost import projection, usage
from workshop.report.accounting import accounting_rows

LAT = {"default_ms": {"value": 10.0}, "operations": {"dynamodb.Query": {"ms": 8.0}, "s3.GetObject": {"ms": 30.0}}}


def rec(duration, service, calls, billed=None, memory=1024, **kw):
    return {"duration_ms": duration, "service_ms": service, "service_calls": calls, "memory_mb": memory,
            "billed_ms": billed if billed is not None else int(-(-duration // 1)), **kw}


def test_service_time_is_replaced_call_by_call():
    p = projection.project(rec(100.4, 60.0, {"dynamodb.Query": 2, "sns.Publish": 1}), LAT)
    assert p["code_ms"] == pytest.approx(40.4) and p["service_ms"] == 60.0
    assert p["aws_service_ms"] == 2 * 8.0 + 10.0  # sns.Publish is not listed: the default
    assert p["projected_ms"] == pytest.approx(40.4 + 26.0)
    assert p["projected_billed_ms"] == 67  # 1 ms steps, rounded up


def test_billed_init_stays_in_the_projection():
    # A cold start's Billed Duration holds INIT (250 ms) too: only the call's part changes.
    p = projection.project(rec(50.0, 40.0, {"s3.GetObject": 1}, billed=300), LAT)
    assert p["projected_billed_ms"] == 300 - 50 + 40


def test_service_time_never_exceeds_duration_and_records_without_it_are_unchanged():
    assert projection.project(rec(10.0, 25.0, {}), LAT)["code_ms"] == 0.0
    old = {"duration_ms": 20.0, "billed_ms": 20, "memory_mb": 1024}
    s = projection.split([old], LAT)
    assert s["with_service_time"] == 0 and s["projected_gb_s"] == s["billed_gb_s"] == pytest.approx(20 / 1000)


def test_split_sums_gb_seconds_by_memory():
    s = projection.split([rec(100.0, 50.0, {"dynamodb.Query": 1}, memory=512),
                          rec(10.0, 0.0, {}, memory=2048)], LAT)
    assert s["code_gb_s"] == pytest.approx(50 / 1000 * 0.5 + 10 / 1000 * 2)
    assert s["service_gb_s"] == pytest.approx(50 / 1000 * 0.5)
    assert s["projected_gb_s"] == pytest.approx(58 / 1000 * 0.5 + 10 / 1000 * 2)


def test_reports_join_the_platform_records_by_request_id():
    joined = with_service_time(
        [{"request_id": "a", "duration_ms": 5.0}, {"request_id": "b", "duration_ms": 6.0}],
        [{"request_id": "a", "service_ms": 3.0, "service_calls": {"s3.GetObject": 1}}])
    assert joined[0]["service_ms"] == 3.0 and joined[0]["service_calls"] == {"s3.GetObject": 1}
    assert "service_ms" not in joined[1]


def test_user_latency_file_replaces_entries(tmp_path, monkeypatch):
    path = tmp_path / "lat.json"
    path.write_text(json.dumps({"operations": {"dynamodb.Query": {"ms": 2.5}}}))
    monkeypatch.setenv("WORKSHOP_AWS_LATENCY", str(path))
    data = projection.load_latencies()
    assert projection.call_ms(data, "dynamodb.Query") == 2.5 and projection.call_ms(data, "s3.GetObject") > 0


def test_bundled_latencies_have_sources_and_dates():
    data = projection.load_latencies()
    for op, entry in data["operations"].items():
        assert "." in op and entry["ms"] > 0 and entry["source"].startswith("https://") and entry["date"]
        assert entry["says"]


def test_usage_bills_the_projection_and_the_report_shows_both(monkeypatch):
    monkeypatch.setattr(projection, "load_latencies", lambda path=None: LAT)
    records = [rec(100.0, 80.0, {"dynamodb.Query": 2}, timestamp=5.0) for _ in range(4)]
    arch = type("A", (), {"lambda_invocations": staticmethod(lambda: records)})()
    lam = usage.lambda_usage(arch, {"started": 0.0, "finished": 10.0, "total": {"requests": 4}})
    assert lam["per_request"]["gb_s"] == pytest.approx(0.1)
    assert lam["per_request"]["projected_gb_s"] == pytest.approx(0.036)  # 20 ms code + 2 x 8 ms
    result = {"arch": "serverless", "status": "ok", "lambda": lam,
              "load": {"total": {"requests": 4, "p50_ms": 150.0}}, "seed": {}}
    m = usage.measured(result)
    assert m.lambda_gb_s_per_request == pytest.approx(0.036) and m.lambda_measured_gb_s_per_request == 0.1
    measured, projected = accounting_rows({"archs": {"serverless": result}})
    assert measured["services_ms_per_request"] == 80.0 and measured["code_ms_per_request"] == 20.0
    assert projected["services_ms_per_request"] == 16.0 and projected["p50_ms"] == pytest.approx(150 - 80 + 16)
    assert projected["figures"].startswith("projection for AWS")


def test_report_html_shows_the_split_the_projection_and_the_calls_on_the_default(tmp_path, monkeypatch):
    from workshop.report import html as report

    monkeypatch.setattr(projection, "load_latencies", lambda path=None: LAT)
    records = [rec(100.0, 80.0, {"dynamodb.Query": 2, "lambda.Invoke": 1}, timestamp=5.0) for _ in range(4)]
    arch = type("A", (), {"lambda_invocations": staticmethod(lambda: records)})()
    lam = usage.lambda_usage(arch, {"started": 0.0, "finished": 10.0, "total": {"requests": 4}})
    result = {"arch": "serverless", "status": "ok", "lambda": lam,
              "load": {"total": {"requests": 4, "rps": 2.0, "p50_ms": 150.0, "p95_ms": 200.0, "p99_ms": 250.0,
                                 "error_rate": 0.0}}, "seed": {}}
    (tmp_path / "bench.json").write_text(json.dumps({"archs": {"serverless": result}, "total_s": 1.0}))
    page = report.build(tmp_path).read_text()
    section = page.split("function code and local AWS services, with a projection for AWS")[1].split("<h2>")[0]
    assert "measured here (local AWS)" in section and "projection for AWS (see assumptions)" in section
    assert "calls_on_default_latency" in section and "lambda.Invoke x4 (10 ms each: no published figure)" in section
    assert "dynamodb.Query x" not in section  # listed in the file: not on the default
    assert "Calls the file has no published figure for" in section


def test_split_names_the_calls_that_fell_to_the_default():
    s = projection.split([rec(50.0, 40.0, {"dynamodb.Scan": 1, "dynamodb.Query": 1}),
                          rec(50.0, 40.0, {"dynamodb.Scan": 2, "sqs.ReceiveMessage": 1})], LAT)
    assert s["defaulted_calls"] == {"dynamodb.Scan": 3, "sqs.ReceiveMessage": 1} and s["default_ms"] == 10.0
