"""Helpers of the black-box contract suite: an HTTP client bound to one base URL, tokens and checks."""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests

from videocatalog import config

TIMEOUT_S = 30
SMALL_UPLOAD_LIMIT = 3 * 1024 * 1024  # the "small configured limit" the suite starts apps with


def jwt_secret() -> str:
    """The secret the app under test checks bearer tokens with (the project's development default)."""
    return config.jwt_secret()


def make_token(secret: str | None = None, ttl_s: int = 3600, algorithm: str = "HS256") -> str:
    """A bearer JWT for the write endpoints (negative `ttl_s` makes an expired one)."""
    claims = {"sub": "contract-tests", "exp": int(time.time()) + ttl_s}
    key = None if algorithm == "none" else (secret or jwt_secret())
    return jwt.encode(claims, key, algorithm=algorithm)


def bearer(token: str | None = None) -> dict[str, str]:
    """An Authorization header with a valid token unless one is given."""
    return {"Authorization": f"Bearer {token or make_token()}"}


def unique(prefix: str = "ct") -> str:
    """A lowercase tag-safe name no other test uses, so filters see only this test's videos."""
    return f"{prefix}-{secrets.token_hex(5)}"


def workshop_argv() -> list[str]:
    """The `workshop` command of the interpreter running the tests."""
    script = Path(sys.executable).with_name("workshop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "workshop"]


def check_local(url: str) -> str:
    """`url` itself, after checking it points at 127.0.0.1 (tests never talk to another address)."""
    host = urlsplit(url).hostname
    assert host == "127.0.0.1", f"refusing a non-local URL: {url}"
    return url


class Api:
    """The app under test: its architecture's name and a client for its base URL."""

    def __init__(self, arch: str, base_url: str) -> None:
        self.arch = arch
        self.variant = arch  # the architecture as CONTRACT_ARCHS names it (with its backend)
        self.base_url = check_local(base_url).rstrip("/")
        # the web page (serverless: the website bucket's URL, which `workshop up` prints, or $CONTRACT_PAGE_URL)
        self.page_url = os.environ.get("CONTRACT_PAGE_URL") or self.base_url + "/ui/"
        self.http = requests.Session()

    def request(self, method: str, path_or_url: str, **kwargs: Any) -> requests.Response:
        """Send a request to a path of the API or to an absolute URL it handed out."""
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        kwargs.setdefault("timeout", TIMEOUT_S)
        resp = self.http.request(method, check_local(url), **kwargs)
        if resp.status_code >= 400 and kwargs.get("data"):
            # A refused body may be left unread on the connection: start the next test on a fresh one
            # (test_upload.py::test_refused_upload_leaves_the_connection_usable checks reuse on purpose).
            self.http.close()
        return resp

    def serves(self, url: str) -> bool:
        """True when `url` is an endpoint of the app itself (not, say, a presigned S3 URL)."""
        return url.startswith(self.base_url + "/")

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def create(self, title: str | None = None, description: str = "", tags: list[str] | None = None) -> dict:
        """Create a video with a valid token and return the 201 body."""
        body = {"title": title or unique("title"), "description": description, "tags": tags or []}
        resp = self.request("POST", "/videos", json=body, headers=bearer())
        assert resp.status_code == 201, (resp.status_code, resp.text)
        return resp.json()

    def upload(self, created: dict, data: bytes) -> requests.Response:
        """Send `data` as the video's source the way its `upload` object says."""
        upload = created["upload"]
        return self.request(upload["method"], upload["url"], data=data, headers=upload.get("headers") or {})

    def video(self, video_id: str) -> dict:
        """GET one video, which must exist."""
        resp = self.get(f"/videos/{video_id}")
        assert resp.status_code == 200, (resp.status_code, resp.text)
        return resp.json()

    def list(self, **params: Any) -> dict:
        """GET /videos with `params`, which must succeed."""
        resp = self.get("/videos", params=params)
        assert resp.status_code == 200, (resp.status_code, resp.text)
        return resp.json()

    def snapshot(self) -> list[tuple]:
        """What a rejected write must not change: the newest 100 videos' ids and metadata."""
        return [(v["id"], v["title"], v["description"], tuple(v["tags"]))
                for v in self.list(limit=100)["items"]]

    def wait_status(self, video_id: str, statuses: set[str], timeout_s: float = 120) -> dict:
        """Poll the video until its status is one of `statuses`; fail after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while True:
            video = self.video(video_id)
            if video["status"] in statuses:
                return video
            assert time.monotonic() < deadline, f"{video_id} still {video['status']} after {timeout_s} s"
            time.sleep(0.5)


def wait_settled(api: Api, video_id: str, timeout_s: float = 120) -> dict:
    """Poll until the video is ready or failed."""
    return api.wait_status(video_id, {"ready", "failed"}, timeout_s)
