"""Text no store can encode (a lone surrogate, a valid JSON escape) gets a 400 at the public edge, not a 500."""

import json

import pytest

from videocatalog.validation import encode_cursor


@pytest.mark.parametrize("body, field", [
    ({"title": "ok \udc00"}, "title"),
    ({"title": "ok", "description": "\ud800 text"}, "description"),
])
def test_creating_with_a_lone_surrogate_is_refused_and_stores_nothing(client, auth_header, body, field):
    resp = client.post("/videos", data=json.dumps(body), headers=auth_header, content_type="application/json")
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert resp.get_json() == {"error": {"code": "validation_error", "message": f"{field}: must be valid Unicode text",
                                         "field": field}}
    assert client.get("/videos").get_json()["items"] == []


def test_a_cursor_carrying_a_lone_surrogate_is_refused(client):
    cursor = encode_cursor(("\udc00", "vabc"))  # JSON inside carries the escape; we never issue one
    resp = client.get(f"/videos?cursor={cursor}")
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "cursor"
