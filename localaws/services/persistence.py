"""The state file: moto's state restored at start, saved every few seconds while requests come in, and at stop.

Opt-in (`PlatformConfig.state_file`, WORKSHOP_LOCALAWS_STATE_FILE, `serve --state-file`). A snapshot is
written to a temporary file beside the state file and renamed over it, so a crash (kill -9 included) at any
moment leaves the previous snapshot or the new one, never half of one. A state file that cannot be used
(corrupt, another moto version) is moved aside to `<file>.bad` and the local AWS starts empty.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from localaws.services import snapshot

log = logging.getLogger("localaws.persistence")


def write_atomically(path: Path, blob: bytes) -> None:
    """Write `blob` to `path` through a temporary file and a rename (fsync'd: a crash keeps one whole file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def restore_file(path: Path) -> bool:
    """Restore moto's state from `path`; False (and a log line saying why) when it starts empty instead."""
    if not path.exists():
        log.info("localaws state: no state file at %s; starting empty", path)
        return False
    started = time.monotonic()
    try:
        restored = snapshot.restore(path.read_bytes())
    except Exception as exc:  # corrupt, truncated by hand, another moto: never a crash, start empty
        bad = path.with_name(path.name + ".bad")
        try:
            os.replace(path, bad)  # kept for a look; the next snapshot must not be mistaken for it
        except OSError:
            pass
        log.warning("localaws state: %s cannot be restored (%s: %s); moved to %s, starting empty",
                    path, type(exc).__name__, exc, bad)
        return False
    age = time.time() - path.stat().st_mtime
    services = ", ".join(sorted(restored)) or "nothing"
    log.info("localaws state: restored %s from %s (saved %.1f s ago) in %.0f ms", services, path, age,
                (time.monotonic() - started) * 1000)
    return True


class Persistence:
    """Saves moto's state to one file: periodically when requests were served since the last save, and at stop."""

    def __init__(self, path: str | os.PathLike[str], interval_s: float, requests: Callable[[], int]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.interval_s = interval_s
        self._requests = requests  # a counter the front bumps per request: unchanged means nothing to save
        self._saved_at_count = -1
        self._stopping = threading.Event()
        self._save_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.snapshots: list[float] = []  # seconds each snapshot took (capture + write), for benchmarks

    def restore(self) -> bool:
        """Restore the state file into moto (before the local AWS serves anything)."""
        return restore_file(self.path)

    def save(self) -> float:
        """Take a snapshot now and write it; returns the seconds it took."""
        with self._save_lock:
            started = time.perf_counter()
            count = self._requests()
            write_atomically(self.path, snapshot.capture())
            self._saved_at_count = count
            took = time.perf_counter() - started
            self.snapshots.append(took)
            return took

    def start(self) -> Callable[[], None]:
        """Start the periodic saver; returns the stop function (which saves a last time)."""
        if self.interval_s > 0:
            self._thread = threading.Thread(target=self._run, name="localaws-state", daemon=True)
            self._thread.start()
        return self.stop

    def _run(self) -> None:
        while not self._stopping.wait(self.interval_s):
            if self._requests() == self._saved_at_count:
                continue  # nothing was asked of moto since the last snapshot
            try:
                self.save()
            except Exception:  # a full disk must not stop the local AWS; the next period tries again
                log.exception("localaws state: snapshot to %s failed", self.path)

    def stop(self) -> None:
        """Stop the periodic saver and save the final state (graceful shutdown)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(30)
        try:
            self.save()
            log.info("localaws state: saved to %s at shutdown", self.path)
        except Exception:
            log.exception("localaws state: final snapshot to %s failed", self.path)
