"""GET /health, and what the API answers on paths and methods the contract does not have."""

from __future__ import annotations

import pytest
from contractchecks import assert_error


def test_health_names_the_architecture_and_release(api):
    resp = api.get("/health")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["status"] == "ok"
    assert body["architecture"] == api.arch
    assert isinstance(body["release"], str) and body["release"]


@pytest.mark.parametrize("method,path", [
    ("GET", "/"),
    ("GET", "/nope"),
    ("GET", "/videos/some-id/nope"),
    ("POST", "/nope"),
    ("GET", "/health/extra"),
])
def test_unknown_paths_are_404_json(api, method, path):
    assert_error(api.request(method, path), 404, "not_found")


@pytest.mark.parametrize("method,path", [
    ("PATCH", "/videos"),
    ("PUT", "/health"),
    ("DELETE", "/trending"),
    ("POST", "/trending"),
    ("GET", "/videos/some-id/views"),
    ("PUT", "/videos/some-id"),
])
def test_wrong_methods_are_json_errors(api, method, path):
    assert_error(api.request(method, path), (404, 405))

