"""Remove what earlier `up`s of serverless left in the state folder once no running system uses it.

The local AWS unpacks every deployed function version under its state folder (`code/`, with the ffmpeg
layer in the render and probe functions: tens of MB per deploy) and gives each environment a folder
(`envs/`). Its functions live only in that process's memory, so once it is stopped none of this is used
by anything. `down` removes those; `workshop clean` also removes the billing and concurrency records and
the build folder's stale packages (layer zips of other imageio-ffmpeg versions, unfinished `.part` files).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from videocatalog import config
from workshop.runtime import procs

ARCH = "serverless"


def localaws_dir() -> Path:
    """The local AWS's state folder (the serverless architecture's, under the current state dir)."""
    from workshop.archs.serverless.arch import state_dir

    return state_dir()


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def running() -> bool:
    """True while a recorded local AWS process of the serverless architecture is alive."""
    return any(procs.alive(rec["pid"]) for rec in procs.records(ARCH).values() if "pid" in rec)


def leftovers(records: bool = False) -> list[Path]:
    """Paths no running system uses: unpacked code and environment folders (and records, build leftovers)."""
    base = localaws_dir()
    found = [base / "code", base / "envs"]
    if records:
        found += [base / "lambda" / "invocations.jsonl", base / "lambda" / "concurrency.jsonl"]
        found += stale_builds(config.state_dir() / "build" / "serverless")
    return [p for p in found if p.exists()]


def stale_builds(build: Path) -> list[Path]:
    """Unfinished packages and layer zips of an imageio-ffmpeg version other than the installed one."""
    if not build.is_dir():
        return []
    import imageio_ffmpeg

    current = f"ffmpeg-layer-{imageio_ffmpeg.__version__}.zip"
    return sorted(p for p in build.iterdir()
                  if p.suffix == ".part" or (p.name.startswith("ffmpeg-layer-") and p.name != current))


def remove(paths: list[Path]) -> int:
    """Delete the paths (folders recursively); returns the bytes freed."""
    freed = 0
    for path in paths:
        freed += _size(path)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return freed


def clean(records: bool = False) -> tuple[list[Path], int]:
    """Remove the serverless leftovers when its local AWS is not running; returns (paths, bytes freed)."""
    if running():
        raise RuntimeError("serverless is up: its local AWS uses this code; run `workshop down serverless` first")
    paths = leftovers(records)
    return paths, remove(paths)
