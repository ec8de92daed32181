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


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def running() -> bool:
    """True while a recorded local AWS process of the serverless architecture is alive."""
    return any(procs.alive(rec["pid"]) for rec in procs.records(ARCH).values() if "pid" in rec)


def leftovers(base: Path, records: bool = False) -> list[Path]:
    """Paths under the local AWS's state folder `base` no running system uses (and records, build leftovers)."""
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


def clean(base: Path, records: bool = False) -> tuple[list[Path], int]:
    """Remove the leftovers under `base` when the serverless local AWS is not running; returns (paths, bytes)."""
    if running():
        raise RuntimeError("serverless is up: its local AWS uses this code; run `workshop down serverless` first")
    paths = leftovers(base, records)
    return paths, remove(paths)
