"""The runtime's combined stdout/stderr, read line by line by one thread per environment."""

from __future__ import annotations

import fcntl
import os
import sys
import termios
import threading
import time
from typing import IO


class OutputPipe:
    """Reads a process's output pipe until EOF (then closes it); lines are taken per invocation."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self._stream, self._fd = stream, stream.fileno()
        self._lines: list[str] = []
        self._partial = b""
        self._lock = threading.Lock()
        self._in_read = False
        self._closed = False
        self._thread = threading.Thread(target=self._read, name=name, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while True:
                self._in_read = True
                chunk = os.read(self._fd, 65536)
                self._in_read = False
                if not chunk:
                    return
                with self._lock:
                    *lines, self._partial = (self._partial + chunk).split(b"\n")
                    self._lines.extend(x.decode("utf-8", "replace") for x in lines)
        finally:
            # Only this thread closes the pipe, so its descriptor is never reused under a pending read.
            with self._lock:
                self._closed = True
                self._stream.close()

    def drain(self) -> None:
        """Wait (at most 50 ms) until output written before the response has been read."""
        end = time.monotonic() + 0.05
        buf = bytearray(4)
        while time.monotonic() < end:
            with self._lock:
                if self._closed:
                    return
                fcntl.ioctl(self._fd, termios.FIONREAD, buf)
            if int.from_bytes(buf, sys.byteorder) == 0 and self._in_read:
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
