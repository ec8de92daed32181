"""A blob store on a local folder; writes land atomically (temporary file, then rename)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from videocatalog.errors import NotFound, PayloadTooLarge, ValidationError

CHUNK = 1 << 16


class FilesystemBlobStore:
    """Blobs as files below `root`, named by key."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValidationError("key", "escapes the blob store")
        return path

    def put_stream(self, key: str, stream: IO[bytes], max_bytes: int) -> int:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise PayloadTooLarge(f"upload exceeds {max_bytes} bytes")
                    out.write(chunk)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return written

    def put_file(self, key: str, path: str) -> int:
        with open(path, "rb") as fh:
            return self.put_stream(key, fh, 1 << 62)

    def get_to_file(self, key: str, path: str) -> None:
        src = self._path(key)
        if not src.exists():
            raise NotFound(f"blob {key} not found")
        shutil.copyfile(src, path)

    def open(self, key: str) -> Iterator[bytes]:
        path = self._path(key)
        if not path.is_file():
            raise NotFound(f"blob {key} not found")
        fh = path.open("rb")  # opened now, so a missing file fails before the response starts

        def chunks() -> Iterator[bytes]:
            with fh:
                while chunk := fh.read(CHUNK):
                    yield chunk
        return chunks()

    def size(self, key: str) -> int | None:
        path = self._path(key)
        return path.stat().st_size if path.is_file() else None

    def delete_prefix(self, prefix: str) -> int:
        base = self._path(prefix.rstrip("/") or ".")
        if base.is_dir():
            count = sum(1 for p in base.rglob("*") if p.is_file())
            shutil.rmtree(base)
            return count
        doomed = [p for p in base.parent.glob(base.name + "*") if p.is_file()] if base.parent.exists() else []
        for p in doomed:
            p.unlink()
        return len(doomed)
