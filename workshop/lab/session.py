"""Notebook helpers: quick mode, architectures that are always brought down, small measurements and displays."""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from videocatalog import config
from workshop import archs, settings
from workshop.lab.probe import percentiles, show, time_calls, time_calls_for, watch_cascade, watch_health  # noqa: F401  (re-exported: notebooks call them as lab.*)
from workshop.lab.progress import cli, run_load, ticker, wait_settled  # noqa: F401  (re-exported: lab.cli, lab.run_load...)
from workshop.measure.client import CatalogClient
from workshop.runtime import procs

_RUNNING: dict[str, Any] = {}  # anything with a down() method, by key
_HOOKED = {"done": False}


def quick() -> bool:
    """True in quick mode (WORKSHOP_QUICK=1): smaller loads, shorter runs."""
    return _quick_mode()


def _quick_mode() -> bool:  # also reachable where a parameter named `quick` hides the function
    return settings.quick()


def choose(quick_value: Any, full_value: Any) -> Any:
    """`quick_value` in quick mode, else `full_value`."""
    return quick_value if quick() else full_value


def scratch(name: str) -> Path:
    """A folder for a notebook's files (clips, results) under the state directory."""
    path = config.state_dir() / "notebooks" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


class Running:
    """One architecture brought up by `start`; `down()` (or the end of the kernel) stops it."""

    def __init__(self, arch: str, url: str, backend: str | None) -> None:
        self.arch, self.url, self.backend = arch, url, backend
        self.module = archs.load(arch)
        self.client = CatalogClient(url)

    def deploy(self, component: str | None, release: str, fault: str | None = None) -> str:
        """Release one component (monolith: the whole unit), optionally a bad release with `fault`."""
        with quietly():
            self.url = self.module.deploy(component, release, {"WORKSHOP_FAULT": fault} if fault else {})
        self.client = CatalogClient(self.url)
        return self.url

    def components(self) -> dict[str, str]:
        """The release of each component, as the harness recorded it."""
        return dict((procs.load_arch(self.arch) or {}).get("components", {}))

    def pids(self) -> dict[str, int]:
        """The processes of the system under test, by name."""
        return self.module.pids()

    def down(self) -> None:
        """Stop everything this architecture started (idempotent)."""
        self.module.down()
        _RUNNING.pop(self.arch, None)

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    def __repr__(self) -> str:
        return f"<{self.arch} at {self.url}>"


@contextlib.contextmanager
def quietly() -> Iterator[io.StringIO]:
    """Hold back what the harness prints (deploy steps...) unless the block fails, then show its tail.

    Python's stdout and stderr and file descriptors 1 and 2 are all held: subprocesses write to the latter.
    """
    chatter = io.StringIO()
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as sink:
        saved = {fd: os.dup(fd) for fd in (1, 2)}
        for fd in saved:
            os.dup2(sink.fileno(), fd)
        try:
            with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
                yield chatter
        except BaseException:
            _restore(saved)
            sink.seek(0)
            print(chatter.getvalue()[-4000:] + sink.read().decode(errors="replace")[-4000:])
            raise
        finally:
            _restore(saved)


def _restore(saved: dict[int, int]) -> None:
    for fd, copy in list(saved.items()):
        os.dup2(copy, fd)
        os.close(copy)
        del saved[fd]


def start(arch: str, backend: str | None = None, release: str = "v1") -> Running:
    """Bring `arch` up through the harness, first stopping whatever a previous run left; always torn down."""
    _install_cleanup()
    module = archs.load(arch)
    module.down()  # a re-run, or a kernel that died: never two copies, never orphans
    _RUNNING.pop(arch, None)
    try:
        with quietly():
            url = module.up(backend=backend, release=release)
    except BaseException:
        module.down()
        raise
    running = Running(arch, url, backend)
    remember(arch, running)
    return running


def remember(key: str, thing: Any) -> None:
    """Track something with a `down()` method so the kernel's clean-up stops it too."""
    _install_cleanup()
    _RUNNING[key] = thing


def forget(key: str) -> None:
    """Stop tracking `key` (it was brought down)."""
    _RUNNING.pop(key, None)


def status() -> list[dict[str, Any]]:
    """What the harness records as up in this state folder: one row per architecture (empty when none)."""
    rows = []
    for name in archs.ARCHITECTURES:
        info = procs.load_arch(name)
        if info:
            rows.append({"architecture": name, "url": info.get("url"), "backend": info.get("backend"),
                         "releases": info.get("components"), "processes": len(procs.records(name))})
    return rows


def stop_all() -> list[str]:
    """Stop everything started from this kernel (architectures, local AWS); returns their names."""
    stopped = []
    for arch in list(_RUNNING):
        _RUNNING[arch].down()
        stopped.append(arch)
    return stopped


def _install_cleanup() -> None:
    # atexit covers a normal kernel shutdown or restart; SIGTERM/SIGHUP cover a kernel being terminated.
    if _HOOKED["done"]:
        return
    _HOOKED["done"] = True
    atexit.register(stop_all)
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous = signal.getsignal(sig)

        def handler(signum, frame, previous=previous):
            stop_all()
            if callable(previous):
                previous(signum, frame)
            else:
                raise SystemExit(128 + signum)

        signal.signal(sig, handler)


class _Bench:
    """The `workshop bench` process of a notebook; down() ends it like Ctrl-C (it then stops what it started)."""

    def down(self) -> None:
        procs.stop("lab-bench", "bench", timeout_s=120)
        forget("lab-bench")


def bench(out: Path, archs_: list[str] | None = None, backend: str | None = "process",
          timeout_s: float = 1800, quick: bool | None = None) -> str:
    """Run `workshop bench` as a tracked process; returns what it printed.

    `quick=True` adds `--quick` (shorter loads), `quick=False` runs the full bench (far longer; raise
    `timeout_s`), and None follows quick mode: `--quick` only when WORKSHOP_QUICK=1 (see `quick()`).
    """
    procs.stop("lab-bench", "bench", timeout_s=120)  # a previous run's, if the kernel died under it
    argv = [sys.executable, "-m", "workshop", "bench", "--out", str(out)]
    argv += ["--quick"] if (_quick_mode() if quick is None else quick) else []
    argv += ["--archs", ",".join(archs_)] if archs_ else []
    argv += ["--backend", backend] if backend else []
    log = procs.run_dir("lab-bench") / "bench.log"
    log.unlink(missing_ok=True)
    pid = procs.start("lab-bench", "bench", argv, cwd=str(procs.PROJECT_ROOT))
    remember("lab-bench", _Bench())
    deadline = time.monotonic() + timeout_s
    # A progress line (elapsed time and the bench's latest line) so a minutes-long cell is never silent.
    bar = tqdm(desc="workshop bench", unit="s", bar_format="{desc}: {elapsed} {postfix}", file=sys.stderr)
    try:
        while procs.alive(pid):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bench took longer than {timeout_s:.0f} s; see {log}")
            time.sleep(1)
            bar.set_postfix_str(_last_line(log)[:80], refresh=False)
            bar.update(1)
    finally:
        bar.close()
        _Bench().down()
    return log.read_text(errors="replace")


def _last_line(log: Path) -> str:
    try:
        lines = log.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""
