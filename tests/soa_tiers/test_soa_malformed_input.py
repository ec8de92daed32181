"""Malformed input to the data and logic tiers' internal endpoints: a 400 naming the field, never a 500.

The data tier runs as a Flask test client on its own folder; each test also checks that nothing was stored.
"""

from __future__ import annotations

import json

import pytest

from soa.data_tier import create_app
from soa.logic_tier import create_app as logic_app

VIDEO = {"id": "v001", "title": "clip", "created_at": "2026-01-01T00:00:00.000000Z"}


@pytest.fixture
def data(tmp_path):
    return create_app(str(tmp_path / "data")).test_client()


def send(client, method: str, url: str, payload=None, raw: str | None = None):
    """One request; a payload goes as JSON (lone surrogates escaped, as any JSON encoder sends them)."""
    text = raw if raw is not None else (None if payload is None else json.dumps(payload))
    return client.open(url, method=method, data=text, content_type="application/json")


def assert_refused(resp, field: str) -> None:
    assert resp.status_code == 400, resp.get_data(as_text=True)
    error = resp.get_json()["error"]
    assert error["code"] == "validation_error" and error["field"] == field, error
    assert error["message"].startswith(f"{field}: ")


@pytest.mark.parametrize("payload, field", [
    ({}, "lease_s"), ({"lease_s": "abc"}, "lease_s"), ({"lease_s": None}, "lease_s"), ({"lease_s": [1]}, "lease_s"),
    ({"lease_s": True}, "lease_s"), ({"lease_s": -1}, "lease_s"),
])
def test_claiming_a_job_needs_a_lease_and_claims_nothing_without(data, payload, field):
    send(data, "POST", "/jobs", {"body": {"video_id": "v001"}})
    assert_refused(send(data, "POST", "/jobs/claim", payload), field)
    assert data.post("/jobs/release-claimed").get_json() == {"released": 0}  # the job was not claimed
    assert send(data, "POST", "/jobs/claim", {"lease_s": 60}).get_json()["job"]["body"] == {"video_id": "v001"}


def test_numbers_that_are_not_finite_floats_are_refused(data):
    assert_refused(send(data, "POST", "/jobs/claim", raw='{"lease_s": Infinity}'), "lease_s")
    assert_refused(send(data, "POST", "/jobs/claim", raw='{"lease_s": NaN}'), "lease_s")
    assert_refused(send(data, "POST", "/views", raw='{"video_id": "v001", "at": 1' + "0" * 400 + "}"), "at")
    assert data.get("/views/top?since=0&limit=10").get_json() == {"items": []}


@pytest.mark.parametrize("payload, field", [
    ({}, "body"), ({"body": 5}, "body"), ({"body": ["v001"]}, "body"), ({"body": {"video_id": "\udc00"}}, "body"),
])
def test_enqueueing_needs_a_job_body_object(data, payload, field):
    assert_refused(send(data, "POST", "/jobs", payload), field)
    assert send(data, "POST", "/jobs/claim", {"lease_s": 60}).get_json() == {"job": None}


@pytest.mark.parametrize("receipt", [5, None, "abc", "1", "x:1", "1:1:1", "99999999999999999999999:1", "\u0661:1"])
@pytest.mark.parametrize("operation", ["ack", "release"])
def test_acking_or_releasing_needs_a_receipt_the_queue_issued(data, operation, receipt):
    send(data, "POST", "/jobs", {"body": {"video_id": "v001"}})
    job = send(data, "POST", "/jobs/claim", {"lease_s": 60}).get_json()["job"]
    assert_refused(send(data, "POST", f"/jobs/{operation}", {**job, "receipt": receipt}), "receipt")
    assert data.post("/jobs/release-claimed").get_json() == {"released": 1}  # still there, still claimed


@pytest.mark.parametrize("payload, field", [
    ({}, "video_id"), ({"at": 1.0}, "video_id"), ({"video_id": 5, "at": 1.0}, "video_id"),
    ({"video_id": "v001"}, "at"), ({"video_id": "v001", "at": "abc"}, "at"), ({"video_id": "v001", "at": None}, "at"),
    ({"video_id": "\udc00", "at": 1.0}, "video_id"),
])
def test_recording_a_view_needs_a_video_id_and_a_time(data, payload, field):
    assert_refused(send(data, "POST", "/views", payload), field)
    assert data.get("/views/top?since=0&limit=10").get_json() == {"items": []}


@pytest.mark.parametrize("query, field", [
    ("since=abc&limit=5", "since"), ("since=inf&limit=5", "since"), ("since=nan&limit=5", "since"),
    ("limit=5", "since"), ("since=0", "limit"), ("since=0&limit=abc", "limit"), ("since=0&limit=%C2%B2", "limit"),
    ("since=0&limit=0", "limit"), ("since=0&limit=99999999999999999999999", "limit"),
])
def test_top_views_needs_a_time_and_a_limit(data, query, field):
    assert_refused(data.get(f"/views/top?{query}"), field)


@pytest.mark.parametrize("max_bytes", ["abc", "%C2%B2", "-1", "", "99999999999999999999999"])
def test_putting_a_blob_needs_a_size_limit_and_stores_nothing_without(data, max_bytes):
    assert_refused(data.put(f"/blobs?key=sources/v001&max_bytes={max_bytes}", data=b"bytes"), "max_bytes")
    assert data.get("/blobs/size?key=sources/v001").get_json() == {"bytes": None}


@pytest.mark.parametrize("query, field", [
    ("after_created_at=2026-01-01", "after_id"), ("limit=abc", "limit"), ("limit=%C2%B2", "limit"),
    ("limit=0", "limit"), ("limit=-5", "limit"), ("limit=99999999999999999999", "limit"),
])
def test_listing_videos_names_the_bad_parameter(data, query, field):
    assert_refused(data.get(f"/videos?{query}"), field)


@pytest.mark.parametrize("changes, field", [
    ({"title": 5}, "title"), ({"title": None}, "title"), ({"id": 5}, "id"), ({"tags": [5]}, "tags"),
    ({"tags": "ab"}, "tags"), ({"status": 5}, "status"), ({"created_at": 5}, "created_at"),
    ({"title": "ok \udc00"}, "title"), ({"description": "\ud800"}, "description"),
    ({"renditions": [{"name": "hq", "status": 5}]}, "renditions"), ({"error": {"code": 5}}, "error"),
])
def test_a_video_record_of_the_wrong_shape_is_refused_and_not_stored(data, changes, field):
    assert_refused(send(data, "POST", "/videos", {**VIDEO, **changes}), field)
    assert_refused(send(data, "PUT", "/videos/v001", {**VIDEO, **changes}), field)
    assert data.get("/videos").get_json()["items"] == []


@pytest.mark.parametrize("rendition, field", [({"name": 5}, "name"), ({"name": "hq", "status": 5}, "status"),
                                             ({"name": "hq", "bytes": "3"}, "bytes")])
def test_a_rendition_of_the_wrong_shape_changes_nothing(data, rendition, field):
    record = {**VIDEO, "status": "processing", "renditions": [{"name": "hq"}]}
    assert send(data, "POST", "/videos", record).status_code == 201
    before = data.get("/videos/v001").get_json()
    assert_refused(send(data, "POST", "/videos/v001/renditions", rendition), field)
    assert data.get("/videos/v001").get_json() == before


@pytest.mark.parametrize("payload, field", [
    ({"owner": "o", "ttl_s": 60}, "name"), ({"name": "upload:v001", "ttl_s": 60}, "owner"),
    ({"name": "upload:v001", "owner": "o"}, "ttl_s"), ({"name": "upload:v001", "owner": "o", "ttl_s": "x"}, "ttl_s"),
    ({"name": "upload:\udc00", "owner": "o", "ttl_s": 60}, "name"),
])
def test_acquiring_a_lease_needs_name_owner_and_ttl_and_takes_nothing_without(data, payload, field):
    assert_refused(send(data, "POST", "/leases", payload), field)
    taken = send(data, "POST", "/leases", {"name": "upload:v001", "owner": "someone else", "ttl_s": 60})
    assert taken.get_json() == {"acquired": True}


@pytest.mark.parametrize("raw", ["[1]", '"x"', "5", "[" * 100_000])
def test_a_body_that_is_not_a_json_object_is_refused(data, raw):
    for url in ("/views", "/jobs", "/jobs/claim", "/leases", "/videos"):
        assert_refused(send(data, "POST", url, raw=raw), "body")


def test_the_logic_tier_refuses_bad_create_bodies_and_trending_limits(data_url, monkeypatch):
    monkeypatch.setenv("SOA_DATA_URL", data_url)
    logic = logic_app().test_client()
    assert_refused(send(logic, "POST", "/videos", {"title": "ok \udc00"}), "title")
    assert_refused(send(logic, "POST", "/videos", raw="[" * 100_000), "body")
    for limit in ("%C2%B2", "abc", "0", "101", "99999999999999999999999"):
        assert_refused(logic.get(f"/trending?limit={limit}"), "limit")
    assert_refused(logic.get("/videos?limit=%C2%B2"), "limit")
    assert logic.get("/videos").get_json()["items"] == []
    assert logic.get("/trending").get_json() == {"items": []}
