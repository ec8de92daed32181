"""Find the ffmpeg binary of the layer (imageio_ffmpeg under python/) and make sure it can run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def ensure_ffmpeg() -> str:
    """Path of a runnable ffmpeg, exported as IMAGEIO_FFMPEG_EXE for the transcoder."""
    if os.environ.get("IMAGEIO_FFMPEG_EXE"):
        return os.environ["IMAGEIO_FFMPEG_EXE"]
    import imageio_ffmpeg

    found = sorted((Path(imageio_ffmpeg.__file__).parent / "binaries").glob("ffmpeg-*"))
    if not found:
        raise RuntimeError("the ffmpeg layer holds no ffmpeg binary")
    exe = found[0]
    if not os.access(exe, os.X_OK):
        # A zip made without mode bits loses +x (Lambda keeps the bits it finds): run a copy from /tmp.
        local = Path(os.environ.get("TMPDIR", "/tmp")) / "bin" / "ffmpeg"
        if not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(exe, local)
            local.chmod(0o755)
        exe = local
    os.environ["IMAGEIO_FFMPEG_EXE"] = str(exe)
    return str(exe)
