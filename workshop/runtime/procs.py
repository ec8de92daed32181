"""Start, track and stop the processes of a running architecture (pid files under the state dir)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from videocatalog import config
from workshop.records import ArchRecord

PYTHON = sys.executable
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the checkout


def run_dir(arch: str) -> Path:
    """Where the pid files and logs of `arch` live."""
    path = config.state_dir() / "run" / arch
    path.mkdir(parents=True, exist_ok=True)
    return path


def port_is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def choose_port(preferred: int) -> int:
    """`preferred` when it is free, else any free port (several copies may run side by side)."""
    return preferred if port_is_free(preferred) else free_port()


def start(arch: str, name: str, argv: list[str], env: dict[str, str] | None = None,
          cwd: str | None = None, port: int | None = None) -> int:
    """Start a process in its own session, log to run_dir/NAME.log, record its pid; returns the pid."""
    if port is not None and not port_is_free(port):
        raise RuntimeError(f"{arch}/{name}: port {port} is already in use on 127.0.0.1")
    folder = run_dir(arch)
    log = open(folder / f"{name}.log", "ab")
    full_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(argv, env=full_env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    record = {"pid": proc.pid, "argv": argv, "port": port, "started": time.time(),
              "release": (env or {}).get("WORKSHOP_RELEASE", "v1")}
    (folder / f"{name}.json").write_text(json.dumps(record))
    return proc.pid


def records(arch: str) -> dict[str, dict]:
    """The recorded processes of `arch`, by name."""
    return {p.stem: json.loads(p.read_text()) for p in sorted(run_dir(arch).glob("*.json"))
            if p.stem != "arch"}


def alive(pid: int) -> bool:
    """True when the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def stop(arch: str, name: str, timeout_s: float = 20, leader_signal: int = signal.SIGTERM) -> None:
    """Stop one recorded process gracefully, then whatever is left of its process group.

    `leader_signal` SIGINT is gunicorn's quick shutdown, for a unit that served nothing worth draining.
    """
    path = run_dir(arch) / f"{name}.json"
    if not path.exists():
        return
    pid = json.loads(path.read_text())["pid"]
    # The leader alone first (a gunicorn master stops its workers in order). A TERM to the whole group at
    # once would also kill a running ffmpeg under a live worker, which would record a failed rendition.
    _signal_and_wait(lambda sig: os.kill(pid, sig), lambda: alive(pid), leader_signal, timeout_s, pid)
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):  # orphans, or a leader that would not stop
        if not _signal_and_wait(lambda s: os.killpg(pid, s), lambda: _group_alive(pid), sig, wait, pid):
            break
    _reap(pid)
    path.unlink(missing_ok=True)


def _signal_and_wait(send, is_alive, sig: int, wait_s: float, pid: int) -> bool:
    """Send `sig`, wait until `is_alive()` is false; False when there was nothing left to signal."""
    try:
        send(sig)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and is_alive():
        _reap(pid)
        time.sleep(0.05)
    return True


def _group_alive(pgid: int) -> bool:
    """True while any process of the group is left (zombies of ours are reaped on the way)."""
    _reap(pgid)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return any(_pgid_of(p) == pgid and alive(p) for p in _pids())


def _pids() -> list[int]:
    return [int(d) for d in os.listdir("/proc") if d.isdigit()]


def _pgid_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def stop_all(arch: str) -> None:
    """Stop every recorded process of `arch`."""
    for name in records(arch):
        stop(arch, name)
    (run_dir(arch) / "arch.json").unlink(missing_ok=True)


def wait_healthy(url: str, timeout_s: float = 60, pid: int | None = None, start: float | None = None,
                 poll_s: float = 0.1, gone: Callable[[], str | None] | None = None) -> float:
    """Poll `url` until it answers 200; returns the seconds since `start` (monotonic; default: now).

    Every health wait of the harness is this one. It fails fast if `pid` dies first, or when `gone()`
    returns a reason (a container that exited, say).
    """
    start_t = time.monotonic() if start is None else start
    with requests.Session() as http:
        while time.monotonic() - start_t < timeout_s:
            if pid is not None and not alive(pid):
                raise RuntimeError(f"process {pid} exited before {url} answered 200")
            reason = gone() if gone is not None else None
            if reason:
                raise RuntimeError(reason)
            try:
                if http.get(url, timeout=2).status_code == 200:
                    return time.monotonic() - start_t
            except requests.RequestException:
                pass
            time.sleep(poll_s)
    raise TimeoutError(f"{url} did not answer 200 within {timeout_s:.0f}s")


def save_arch(arch: str, info: ArchRecord) -> None:
    """Record what `workshop status` shows for a running architecture."""
    (run_dir(arch) / "arch.json").write_text(json.dumps(info))


class AlreadyUp(SystemExit):
    """Refusal to start an architecture that is running already (and must keep running)."""


def load_arch(arch: str) -> ArchRecord | None:
    """What was recorded by save_arch, if the architecture is up."""
    path = run_dir(arch) / "arch.json"
    return json.loads(path.read_text()) if path.exists() else None
