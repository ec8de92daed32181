"""Character rules of the contract's text fields, stated once so the code and the OpenAPI patterns agree.

A JSON Schema `pattern` is an ECMA-262 regex while the code runs Python: their `\\s` and `$` differ (ECMA's
`\\s` has U+FEFF, Python's has U+001C-U+001F and U+0085; Python's `$` also matches before a final newline).
So the contract names its sets explicitly and the code uses exactly those sets, never `\\s` or `str.strip()`.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (U+0085 NEL among them): never allowed in a title.
CONTROL = "\x00-\x1f\x7f-\x9f"
# The whitespace a title is trimmed of: Unicode's space separators and the line/paragraph separators.
SPACE = " \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SPACE_CHARS = "".join(chr(c) for c in [0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
                                        0x205F, 0x3000])
CONTROL_RE = re.compile(f"[{CONTROL}]")
# The cursor is URL-safe base64 without padding (what `encode_cursor` writes).
CURSOR_ALPHABET = "A-Za-z0-9_-"
# What a cursor carries: a created_at as the API writes it (RFC 3339, UTC) and a video id.
CREATED_AT_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z")
VIDEO_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def has_control(text: str) -> bool:
    """True when `text` holds a control character (C0, DEL or C1)."""
    return CONTROL_RE.search(text) is not None


def trim(text: str) -> str:
    """`text` without leading and trailing contract whitespace."""
    return text.strip(SPACE_CHARS)
