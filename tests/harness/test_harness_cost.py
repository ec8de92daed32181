"""The cost model's arithmetic on hand-computed cases."""

from __future__ import annotations

import json
import math

import pytest

from workshop.cost import media as cost_media
from workshop.cost import model as cost
from workshop.cost import usage as costrun
from workshop.report import html as report

PRICES = cost.load_prices()
HOURS = PRICES["hours_per_month"]


def p(key: str) -> float:
    return PRICES["prices"][key]["usd"]


def a(key: str) -> float:
    return PRICES["assumptions"][key]["value"]


def test_small_traffic_runs_on_the_minimum_fleet():
    m = cost.Measured("monolith", cpu_s_per_request=0.002)
    bill = cost.monthly_cost(m, 1e5, PRICES)
    assert bill["instances"] == a("min_instances_per_unit")
    assert bill["ec2"] == pytest.approx(a("min_instances_per_unit") * p("ec2_c6i_large_hour") * HOURS)
    assert bill["total"] == pytest.approx(bill["ec2"] + bill["ebs"] + bill["alb"])


def test_instance_count_follows_measured_cpu_per_request():
    m = cost.Measured("monolith", cpu_s_per_request=0.01)
    requests = 5e9
    avg_rps = requests / (HOURS * 3600)
    vcpus = avg_rps * a("peak_to_average") * 0.01 / a("target_cpu_utilization")
    bill = cost.monthly_cost(m, requests, PRICES)
    assert bill["instances"] == math.ceil(vcpus / a("instance_vcpu"))
    cheaper = cost.monthly_cost(cost.Measured("monolith", cpu_s_per_request=0.005), requests, PRICES)
    assert cheaper["instances"] < bill["instances"]


def test_soa_minimum_fleet_counts_every_tier():
    bill = cost.monthly_cost(cost.Measured("soa", cpu_s_per_request=0.001, units=3), 1e5, PRICES)
    assert bill["instances"] == 3 * a("min_instances_per_unit")


def test_lambda_bill_from_measured_durations():
    m = cost.Measured("serverless", 0.0, lambda_invocations_per_request=2.0, lambda_gb_s_per_request=0.01,
                      lambda_init_gb_s_per_request=0.002)
    requests = 1e7
    with_init = cost.monthly_cost(m, requests, PRICES, cost.Options(init_billing=True))
    without = cost.monthly_cost(m, requests, PRICES, cost.Options(init_billing=False))
    assert with_init["lambda_requests"] == pytest.approx(2e7 * p("lambda_request"))
    assert with_init["lambda_duration"] == pytest.approx(requests * 0.012 * p("lambda_gb_second_x86"))
    assert without["lambda_duration"] == pytest.approx(requests * 0.01 * p("lambda_gb_second_x86"))
    assert with_init["api_gateway"] == pytest.approx(requests * p("apigw_http_request"))


def test_free_tier_and_arm64_switches_lower_the_lambda_bill():
    m = cost.Measured("serverless", 0.0, lambda_invocations_per_request=1.0, lambda_gb_s_per_request=0.01)
    base = cost.monthly_cost(m, 2e6, PRICES)
    free = cost.monthly_cost(m, 2e6, PRICES, cost.Options(free_tier=True))
    arm = cost.monthly_cost(m, 2e6, PRICES, cost.Options(arm64=True))
    assert free["lambda_requests"] == pytest.approx(1e6 * p("lambda_request"))
    assert free["lambda_duration"] == 0  # 20,000 GB-s is inside the 400,000 free
    assert arm["lambda_duration"] < base["lambda_duration"]


def test_crossover_is_where_the_costs_meet():
    servers = cost.Measured("monolith", cpu_s_per_request=0.002)
    lam = cost.Measured("serverless", 0.0, lambda_invocations_per_request=1.0, lambda_gb_s_per_request=0.05)
    found = cost.crossovers([servers, lam], PRICES)
    assert len(found) == 1
    r = found[0]["requests_per_month"]
    assert cost.monthly_cost(servers, r, PRICES)["total"] == pytest.approx(cost.monthly_cost(lam, r, PRICES)["total"],
                                                                           rel=1e-6)
    assert found[0]["cheaper_below"] == "serverless"


def test_transcoding_per_minute_scales_with_measured_processing_time():
    m = cost.Measured("monolith", 0.001, transcode_s_per_video_s=0.5)
    out = cost_media.transcode_per_minute(m, PRICES)
    assert out["processing_s_per_minute"] == 30
    assert out["compute_usd"] == pytest.approx(30 / 3600 * p("ec2_c6i_large_hour"))


def test_user_price_file_overrides(tmp_path, monkeypatch):
    override = tmp_path / "prices.json"
    override.write_text(json.dumps({"prices": {"alb_hour": {"usd": 1.0, "unit": "x", "source": "mine",
                                                            "date": "2026-11"}}}))
    monkeypatch.setenv("WORKSHOP_PRICES", str(override))
    prices = cost.load_prices()
    assert prices["prices"]["alb_hour"]["usd"] == 1.0
    assert prices["prices"]["ec2_c6i_large_hour"]["usd"] == p("ec2_c6i_large_hour")


def test_serverless_transcoding_uses_the_billed_cascade_when_measured():
    measured = cost.Measured("serverless", 0.0, transcode_s_per_video_s=3.0, lambda_transcode_gb_s_per_video_s=2.0)
    assert cost_media.transcode_per_minute(measured, PRICES)["compute_usd"] == pytest.approx(
        120 * p("lambda_gb_second_x86"))
    guessed = cost.Measured("serverless", 0.0, transcode_s_per_video_s=3.0)
    assert cost_media.transcode_per_minute(guessed, PRICES)["compute_usd"] == pytest.approx(
        180 * a("lambda_transcode_memory_mb") / 1024 * p("lambda_gb_second_x86"))


def _result(arch: str, sut_cpu_seconds: float | None, **extra) -> dict:
    return {"arch": arch, "status": "ok", "components": [arch],
            "load": {"total": {"requests": 1000, "avg_bytes": 900.0}, "sut_cpu_seconds": sut_cpu_seconds},
            "seed": {"upload": {"status": "ready", "ack_to_ready_s": 1.0, "clip_seconds": 2}}, **extra}


def test_servers_without_sampled_cpu_are_not_costed_at_the_minimum_fleet(tmp_path):
    results = {"monolith": _result("monolith", None), "soa": _result("soa", 3.0),
               "serverless": _result("serverless", None, **{"lambda": {"per_request": {
                   "invocations": 1.0, "gb_s": 0.01, "init_gb_s": 0.0}}}),
               "microservices": {"arch": "microservices", "status": "failed", "stage": "up"}}
    assert costrun.measured(results["monolith"]) is None
    assert costrun.measured(results["soa"]).cpu_s_per_request == 3.0 / 1000
    assert costrun.measured(results["serverless"]).cpu_s_per_request is None  # priced from Lambda, not CPU
    summary = costrun.write(tmp_path, results)
    assert summary["not_costed"] == ["microservices", "monolith"]
    assert "no CPU samples of the system under test" in summary["not_costed_reasons"]["monolith"]
    assert "failed at up" in summary["not_costed_reasons"]["microservices"]
    assert set(summary["at_10M_requests"]) == {"soa", "serverless"}
    assert json.loads((tmp_path / "cost" / "inputs.json").read_text())["not_costed_reasons"].keys() == {
        "monolith", "microservices"}
    assert "monolith (no CPU samples" in report._not_costed(summary)
