"""GET /videos: newest first, limits, cursor pagination, search and filters; bad queries are 400."""

from __future__ import annotations

import pytest
from contractchecks import assert_error, assert_names_field, assert_video_shape, parse_time
from contractlib import unique


@pytest.fixture(scope="module")
def batch(api) -> tuple[str, list[str]]:
    """21 videos under one tag, and their ids newest first."""
    tag = unique("page")
    ids = [api.create(title=f"Page {i} {tag}", tags=[tag])["id"] for i in range(21)]
    return tag, ids[::-1]


def test_newest_first_with_default_limit_20(api, batch):
    tag, newest_first = batch
    page = api.list(tag=tag)
    assert [v["id"] for v in page["items"]] == newest_first[:20]
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]
    for video in page["items"]:
        assert_video_shape(video)
    times = [parse_time(v["created_at"]) for v in page["items"]]
    assert times == sorted(times, reverse=True)


def test_cursor_walks_every_item_once(api, batch):
    tag, newest_first = batch
    seen, cursor, pages = [], None, 0
    while True:
        params = {"tag": tag, "limit": 4, **({"cursor": cursor} if cursor else {})}
        page = api.list(**params)
        assert len(page["items"]) <= 4
        seen += [v["id"] for v in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            break
        assert pages < 10, "pagination does not end"
    assert seen == newest_first  # no duplicates, no gaps, same order
    assert pages == 6


@pytest.mark.parametrize("limit", [1, 21, 100])
def test_limit_within_bounds(api, batch, limit):
    tag, newest_first = batch
    page = api.list(tag=tag, limit=limit)
    assert [v["id"] for v in page["items"]] == newest_first[:limit]
    assert (page["next_cursor"] is None) == (limit >= len(newest_first))


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "20x"])
def test_bad_limit_is_400(api, limit):
    err = assert_error(api.get("/videos", params={"limit": limit}), 400, "validation_error")
    assert_names_field(err, "limit")


# Well-formed base64 is not enough: the cursor must hold [created_at, id] as the API writes them.
@pytest.mark.parametrize("cursor", ["", "garbage", "!!!", "eyJub3QiOiAiYSBjdXJzb3IifQ", "W10", "x" * 500,
                                    "WyIyMDI2LTAxLTAxIiwgInYxIl0", "WyIyMDI2LTAxLTAxVDAwOjAwOjAwLjAwMDAwMFoiLCAiIl0"])
def test_bad_cursor_is_400(api, cursor):
    err = assert_error(api.get("/videos", params={"cursor": cursor}), 400, "validation_error")
    assert_names_field(err, "cursor")


@pytest.mark.parametrize("tag", ["", "Music", "a b"])
def test_bad_tag_is_400(api, tag):
    err = assert_error(api.get("/videos", params={"tag": tag}), 400, "validation_error")
    assert_names_field(err, "tag")


@pytest.mark.parametrize("status", ["", "done", "READY", "awaiting-upload"])
def test_bad_status_is_400(api, status):
    err = assert_error(api.get("/videos", params={"status": status}), 400, "validation_error")
    assert_names_field(err, "status")


def test_q_is_case_insensitive_on_title_description_and_tags(api):
    word = unique("q").replace("-", "")
    in_title = api.create(title=f"Title with {word.upper()} inside")["id"]
    in_description = api.create(title=unique("desc"), description=f"about {word} and more")["id"]
    in_tags = api.create(title=unique("tagged"), tags=[f"x-{word}"])["id"]
    api.create(title=unique("other"), description="nothing to see", tags=["unrelated"])
    for q in (word, word.upper(), word[:6].capitalize() + word[6:]):
        found = [v["id"] for v in api.list(q=q)["items"]]
        assert found == [in_tags, in_description, in_title], q
    assert api.list(q=unique("absent"))["items"] == []


def test_tag_filter_is_exact(api):
    tag = unique("tag")
    tagged = api.create(tags=[tag, "shared"])["id"]
    api.create(tags=[f"{tag}-longer"])
    api.create(title=f"mentions {tag} only in the title")
    assert [v["id"] for v in api.list(tag=tag)["items"]] == [tagged]


def test_status_filter(api):
    tag = unique("status")
    ids = [api.create(tags=[tag])["id"] for _ in range(2)]
    awaiting = [v["id"] for v in api.list(tag=tag, status="awaiting_upload")["items"]]
    assert awaiting == ids[::-1]
    for status in ("processing", "ready", "failed"):
        assert api.list(tag=tag, status=status)["items"] == []
    for video in api.list(status="awaiting_upload", limit=100)["items"]:
        assert video["status"] == "awaiting_upload"


def test_filters_combine_with_pagination(api, batch):
    tag, newest_first = batch
    first = api.list(tag=tag, status="awaiting_upload", q="page", limit=15)
    rest = api.list(tag=tag, status="awaiting_upload", q="page", limit=15, cursor=first["next_cursor"])
    assert [v["id"] for v in first["items"] + rest["items"]] == newest_first
    assert rest["next_cursor"] is None
