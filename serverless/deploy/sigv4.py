"""Check an S3 presigned URL's SigV4 query signature the way S3 does (moto accepts any signature)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

ALGORITHM = "AWS4-HMAC-SHA256"


class BadSignature(Exception):
    """The request's query signature is missing, wrong or expired (S3 answers 403)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _canonical_query(pairs: list[tuple[str, str]]) -> str:
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs if k != "X-Amz-Signature")
    return "&".join(f"{k}={v}" for k, v in encoded)


def verify(method: str, raw_path: str, query: str, headers: dict[str, str], secrets: dict[str, str],
           now: datetime | None = None) -> str:
    """Return the access key id of a valid presigned request; raise BadSignature otherwise."""
    pairs = parse_qsl(query, keep_blank_values=True)
    params = dict(pairs)
    if params.get("X-Amz-Algorithm") != ALGORITHM or not params.get("X-Amz-Signature"):
        raise BadSignature("AccessDenied", "Query-string authentication requires X-Amz-Algorithm and a signature")
    try:
        key_id, date, region, service, _ = params["X-Amz-Credential"].split("/")
        stamp = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        expires = int(params["X-Amz-Expires"])
        signed = params["X-Amz-SignedHeaders"].split(";")
    except (KeyError, ValueError) as exc:
        raise BadSignature("AuthorizationQueryParametersError", "malformed presigned URL") from exc
    if key_id not in secrets:
        raise BadSignature("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    if (now or datetime.now(UTC)).timestamp() > stamp.timestamp() + expires:
        raise BadSignature("AccessDenied", "Request has expired")
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{h}:{' '.join(lower.get(h, '').split())}\n" for h in signed)
    canonical = "\n".join([method, quote(raw_path, safe="/~%"), _canonical_query(pairs), canonical_headers,
                           ";".join(signed), "UNSIGNED-PAYLOAD"])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, params["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secrets[key_id]).encode(), date), region), service), "aws4_request")
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, params["X-Amz-Signature"]):
        raise BadSignature("SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided.")
    return key_id
