"""Writes need `Authorization: Bearer <JWT>` (HS256); anything else is 401 and changes nothing."""

from __future__ import annotations

import base64
import subprocess

import pytest
from contractchecks import assert_error
from contractlib import make_token, unique, workshop_argv

BAD_HEADERS = {
    "missing": None,
    "malformed": "Bearer x",
    "empty-bearer": "Bearer ",
    "basic": "Basic " + base64.b64encode(b"contract:tests").decode(),
    "no-scheme": "{token}",
    "wrong-signature": "Bearer {wrong}",
    "expired": "Bearer {expired}",
    "alg-none": "Bearer {unsigned}",
}


def auth_header(kind: str) -> dict[str, str]:
    """The Authorization header of the bad kind `kind` (none for "missing")."""
    template = BAD_HEADERS[kind]
    if template is None:
        return {}
    value = template.format(token=make_token(), wrong=make_token(secret="not-the-secret-of-the-app-under-test-at-all"),
                            expired=make_token(ttl_s=-120), unsigned=make_token(algorithm="none"))
    return {"Authorization": value}


@pytest.mark.parametrize("kind", BAD_HEADERS)
def test_create_without_a_valid_token_is_401_and_changes_nothing(api, kind):
    title = unique("auth")
    before = api.snapshot()
    resp = api.request("POST", "/videos", json={"title": title}, headers=auth_header(kind))
    assert_error(resp, 401, "unauthorized")
    assert api.snapshot() == before
    assert api.list(q=title)["items"] == []


@pytest.mark.parametrize("kind", BAD_HEADERS)
def test_delete_without_a_valid_token_is_401_and_keeps_the_video(api, kind):
    video = api.create()
    resp = api.request("DELETE", f"/videos/{video['id']}", headers=auth_header(kind))
    assert_error(resp, 401, "unauthorized")
    assert api.video(video["id"])["title"] == video["title"]


def test_a_token_from_workshop_token_is_accepted(api, workshop_env_for):
    done = subprocess.run([*workshop_argv(), "token"], capture_output=True, text=True, timeout=60,
                          env=workshop_env_for, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1].strip()
    title = unique("cli-token")
    resp = api.request("POST", "/videos", json={"title": title}, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 201, resp.text
    resp = api.request("DELETE", f"/videos/{resp.json()['id']}", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 204, resp.text
