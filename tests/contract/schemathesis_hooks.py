"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): how to make the contract's own `cursor` format.

A cursor is opaque to clients and only the API writes it, so the fuzzer draws cursors the way the API
makes them: `encode_cursor` over a created_at in the API's RFC 3339 form and a video id.
"""

from __future__ import annotations

from datetime import UTC, datetime

import schemathesis
from hypothesis import strategies as st

from videocatalog.validation import encode_cursor

CREATED_AT = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda t: t.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
VIDEO_ID = st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)

schemathesis.openapi.format("cursor", st.tuples(CREATED_AT, VIDEO_ID).map(encode_cursor))
