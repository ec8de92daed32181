"""S3 blob store, and the presigned URLs that let clients upload and download without the API in the way."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from videocatalog.adapters.awsclients import client
from videocatalog.errors import PayloadTooLarge

UPLOAD_CONTENT_TYPE = "application/octet-stream"


class S3BlobStore:
    """BlobStore on one bucket: keys are the core's keys (sources/ID, renditions/ID/NAME.EXT)."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    @property
    def s3(self) -> Any:
        return client("s3")

    def put_stream(self, key: str, stream: IO[bytes], max_bytes: int) -> int:
        with tempfile.SpooledTemporaryFile(8 * 1024 * 1024) as spool:
            size = 0
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(f"upload exceeds {max_bytes} bytes")
                spool.write(chunk)
            spool.seek(0)
            self.s3.upload_fileobj(spool, self.bucket, key)
        return size

    def put_file(self, key: str, path: str, content_type: str | None = None) -> int:
        extra = {"ContentType": content_type} if content_type else None
        self.s3.upload_file(path, self.bucket, key, ExtraArgs=extra)
        return os.path.getsize(path)  # not a HEAD: a writer's role need not be allowed to read

    def get_to_file(self, key: str, path: str) -> None:
        self.s3.download_file(self.bucket, key, path)

    def open(self, key: str) -> Iterator[bytes]:
        body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        yield from body.iter_chunks(1 << 16)

    def size(self, key: str) -> int | None:
        try:
            return int(self.s3.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except self.s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def delete_prefix(self, prefix: str) -> int:
        deleted = 0
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
            if keys:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
                deleted += len(keys)
        return deleted

    def presign_put(self, key: str, ttl_s: int) -> tuple[str, dict[str, str]]:
        """A presigned PUT URL for `key` and the headers the client must send with it (they are signed)."""
        # If-None-Match: * makes S3 refuse to overwrite an existing source (a conditional write).
        headers = {"Content-Type": UPLOAD_CONTENT_TYPE, "If-None-Match": "*"}
        url = self.s3.generate_presigned_url(
            "put_object", ExpiresIn=ttl_s, HttpMethod="PUT",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": UPLOAD_CONTENT_TYPE, "IfNoneMatch": "*"})
        return url, headers

    def presign_get(self, key: str, ttl_s: int = 3600) -> str:
        """A presigned GET URL for `key`."""
        return self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": key},
                                              ExpiresIn=ttl_s)
