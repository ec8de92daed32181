"""The local S3 edge: what real S3 does that moto does not, and the contract's two upload rules.

Wrapped around moto's WSGI app in the local AWS process (see workshop/archs/serverless/localaws_server.py):
- presigned URLs (SigV4 query auth) are verified, expired or tampered ones get S3's 403;
  an anonymous request to a guarded bucket gets 403 too (as a private bucket answers);
- PUT of a source (`sources/...`) into a bucket tagged `workshop:max-upload-bytes` is read up to that
  limit: over it, the contract's 413 (AWS S3 would accept it; there the probe fails the video with
  `payload_too_large` instead); and a source that already exists gets the contract's 409 (AWS S3
  answers 412 PreconditionFailed to the signed `If-None-Match: *`, atomically).
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wsgi import get_input_stream

from serverless.deploy.sigv4 import BadSignature, verify
from videocatalog.errors import error_body

LIMIT_TAG = "workshop:max-upload-bytes"
ACCOUNT = "123456789012"
Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _xml_error(start_response: Callable[..., Any], status: str, code: str, message: str) -> list[bytes]:
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error>").encode()
    start_response(status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


def _json_error(start_response: Callable[..., Any], status: str, code: str, message: str,
                cors: list[tuple[str, str]] | None = None) -> list[bytes]:
    body = json.dumps(error_body(code, message)).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *(cors or [])])
    return [body]


def _cors(bucket: str, origin: str | None) -> list[tuple[str, str]]:
    """The CORS header S3 adds for `origin` from the bucket's rules, so a web page can read our refusal."""
    from moto.s3.models import s3_backends
    from moto.s3.utils import cors_matches_origin

    if not origin:
        return []
    try:
        rules = s3_backends[ACCOUNT]["global"].get_bucket(bucket).cors
    except Exception:  # no such bucket
        return []
    allowed = any(r.allowed_origins and cors_matches_origin(origin, r.allowed_origins) for r in rules)
    return [("Access-Control-Allow-Origin", origin)] if allowed else []


def _drain(stream: Any, limit: int = 1 << 31) -> None:
    # Read what the client still sends, so it gets to read our refusal on a kept-alive connection.
    while limit > 0 and (chunk := stream.read(1 << 16)):
        limit -= len(chunk)


class UploadGuard:
    """WSGI middleware in front of moto's S3."""

    def __init__(self, app: Wsgi, secrets: dict[str, str] | None = None) -> None:
        self.app = app
        self.secrets = secrets or {"testing": "testing"}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._limits: dict[str, tuple[float, int | None]] = {}

    def _limit(self, bucket: str) -> int | None:
        cached = self._limits.get(bucket)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        from moto.s3.models import s3_backends

        try:
            tags = s3_backends[ACCOUNT]["global"].get_bucket_tagging(bucket).get("Tags", [])
            limit = next((int(t["Value"]) for t in tags if t["Key"] == LIMIT_TAG), None)
        except Exception:  # no such bucket, no tags
            limit = None
        self._limits[bucket] = (time.monotonic() + 2.0, limit)
        return limit

    def _exists(self, bucket: str, key: str) -> bool:
        from moto.s3.models import s3_backends

        try:
            return s3_backends[ACCOUNT]["global"].get_object(bucket, key) is not None
        except Exception:
            return False

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        method = environ.get("REQUEST_METHOD", "GET")
        bucket, _, key = path.lstrip("/").partition("/")
        presigned = "X-Amz-Credential=" in query or "X-Amz-Signature=" in query or "X-Amz-Algorithm=" in query
        guarded = bool(bucket) and self._limit(bucket) is not None
        if method == "OPTIONS":
            return self.app(environ, start_response)  # a CORS preflight carries no credentials; moto answers it
        if not presigned and not (guarded and "HTTP_AUTHORIZATION" not in environ):
            return self.app(environ, start_response)  # SDK calls (header-signed) go straight to moto
        headers = {k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
        headers["CONTENT-TYPE"] = environ.get("CONTENT_TYPE", "")
        try:  # a presigned URL, or an anonymous request to a private bucket (which S3 refuses)
            raw = (environ.get("RAW_URI") or environ.get("REQUEST_URI") or path).split("?", 1)[0]
            verify(method, raw, query, headers, self.secrets)
        except BadSignature as exc:
            _drain(get_input_stream(environ))
            return _xml_error(start_response, "403 Forbidden", exc.code, str(exc))
        if method == "PUT" and guarded and key.startswith("sources/"):
            return self._upload(environ, start_response, bucket, key)
        return self.app(environ, start_response)

    def _upload(self, environ: dict[str, Any], start_response: Callable[..., Any], bucket: str,
                key: str) -> Iterable[bytes]:
        limit = self._limit(bucket) or 0
        stream = get_input_stream(environ)  # bounded by Content-Length, or to the end of a chunked body
        spool = tempfile.SpooledTemporaryFile(8 * 1024 * 1024)
        size = 0
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > limit:
                spool.close()
                _drain(stream)
                return _json_error(start_response, "413 Request Entity Too Large", "payload_too_large",
                                   f"upload exceeds {limit} bytes", _cors(bucket, environ.get("HTTP_ORIGIN")))
            spool.write(chunk)
        with self._lock:
            lock = self._locks.setdefault(f"{bucket}/{key}", threading.Lock())
        with lock:  # one upload per source, even when several arrive at once
            if self._exists(bucket, key):
                spool.close()
                return _json_error(start_response, "409 Conflict", "conflict", "this video already has its upload",
                                   _cors(bucket, environ.get("HTTP_ORIGIN")))
            spool.seek(0)
            body = spool.read()
            spool.close()
            environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ["wsgi.input_terminated"] = False
            return list(self.app(environ, start_response))
