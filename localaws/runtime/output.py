"""The runtime's combined stdout/stderr, read line by line by one thread per environment."""

from __future__ import annotations

import fcntl
import os
import select
import sys
import termios
import threading
import time
from typing import IO


class OutputPipe:
    """Reads a process's output pipe until EOF (then closes it); lines are taken per invocation.

    The reader reads only when the pipe is readable, and reads and splits under one lock: so whoever
    holds the lock and finds the pipe empty knows every byte written so far is in `_lines`. (A flag set
    around a blocking read cannot tell "blocked, nothing pending" from "read returned, not yet split";
    on a loaded machine that window lost the output written just before a response.)
    """

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self._stream, self._fd = stream, stream.fileno()
        self._lines: list[str] = []
        self._partial = b""
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._read, name=name, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while True:
                readable, _, _ = select.select([self._fd], [], [], 0.5)
                if not readable:
                    continue
                with self._lock:
                    chunk = os.read(self._fd, 65536)  # readable: returns at once (b"" at EOF)
                    if not chunk:
                        return
                    *lines, self._partial = (self._partial + chunk).split(b"\n")
                    self._lines.extend(x.decode("utf-8", "replace") for x in lines)
        finally:
            # Only this thread closes the pipe, so its descriptor is never reused under a pending read.
            with self._lock:
                self._closed = True
                self._stream.close()

    def drain(self, timeout_s: float = 2.0) -> None:
        """Wait until output written before the response has been read (at most `timeout_s`)."""
        end = time.monotonic() + timeout_s
        buf = bytearray(4)
        while time.monotonic() < end:
            with self._lock:
                if self._closed:
                    return
                fcntl.ioctl(self._fd, termios.FIONREAD, buf)
                if int.from_bytes(buf, sys.byteorder) == 0:
                    return
            time.sleep(0.001)

    def take_lines(self) -> list[str]:
        """Output captured since the last call."""
        with self._lock:
            lines, self._lines = self._lines, []
            if self._partial:
                lines.append(self._partial.decode("utf-8", "replace"))
                self._partial = b""
        return lines

    def join(self, timeout: float) -> bool:
        """Wait for EOF (every writer of the pipe has exited); True if the reader has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()
