"""The price file: every price names its source and date; every assumption says why."""

from __future__ import annotations

import json

from workshop.cost.model import DEFAULT_PRICES


def test_every_price_has_source_date_unit_and_number():
    data = json.loads(DEFAULT_PRICES.read_text())
    assert data["region"] == "us-east-1"
    assert "not fetched live" in data["_note"].lower()
    for key, price in data["prices"].items():
        assert isinstance(price["usd"], (int, float)) and price["usd"] > 0, key
        assert price["source"].startswith("https://aws.amazon.com/"), key
        assert price["date"].startswith("20"), key
        assert price["unit"], key


def test_every_assumption_says_why():
    for key, item in json.loads(DEFAULT_PRICES.read_text())["assumptions"].items():
        assert isinstance(item["value"], (int, float)), key
        assert len(item["why"]) > 10, key
