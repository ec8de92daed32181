"""POST /videos: what a valid body makes, and every kind of bad body is a 400 that changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from contractchecks import assert_error, assert_names_field, assert_video_shape, parse_time
from contractlib import bearer, unique

# name: (raw body or JSON-able value, the field the error must name or None)
BAD_BODIES = {
    "not-json": (b"{title: nope", None),
    "empty-body": (b"", None),
    "json-array": ([{"title": "x"}], None),
    "json-string": ("a title", None),
    "json-null": (None, None),
    "deeply-nested": (b'{"title": ' + b"[" * 100_000, None),
    "invalid-utf8": (b'{"title": "\xff\xfe"}', None),
    "unknown-field": ({"title": "{t}", "colour": "red"}, "colour"),
    "id-is-not-writable": ({"title": "{t}", "id": "mine"}, "id"),
    "status-is-not-writable": ({"title": "{t}", "status": "ready"}, "status"),
    "missing-title": ({"description": "{t}"}, "title"),
    "title-number": ({"title": 42}, "title"),
    "title-null": ({"title": None}, "title"),
    "title-list": ({"title": ["{t}"]}, "title"),
    "title-empty": ({"title": ""}, "title"),
    "title-whitespace": ({"title": "   \t "}, "title"),
    "title-201": ({"title": "{t}" + "x" * 201}, "title"),
    "title-trailing-newline": ({"title": "{t}\n"}, "title"),  # controls are refused before trimming
    "title-leading-tab": ({"title": "\t{t}"}, "title"),
    "title-c1-control": ({"title": "{t} \u0085"}, "title"),
    "title-ideographic-spaces": ({"title": "\u3000\u00a0\u3000"}, "title"),
    "description-number": ({"title": "{t}", "description": 5}, "description"),
    "description-5001": ({"title": "{t}", "description": "d" * 5001}, "description"),
    "title-lone-surrogate": ({"title": "{t} \udc00"}, "title"),  # valid JSON escape, not storable text
    "description-lone-surrogate": ({"title": "{t}", "description": "\ud800"}, "description"),
    "tags-string": ({"title": "{t}", "tags": "a,b"}, "tags"),
    "tags-object": ({"title": "{t}", "tags": {"a": 1}}, "tags"),
    "tag-number": ({"title": "{t}", "tags": [1]}, "tags"),
    "21-tags": ({"title": "{t}", "tags": [f"t{i}" for i in range(21)]}, "tags"),
    "tag-uppercase": ({"title": "{t}", "tags": ["Music"]}, "tags"),
    "tag-space": ({"title": "{t}", "tags": ["two words"]}, "tags"),
    "tag-underscore": ({"title": "{t}", "tags": ["snake_case"]}, "tags"),
    "tag-accent": ({"title": "{t}", "tags": ["café"]}, "tags"),
    "tag-empty": ({"title": "{t}", "tags": [""]}, "tags"),
    "tag-51": ({"title": "{t}", "tags": ["a" * 51]}, "tags"),
}


def encode(value, marker: str) -> bytes:
    """The request body: raw bytes as they are, anything else as JSON with `{t}` replaced by `marker`."""
    if isinstance(value, bytes):
        return value
    return json.dumps(value).replace("{t}", marker).encode()


@pytest.mark.parametrize("case", BAD_BODIES)
def test_bad_body_is_400_naming_the_field_and_changes_nothing(api, case):
    value, field = BAD_BODIES[case]
    marker = unique("bad")
    before = api.snapshot()
    resp = api.request("POST", "/videos", data=encode(value, marker),
                       headers={**bearer(), "Content-Type": "application/json"})
    err = assert_error(resp, 400, "validation_error")
    if field:
        assert_names_field(err, field)
    assert api.snapshot() == before
    assert api.list(q=marker)["items"] == []


def test_create_returns_the_video_and_where_to_upload(api):
    tag = unique("new")
    resp = api.request("POST", "/videos", json={"title": "A new video", "description": "About it",
                                                 "tags": [tag, "music"]}, headers=bearer())
    assert resp.status_code == 201, resp.text
    video = resp.json()
    assert_video_shape(video)
    expected = {"title": "A new video", "description": "About it", "tags": [tag, "music"]}
    assert {k: video[k] for k in expected} == expected
    assert video["status"] == "awaiting_upload"
    assert video["source"] is None and video["error"] is None
    upload = video["upload"]
    assert upload["method"] == "PUT" and upload["url"].startswith("http")
    assert isinstance(upload["headers"], dict)
    assert parse_time(upload["expires_at"]) > datetime.now(UTC)
    stored = api.video(video["id"])
    assert {k: stored[k] for k in expected} == expected and stored["status"] == "awaiting_upload"
    assert [v["id"] for v in api.list(tag=tag)["items"]] == [video["id"]]


def test_limits_are_inclusive(api):
    tag = unique("edge")
    tags = [tag] + [f"{tag[:40]}-{i}" for i in range(18)] + ["a" * 50]
    title = "  " + "T" * 200 + "  "  # 200 characters after trimming
    resp = api.request("POST", "/videos", json={"title": title, "description": "d" * 5000, "tags": tags},
                       headers=bearer())
    assert resp.status_code == 201, resp.text
    video = resp.json()
    assert video["title"].strip() == "T" * 200
    assert len(video["description"]) == 5000 and video["tags"] == tags


def test_description_and_tags_are_optional(api):
    title = unique("Minimal")
    resp = api.request("POST", "/videos", json={"title": title}, headers=bearer())
    assert resp.status_code == 201, resp.text
    assert (resp.json()["description"], resp.json()["tags"]) == ("", [])


def test_title_is_trimmed_of_the_contracts_spaces(api):
    title = unique("Trimmed")
    resp = api.request("POST", "/videos", json={"title": f"\u3000\u00a0 {title}\u2003 "}, headers=bearer())
    assert resp.status_code == 201, resp.text
    assert resp.json()["title"] == title
