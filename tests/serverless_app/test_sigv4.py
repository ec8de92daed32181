"""The local S3 edge checks presigned URLs as S3 does: the URL as signed passes, any change is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from serverless.deploy.sigv4 import BadSignature, verify

SECRETS = {"testing": "testing"}


def presigned(expires: int = 60) -> tuple[str, str, str]:
    s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:9", region_name="us-east-1", aws_access_key_id="testing",
                      aws_secret_access_key="testing", config=Config(signature_version="s3v4"))
    url = s3.generate_presigned_url("put_object", ExpiresIn=expires, Params={
        "Bucket": "b", "Key": "sources/v1", "ContentType": "application/octet-stream", "IfNoneMatch": "*"})
    parts = urlsplit(url)
    return parts.path, parts.query, parts.netloc


HEADERS = {"Content-Type": "application/octet-stream", "If-None-Match": "*"}


def test_the_url_as_signed_is_accepted():
    path, query, host = presigned()
    assert verify("PUT", path, query, {**HEADERS, "Host": host}, SECRETS) == "testing"


@pytest.mark.parametrize("change", ["method", "path", "signature", "header", "missing-header", "unknown-key"])
def test_any_change_is_refused(change):
    path, query, host = presigned()
    method, headers = "PUT", {**HEADERS, "Host": host}
    if change == "method":
        method = "POST"
    elif change == "path":
        path = path.replace("v1", "v2")
    elif change == "signature":
        query = query.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    elif change == "header":
        headers["Content-Type"] = "video/mp4"
    elif change == "missing-header":
        del headers["If-None-Match"]
    else:
        query = query.replace("Credential=testing", "Credential=someone")
    with pytest.raises(BadSignature):
        verify(method, path, query, headers, SECRETS)


def test_an_expired_url_is_refused():
    path, query, host = presigned(expires=60)
    later = datetime.now(UTC) + timedelta(seconds=61)
    with pytest.raises(BadSignature, match="expired"):
        verify("PUT", path, query, {**HEADERS, "Host": host}, SECRETS, now=later)
