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


@pytest.mark.parametrize("method,path,allowed", [
    ("PATCH", "/videos", {"GET", "POST"}),
    ("PUT", "/health", {"GET"}),
    ("DELETE", "/trending", {"GET"}),
    ("POST", "/trending", {"GET"}),
    ("TRACE", "/health", {"GET"}),
    ("GET", "/videos/some-id/views", {"POST"}),
    ("PUT", "/videos/some-id", {"GET", "DELETE"}),
])
def test_wrong_methods_are_405_with_allow(api, method, path, allowed):
    resp = api.request(method, path)
    assert_error(resp, 405)
    # RFC 9110: a 405 lists what the path does allow (HEAD and OPTIONS may come on top).
    listed = {m.strip() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= listed <= allowed | {"HEAD", "OPTIONS"}, resp.headers.get("Allow")

