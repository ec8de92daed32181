"""Run `wrk` (a C load generator) as a reference: if it gets no more than Locust, Locust was not the limit."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def available() -> bool:
    """True when the wrk binary is on PATH (Debian package `wrk`)."""
    return shutil.which("wrk") is not None


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS_MS[unit]


def parse(output: str) -> dict:
    """Requests/s, request count, errors and latency percentiles from wrk's --latency output."""
    out: dict = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    count = re.search(r"(\d+) requests in", output)
    out["requests"] = int(count.group(1)) if count else None
    for pct, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.MULTILINE):
        out[f"p{pct}_ms"] = round(_ms(value), 2)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    out["errors"] = (int(errors.group(1)) if errors else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return out


def run(url: str, folder: Path, duration_s: int = 8, threads: int = 1, connections: int = 16) -> dict:
    """Run wrk against `url`, save its output to wrk.txt, return the parsed figures and the settings."""
    folder.mkdir(parents=True, exist_ok=True)
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--latency", url]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration_s + 30)
    (folder / "wrk.txt").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:200]}")
    return {**parse(done.stdout), "argv": argv}
