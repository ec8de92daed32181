"""The upload-to-ready cascade on generated media, checked on the files the renditions really hold."""

from __future__ import annotations

import io

import pytest
from contractchecks import assert_error
from contractclips import CLIPS, assert_size, expected_size, inspect
from contractlib import bearer, unique, wait_settled
from PIL import Image, ImageStat

pytestmark = pytest.mark.slow
NAMES = {"hq", "480p", "360p", "audio", "thumbnail"}


def fetch(api, rendition: dict, folder) -> bytes:
    """Download a ready rendition through its URL, checking the response's content type."""
    resp = api.get(rendition["url"])
    assert resp.status_code == 200, (rendition["name"], resp.status_code, resp.text[:300])
    assert resp.headers.get("Content-Type", "").startswith(rendition["content_type"]), resp.headers
    assert len(resp.content) == rendition["bytes"], rendition
    (folder / rendition["name"]).write_bytes(resp.content)
    return resp.content


def check_rendition(api, rendition: dict, source: dict, folder) -> None:
    """One rendition against the contract's rules, on its real bytes."""
    name, audio = rendition["name"], source["has_audio"]
    want = expected_size(name, source["width"], source["height"]) if name != "audio" else ()
    if want is None or (name == "audio" and not audio):
        reason = "no_upscale" if want is None else "no_audio"
        assert (rendition["status"], rendition["reason"], rendition["url"]) == ("skipped", reason, None)
        return
    assert rendition["status"] == "ready", rendition
    data = fetch(api, rendition, folder)
    info = inspect(folder / name)
    if name == "audio":
        assert (info.audio_codec, info.video_codec) == ("aac", None), info
        assert rendition["content_type"].startswith("audio/")
        return
    got = (info.width, info.height)
    assert_size(name, got, want)
    assert (rendition["width"], rendition["height"]) == got, rendition
    if name == "thumbnail":
        assert data[:3] == b"\xff\xd8\xff" and rendition["content_type"] == "image/jpeg"
        return
    assert data[4:8] == b"ftyp" and rendition["content_type"] == "video/mp4"
    assert info.video_codec == "h264" and info.audio_codec == ("aac" if audio else None), info


@pytest.mark.parametrize("clip", list(CLIPS))
def test_cascade_makes_every_rendition(api, cascade, clip, tmp_path):
    width, height, audio, black_s = CLIPS[clip]
    video = wait_settled(api, cascade[clip]["id"])
    assert video["status"] == "ready", video
    assert video["error"] is None
    source = video["source"]
    assert source["bytes"] == cascade[clip]["bytes"]
    assert (source["width"], source["height"], source["has_audio"]) == (width, height, audio)
    assert abs(source["duration_s"] - (1.0 + black_s)) < 0.3, source
    assert {r["name"] for r in video["renditions"]} == NAMES
    for rendition in video["renditions"]:
        check_rendition(api, rendition, source, tmp_path)


def test_not_video_fails_with_unsupported_media(api, cascade):
    video = wait_settled(api, cascade["not_video"]["id"])
    assert video["status"] == "failed"
    assert video["error"]["code"] == "unsupported_media" and video["error"]["message"]
    assert video["renditions"] == []


def test_thumbnail_is_not_the_black_lead_in(api, cascade):
    video = wait_settled(api, cascade["landscape"]["id"])
    thumb = next(r for r in video["renditions"] if r["name"] == "thumbnail")
    picture = Image.open(io.BytesIO(api.get(thumb["url"]).content)).convert("L")
    assert ImageStat.Stat(picture).mean[0] > 30, "the thumbnail is (nearly) black"


def test_status_filter_sees_the_settled_videos(api, cascade):
    for clip in cascade:
        wait_settled(api, cascade[clip]["id"])
    tag = cascade["tiny"]["tag"]
    ready = {v["id"] for v in api.list(tag=tag, status="ready")["items"]}
    failed = {v["id"] for v in api.list(tag=tag, status="failed")["items"]}
    assert ready == {cascade[c]["id"] for c in CLIPS}
    assert failed == {cascade["not_video"]["id"]}


def test_delete_removes_the_renditions(api, media):
    video = api.create(title=unique("Delete me"))
    assert api.upload(video, media.bytes("tiny")).status_code in (200, 204)
    ready = wait_settled(api, video["id"])
    assert ready["status"] == "ready", ready
    urls = [r["url"] for r in ready["renditions"] if r["status"] == "ready"]
    assert urls and all(api.get(url).status_code == 200 for url in urls)
    assert api.request("DELETE", f"/videos/{video['id']}", headers=bearer()).status_code == 204
    assert_error(api.get(f"/videos/{video['id']}"), 404, "not_found")
    for url in urls:
        resp = api.get(url)
        assert resp.status_code == 404, (url, resp.status_code)
        if api.serves(url):
            assert_error(resp, 404, "not_found")
