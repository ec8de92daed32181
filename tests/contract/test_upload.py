"""Uploading the source: one upload per video, the size limit, and the URL's own authorization."""

from __future__ import annotations

import threading
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from contractchecks import assert_error
from contractlib import SMALL_UPLOAD_LIMIT

SIGNATURE_PARAMS = ("token", "X-Amz-Signature", "Signature")


def tampered(url: str, how: str) -> str:
    """`url` with its signature/token changed ("flip"), removed ("drop") or emptied ("empty")."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    name = next((k for k, _ in query if k in SIGNATURE_PARAMS), query[-1][0] if query else None)
    assert name, f"no signature in the upload URL {url}"
    new = []
    for key, value in query:
        if key != name:
            new.append((key, value))
        elif how == "flip":
            new.append((key, value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB")))
        elif how == "empty":
            new.append((key, ""))
    return urlunsplit(parts._replace(query=urlencode(new)))


def test_upload_is_acknowledged_and_a_second_one_is_409(api, media):
    video = api.create()
    data = media.bytes("tiny")
    first = api.upload(video, data)
    assert first.status_code in (200, 204), first.text
    acknowledged = api.wait_status(video["id"], {"processing", "ready", "failed"}, timeout_s=30)
    assert acknowledged["source"] is None or acknowledged["source"]["bytes"] == len(data)
    assert_error(api.upload(video, data), 409, "conflict")
    assert api.video(video["id"])["status"] != "awaiting_upload"


def test_oversized_upload_is_413_and_changes_nothing(api, media):
    video = api.create()
    resp = api.upload(video, b"\0" * (SMALL_UPLOAD_LIMIT + 1))
    assert_error(resp, 413, "payload_too_large")
    after = api.video(video["id"])
    assert (after["status"], after["source"], after["renditions"]) == ("awaiting_upload", None, [])
    retry = api.upload(video, media.bytes("tiny"))
    assert retry.status_code in (200, 204), retry.text
    api.wait_status(video["id"], {"processing", "ready", "failed"}, timeout_s=30)


def test_oversized_chunked_upload_is_413(api):
    # Without a Content-Length the limit must be enforced while reading, not from the header.
    video = api.create()
    chunks = (b"\0" * (1024 * 1024) for _ in range(SMALL_UPLOAD_LIMIT // (1024 * 1024) + 1))
    resp = api.request(video["upload"]["method"], video["upload"]["url"], data=chunks,
                       headers=video["upload"].get("headers") or {})
    assert_error(resp, 413, "payload_too_large")
    assert api.video(video["id"])["status"] == "awaiting_upload"


def test_concurrent_uploads_accept_exactly_one(api, media):
    video, data, codes = api.create(), media.bytes("tiny"), []

    def upload() -> None:
        with requests.Session() as session:
            resp = session.put(video["upload"]["url"], data=data, headers=video["upload"].get("headers") or {},
                               timeout=30)
            codes.append(resp.status_code)

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes)[:1] in ([200], [204]) and sorted(codes)[1:] == [409, 409, 409], codes


def test_upload_at_exactly_the_limit_is_accepted(api):
    video = api.create()
    resp = api.upload(video, b"\0" * SMALL_UPLOAD_LIMIT)
    assert resp.status_code in (200, 204), resp.text
    # Zero-filled bytes are no video: the cascade must fail it cleanly, not leave it processing.
    failed = api.wait_status(video["id"], {"failed"}, timeout_s=60)
    assert failed["error"]["code"] == "unsupported_media"


@pytest.mark.parametrize("how", ["flip", "empty", "drop"])
def test_upload_with_a_bad_token_is_refused(api, media, how):
    video = api.create()
    url = tampered(video["upload"]["url"], how)
    resp = api.request(video["upload"]["method"], url, data=media.bytes("tiny"),
                       headers=video["upload"].get("headers") or {})
    if api.serves(url):
        assert_error(resp, (401, 403))
    else:
        # The object store answers in its own format; S3 calls a missing signature a malformed request.
        assert resp.status_code in (400, 401, 403), resp.text
    after = api.video(video["id"])
    assert (after["status"], after["source"]) == ("awaiting_upload", None)


def test_upload_token_of_another_video_is_refused(api, media):
    mine, other = api.create(), api.create()
    token_url = urlsplit(other["upload"]["url"])
    url = urlunsplit(urlsplit(mine["upload"]["url"])._replace(query=token_url.query))
    resp = api.request("PUT", url, data=media.bytes("tiny"), headers=mine["upload"].get("headers") or {})
    assert resp.status_code in (401, 403), resp.text
    if api.serves(url):
        assert_error(resp, (401, 403))
    assert api.video(mine["id"])["status"] == "awaiting_upload"
    assert api.video(other["id"])["status"] == "awaiting_upload"


@pytest.mark.parametrize("refusal", ["bad-token", "oversized", "second-upload"])
def test_refused_upload_leaves_the_connection_usable(api, media, refusal):
    # Keep-alive clients (browsers, Locust) reuse the connection: an unread refused body must not break it.
    video = api.create()
    url, size = video["upload"]["url"], 1024 * 1024
    if refusal == "bad-token":
        url = tampered(url, "flip")
    elif refusal == "oversized":
        size = SMALL_UPLOAD_LIMIT + 1
    else:
        assert api.upload(video, media.bytes("tiny")).status_code in (200, 204)
    with requests.Session() as session:
        for _ in range(5):  # the failure depends on timing, so give it several chances to show
            refused = session.put(url, data=b"\0" * size, headers=video["upload"].get("headers") or {},
                                  timeout=30)
            assert 400 <= refused.status_code < 500, refused.text
            again = session.get(api.base_url + "/health", timeout=30)
            assert again.status_code == 200, again.text
