"""Uses /tmp as a cache of an S3 object: downloaded once per environment, read from disk afterwards."""

import os
import tempfile
import time
from pathlib import Path

import boto3

S3 = boto3.client("s3")


def handler(event, context):
    """Return whether the object came from /tmp (hit) or S3 (miss), and how long getting it took."""
    path = Path(tempfile.gettempdir()) / "cache" / os.environ["OBJECT_KEY"]
    start = time.perf_counter()
    hit = path.exists()
    if not hit:
        path.parent.mkdir(parents=True, exist_ok=True)
        S3.download_file(os.environ["BUCKET"], os.environ["OBJECT_KEY"], str(path))
    size = len(path.read_bytes())
    fetch_ms = round((time.perf_counter() - start) * 1000, 2)
    time.sleep(float(event.get("hold_s", 0)))  # keep this environment busy, so a burst needs others
    return {"hit": hit, "fetch_ms": fetch_ms, "bytes": size}
