"""The web page as a static website: `videocatalog/webui` uploaded to the website bucket, with its API's URL.

The files are the ones every other architecture serves; only `config.js` differs, naming the HTTP API's
stage URL, because here the page and the API have different origins (the API's CORS allows the call).
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from serverless.deploy.aws import Target
from videocatalog.web.ui import WEBUI_DIR

CACHE = "max-age=60"


def config_js(api_url: str) -> bytes:
    """The page's config.js pointing it at `api_url`."""
    return f"window.CATALOG_CONFIG = {json.dumps({'api': api_url})};\n".encode()


def publish(t: Target, bucket: str, api_url: str) -> str:
    """Upload the page to `bucket` and return the URL a browser opens."""
    s3 = t.client("s3")
    for path in sorted(p for p in WEBUI_DIR.iterdir() if p.is_file()):
        body = config_js(api_url) if path.name == "config.js" else path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        s3.put_object(Bucket=bucket, Key=path.name, Body=body, ContentType=content_type, CacheControl=CACHE)
    return website_url(t, bucket)


def website_url(t: Target, bucket: str) -> str:
    """The website's URL: S3's website endpoint on AWS; locally the object path on the local AWS.

    Locally the host is `localhost` while the API is on `127.0.0.1`: two origins, as on AWS, so the
    page's calls really go through CORS (both names are this machine's loopback).
    """
    if t.kind == "local" and t.endpoint:
        return f"{t.endpoint.replace('127.0.0.1', 'localhost')}/{bucket}/index.html"
    return f"http://{bucket}.s3-website-{t.region}.amazonaws.com/"


def outputs(t: Target, refs: dict[str, Any], api_url: str) -> dict[str, str]:
    """Publish the page when the stack has a website bucket; the outputs that name it."""
    bucket = refs.get("WebsiteBucket")
    return {"website_bucket": bucket, "website_url": publish(t, bucket, api_url)} if bucket else {}
