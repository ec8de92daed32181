"""A small client of the contract's API for the harness, benchmarks and notebooks."""

from __future__ import annotations

import builtins
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from videocatalog import auth


class CatalogClient:
    """Calls one running architecture at `base_url` (always on 127.0.0.1)."""

    def __init__(self, base_url: str, token: str | None = None, timeout_s: float = 30) -> None:
        if urlsplit(base_url).hostname != "127.0.0.1":
            raise ValueError(f"the workshop only talks to 127.0.0.1, not {base_url}")
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.token = token or auth.make_token(subject="workshop-harness")
        self.timeout_s = timeout_s

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        resp = self.session.request(method, self.base_url + path, timeout=self.timeout_s, **kwargs)
        if resp.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {resp.status_code}: {resp.text[:300]}")
        return resp

    def health(self) -> dict[str, Any]:
        """GET /health."""
        return self._call("GET", "/health").json()

    def create(self, title: str, description: str = "", tags: list[str] | None = None) -> dict[str, Any]:
        """POST /videos; returns the new video with its upload instructions."""
        body = {"title": title, "description": description, "tags": tags or []}
        return self._call("POST", "/videos", json=body,
                          headers={"Authorization": f"Bearer {self.token}"}).json()

    def upload(self, video: dict[str, Any], path: str | Path) -> None:
        """PUT a file to the video's upload URL (an app endpoint, or a presigned S3 URL)."""
        upload = video["upload"]
        with open(path, "rb") as fh:
            resp = self.session.request(upload["method"], upload["url"], data=fh, headers=upload["headers"],
                                        timeout=self.timeout_s * 4)
        if resp.status_code >= 300:
            raise RuntimeError(f"upload -> {resp.status_code}: {resp.text[:300]}")

    def get(self, video_id: str) -> dict[str, Any]:
        """GET /videos/{id}."""
        return self._call("GET", f"/videos/{video_id}").json()

    def list(self, **params: Any) -> dict[str, Any]:
        """GET /videos with query parameters."""
        return self._call("GET", "/videos", params=params).json()

    def view(self, video_id: str) -> None:
        """POST /videos/{id}/views."""
        self._call("POST", f"/videos/{video_id}/views")

    def trending(self) -> builtins.list[dict[str, Any]]:
        """GET /trending items."""
        return self._call("GET", "/trending").json()["items"]

    def delete(self, video_id: str) -> None:
        """DELETE /videos/{id}."""
        self._call("DELETE", f"/videos/{video_id}", headers={"Authorization": f"Bearer {self.token}"})

    def wait_settled(self, video_id: str, timeout_s: float = 300, poll_s: float = 0.1) -> dict[str, Any]:
        """Poll until the video is ready or failed; returns it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            video = self.get(video_id)
            if video["status"] in ("ready", "failed"):
                return video
            time.sleep(poll_s)
        raise TimeoutError(f"video {video_id} not settled after {timeout_s:.0f}s")

    def upload_to_ready_s(self, path: str | Path, title: str = "timed upload") -> tuple[float, dict[str, Any]]:
        """Seconds from the upload being acknowledged to the video being ready, and the video.

        Raises NotReady (with the settled video) when it settles `failed`: that time is no upload-to-ready
        measurement, and TimeoutError when it never settles.
        """
        video = self.create(title)
        self.upload(video, path)
        acknowledged = time.monotonic()
        done = self.wait_settled(video["id"])
        elapsed = time.monotonic() - acknowledged
        if done["status"] != "ready":
            raise NotReady(done, elapsed)
        return elapsed, done


class NotReady(RuntimeError):
    """A timed upload settled in another status than `ready`: no upload-to-ready time was measured."""

    def __init__(self, video: dict[str, Any], elapsed_s: float) -> None:
        super().__init__(f"video {video.get('id')} settled {video.get('status')!r}, not 'ready', after "
                         f"{elapsed_s:.2f} s: {video.get('error') or 'no error given'}")
        self.video, self.elapsed_s = video, elapsed_s
