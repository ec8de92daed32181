"""Helpers shared by the local Lambda platform tests (a distinctive name: conftest is a shared one)."""

from __future__ import annotations

import io
import textwrap
import zipfile


def zip_of(files: dict[str, str]) -> bytes:
    """A deployment package holding the given files (sources are dedented)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, textwrap.dedent(text))
    return buf.getvalue()
