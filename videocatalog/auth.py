"""Bearer tokens (HS256 JWT) for write operations, and signed upload tokens."""

from __future__ import annotations

import time

import jwt

from videocatalog import config
from videocatalog.errors import Unauthorized


def make_token(subject: str = "workshop", ttl_s: int = 24 * 3600, secret: str | None = None) -> str:
    """A bearer token that the write endpoints accept."""
    now = int(time.time())
    claims = {"sub": subject, "iat": now, "exp": now + ttl_s, "scope": "write"}
    return jwt.encode(claims, secret or config.jwt_secret(), algorithm="HS256")


def check_bearer(header: str | None, secret: str | None = None) -> dict:
    """The claims of a valid `Authorization: Bearer` header; raises Unauthorized otherwise."""
    if not header:
        raise Unauthorized("missing bearer token")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("authorization must be 'Bearer <token>'")
    try:
        claims = jwt.decode(token.strip(), secret or config.jwt_secret(), algorithms=["HS256"],
                            options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("invalid token") from exc
    if claims.get("purpose") == "upload":
        raise Unauthorized("an upload token is not a bearer token")
    return claims


def make_upload_token(video_id: str, ttl_s: int | None = None) -> tuple[str, int]:
    """A token that authorises one upload to `video_id`, and its expiry (epoch seconds)."""
    expires = int(time.time()) + (ttl_s or config.upload_url_ttl_s())
    claims = {"sub": video_id, "exp": expires, "purpose": "upload"}
    return jwt.encode(claims, config.jwt_secret(), algorithm="HS256"), expires


def check_upload_token(token: str | None, video_id: str) -> None:
    """Raise Unauthorized unless `token` authorises an upload to `video_id`."""
    if not token:
        raise Unauthorized("missing upload token")
    try:
        claims = jwt.decode(token, config.jwt_secret(), algorithms=["HS256"])
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("upload URL expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("invalid upload token") from exc
    if claims.get("purpose") != "upload" or claims.get("sub") != video_id:
        raise Unauthorized("upload token is not for this video")
