"""The cost model's cold-start share is a parameter; API Gateway's HTTP API is priced in two tiers."""

from __future__ import annotations

import pytest

from workshop.cost import model as cost
from workshop.cost import usage as costrun

PRICES = cost.load_prices()


def p(key: str) -> float:
    return PRICES["prices"][key]["usd"]


def serverless(**kw) -> cost.Measured:
    return cost.Measured("serverless", None, lambda_invocations_per_request=2.0, lambda_gb_s_per_request=0.01,
                         **kw)


def test_init_is_priced_at_the_cold_start_share_not_the_runs_own():
    # A 15 s run from cold: 16 cold starts in 342 invocations, 0.5 GB-s of INIT each.
    m = serverless(lambda_init_gb_s_per_cold_start=0.5, measured_cold_start_share=16 / 342,
                   lambda_init_gb_s_per_request=16 * 0.5 / 171)
    requests, gb = 1e7, p("lambda_gb_second_x86")
    default = cost.monthly_cost(m, requests, PRICES)
    assert PRICES["assumptions"]["lambda_cold_start_share"]["value"] == 0.01  # AWS: "under 1%"
    assert default["lambda_duration"] == pytest.approx(requests * (0.01 + 2.0 * 0.01 * 0.5) * gb)
    tenth = cost.monthly_cost(m, requests, PRICES, cost.Options(cold_start_share=0.001))
    assert tenth["lambda_duration"] == pytest.approx(requests * (0.01 + 2.0 * 0.001 * 0.5) * gb)
    measured = cost.monthly_cost(m, requests, PRICES, cost.Options(cold_start_share="measured"))
    assert measured["lambda_duration"] == pytest.approx(requests * (0.01 + 2.0 * 16 / 342 * 0.5) * gb)
    assert measured["lambda_duration"] > 2.5 * default["lambda_duration"]  # the linear extrapolation


def test_usage_splits_billed_init_out_of_cold_start_billed_duration():
    records = [{"timestamp": 1.0, "billed_ms": 1100, "billed_init_ms": 1000, "init_ms": 999.5, "memory_mb": 1024},
               {"timestamp": 1.0, "billed_ms": 100, "billed_init_ms": 0, "init_ms": None, "memory_mb": 1024},
               {"timestamp": 1.0, "billed_ms": 100, "billed_init_ms": 0, "init_ms": None, "memory_mb": 1024},
               {"timestamp": 1.0, "billed_ms": 100, "billed_init_ms": 0, "init_ms": None, "memory_mb": 1024}]

    class Run:
        @staticmethod
        def lambda_invocations() -> list[dict]:
            return records

    usage = costrun.lambda_usage(Run, {"started": 0, "finished": 2, "total": {"requests": 4}})
    assert usage["gb_s"] == pytest.approx(0.4) and usage["init_gb_s"] == pytest.approx(1.0)
    assert usage["cold_start_share"] == 0.25 and usage["per_request"]["init_gb_s_per_cold_start"] == 1.0


def test_http_api_price_falls_above_300_million_and_no_api_free_tier():
    m = serverless()
    at = cost.monthly_cost(m, 4e8, PRICES)["api_gateway"]
    assert at == pytest.approx(3e8 * 1.00e-6 + 1e8 * 0.90e-6)
    free = cost.monthly_cost(m, 1e6, PRICES, cost.Options(free_tier=True))
    assert free["api_gateway"] == pytest.approx(1e6 * 1.00e-6)  # accounts since 15 July 2025: credits instead
    assert "apigw_free_requests_month" not in PRICES["prices"]
