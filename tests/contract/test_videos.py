"""GET and DELETE of one video, unknown ids, and views feeding trending."""

from __future__ import annotations

import time

import pytest
from contractchecks import assert_error, assert_video_shape
from contractlib import bearer, unique

UNKNOWN_IDS = ["v00000000000000000000", "no-such-video", "x" * 300, "%2E%2E", "..%2Fhealth"]


def test_get_returns_the_video(api):
    created = api.create(title="Get me", description="d", tags=[unique("get")])
    video = api.video(created["id"])
    assert_video_shape(video)
    for key in ("id", "title", "description", "tags", "status", "created_at"):
        assert video[key] == created[key], key


@pytest.mark.parametrize("video_id", UNKNOWN_IDS)
def test_unknown_id_is_404(api, video_id):
    assert_error(api.get(f"/videos/{video_id}"), 404, "not_found")
    assert_error(api.request("DELETE", f"/videos/{video_id}", headers=bearer()), 404, "not_found")
    assert_error(api.request("POST", f"/videos/{video_id}/views"), 404, "not_found")


def test_delete_is_204_then_404(api):
    tag = unique("del")
    video = api.create(tags=[tag])
    keep = api.create(tags=[tag])
    resp = api.request("DELETE", f"/videos/{video['id']}", headers=bearer())
    assert resp.status_code == 204, resp.text
    assert resp.content == b""
    assert_error(api.get(f"/videos/{video['id']}"), 404, "not_found")
    assert_error(api.request("DELETE", f"/videos/{video['id']}", headers=bearer()), 404, "not_found")
    assert [v["id"] for v in api.list(tag=tag)["items"]] == [keep["id"]]


def test_upload_url_of_a_deleted_video_is_refused(api, media):
    video = api.create()
    assert api.request("DELETE", f"/videos/{video['id']}", headers=bearer()).status_code == 204
    resp = api.upload(video, media.bytes("tiny"))
    if api.serves(video["upload"]["url"]):
        assert_error(resp, (401, 403, 404, 409))
    elif resp.ok:
        time.sleep(3)  # a presigned store URL cannot be revoked: the upload event must not revive the video
    assert_error(api.get(f"/videos/{video['id']}"), 404, "not_found")


def test_view_is_202(api):
    video = api.create()
    resp = api.request("POST", f"/videos/{video['id']}/views")
    assert resp.status_code == 202, resp.text


def trending_of(api, ids: list[str]) -> list[dict]:
    """Our videos' entries in /trending, in its order.

    The largest page: earlier tests of the session (schemathesis' stateful phase above all) view other videos
    more often than these, and the default ten can be all theirs.
    """
    resp = api.get("/trending?limit=100")
    assert resp.status_code == 200, resp.text
    items = resp.json()["items"]
    for item in items:
        assert isinstance(item["id"], str) and isinstance(item["title"], str)
        assert isinstance(item["views"], int) and item["views"] >= 1
    return [item for item in items if item["id"] in ids]


def views_to_enter_trending(api) -> int:
    """Views that put a new video above the last of the largest trending page (earlier tests fill it)."""
    items = api.get("/trending?limit=100").json()["items"]
    # +2: views posted by earlier tests may still be on their way to the counts
    return items[-1]["views"] + 2 if len(items) == 100 else 1


def view(api, video: dict, times: int) -> None:
    """POST times views of the video, each answered 202."""
    for _ in range(times):
        assert api.request("POST", f"/videos/{video['id']}/views").status_code == 202


def test_trending_orders_by_views_eventually(api):
    base = views_to_enter_trending(api)
    videos = {n: api.create(title=unique(f"trend-{n}")) for n in (2, 5, 3)}
    for count, video in videos.items():
        view(api, video, base + count)
    ids = [videos[n]["id"] for n in (5, 3, 2)]
    want = [{"id": videos[n]["id"], "title": videos[n]["title"], "views": base + n} for n in (5, 3, 2)]
    deadline, got = time.monotonic() + 30, []
    try:
        while time.monotonic() < deadline and got != want:
            got = trending_of(api, ids)
            time.sleep(0 if got == want else 1)
        assert got == want, "trending did not settle within 30 s"
    finally:  # leave the top of trending to later tests (the web page shows the first ten)
        for video_id in ids:
            api.request("DELETE", f"/videos/{video_id}", headers=bearer())


def test_deleted_video_leaves_trending_eventually(api):
    video = api.create(title=unique("trend-gone"))
    view(api, video, views_to_enter_trending(api) + 1)
    deadline = time.monotonic() + 30
    while not trending_of(api, [video["id"]]):
        assert time.monotonic() < deadline, "the viewed video never reached trending"
        time.sleep(1)
    assert api.request("DELETE", f"/videos/{video['id']}", headers=bearer()).status_code == 204
    deadline = time.monotonic() + 30
    while trending_of(api, [video["id"]]):
        assert time.monotonic() < deadline, "a deleted video is still trending after 30 s"
        time.sleep(1)
