"""Malformed input to the analytics and upload services: a 400 naming the field (or a safe fallback), never a 500.

The analytics service runs in-process on its own DATA_DIR; the upload service needs SQS and the catalog,
so its header reading is tested on a request context.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask

from microservices.analytics.service import create_app as analytics_app
from microservices.upload.service import DECLARED_LENGTH, _declared_length


@pytest.fixture
def analytics(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return analytics_app().test_client()


def assert_refused(resp, field: str) -> None:
    assert resp.status_code == 400, resp.get_data(as_text=True)
    error = resp.get_json()["error"]
    assert error["code"] == "validation_error" and error["field"] == field, error


@pytest.mark.parametrize("raw, field", [
    ("[1]", "body"), ('"x"', "body"), ("5", "body"), ("null", "body"), ("[" * 100_000, "body"),
    ("{}", "title"), ('{"title": 5}', "title"), ('{"title": ""}', "title"),
    (json.dumps({"title": "ok \udc00"}), "title"),
])
def test_a_view_without_a_usable_title_is_refused_and_not_counted(analytics, raw, field):
    assert_refused(analytics.post("/views/v001", data=raw, content_type="application/json"), field)
    assert analytics.get("/trending").get_json() == {"items": []}


@pytest.mark.parametrize("limit", ["%C2%B2", "abc", "", "0", "101", "-1", "99999999999999999999999"])
def test_trending_refuses_a_limit_that_is_not_an_integer_from_1_to_100(analytics, limit):
    assert_refused(analytics.get(f"/trending?limit={limit}"), "limit")


def test_views_count_with_good_input(analytics):
    for _ in range(2):
        assert analytics.post("/views/v001", json={"title": "Über"}).status_code == 202
    assert analytics.get("/trending?limit=1").get_json() == {"items": [{"id": "v001", "title": "Über", "views": 2}]}


@pytest.mark.parametrize("declared, expected", [
    ("1234", 1234), ("²", 5), ("12²", 5), ("¹", 5), ("abc", 5), ("", 5), (None, 5),
])
def test_an_unusable_declared_length_falls_back_to_content_length(declared, expected):
    # A header's bytes reach WSGI as Latin-1, so a byte 0xB2 is "²", and "²".isdigit() is true.
    headers = {} if declared is None else {DECLARED_LENGTH: declared}
    with Flask(__name__).test_request_context("/", method="PUT", data=b"12345", headers=headers):
        assert _declared_length() == expected
