"""One execution environment: a runtime-client process with its own Runtime API, /tmp and log stream."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psutil

from localaws.runtime.output import OutputPipe
from localaws.runtime.resources import EnvironmentResources
from localaws.runtime.runtime_api import Invocation, RuntimeApi
from localaws.services.state import FunctionSpec

log = logging.getLogger(__name__)
FALLBACK_RIC = Path(__file__).with_name("fallback_ric.py")
SERVICE_HOOK = Path(__file__).with_name("hook")  # sitecustomize.py: times the function's AWS calls
HAS_AWSLAMBDARIC = importlib.util.find_spec("awslambdaric") is not None


class InitFailed(Exception):
    """The runtime reported an init error, exited, or did not become ready in time."""

    def __init__(self, error: dict, init_ms: float) -> None:
        super().__init__(error.get("errorMessage", "init failed"))
        self.error, self.init_ms = error, init_ms


class InitTimedOut(InitFailed):
    """INIT outlived its limit while the runtime was still starting (AWS retries it within the first call)."""


def runtime_command(handler: str, own: bool) -> list[str]:
    """The command that starts a runtime client for the handler."""
    if HAS_AWSLAMBDARIC and not own:
        return [sys.executable, "-m", "awslambdaric", handler]
    return [sys.executable, str(FALLBACK_RIC), handler]


class ExecutionEnvironment:
    """A separate process that runs one function version, one request at a time."""

    def __init__(self, spec: FunctionSpec, root: Path, endpoint: str, own_ric: bool = False,
                 init_cpu: str = "boost") -> None:
        self.id = uuid.uuid4().hex
        self.spec = spec
        self.log_stream = f"{datetime.now(UTC):%Y/%m/%d}/[{spec.version}]{self.id}"
        self.dir = root / "envs" / self.id
        self.tmp = self.dir / "tmp"
        self.endpoint, self.own_ric = endpoint, own_ric
        self.api = RuntimeApi()
        self.proc: subprocess.Popen[bytes] | None = None
        self.busy, self.dead = True, False
        self.last_used = time.monotonic()
        self.init_ms = 0.0
        self.output: OutputPipe | None = None
        self._life = threading.Lock()  # start() and kill() never interleave
        self._killed = False
        self.resources = EnvironmentResources(self.id, spec.memory_mb, spec.ephemeral_mb, self.tmp)
        self.init_cpu = init_cpu
        self.service_file = self.dir / "service.json"  # written by the hook in the runtime process

    def start(self, task_root: Path, layer_paths: list[Path]) -> None:
        """Spawn the runtime client process (the start of INIT); refused once the environment was killed."""
        with self._life:
            if self._killed:
                raise RuntimeError("execution environment already stopped")
            self.tmp.mkdir(parents=True, exist_ok=True)
            self.resources.setup(self.init_cpu)  # cgroup and sized /tmp before the first instruction runs
            self.api.start()
            self._t0 = time.perf_counter()
            self.proc = subprocess.Popen(
                self.resources.wrap(runtime_command(self.spec.handler, self.own_ric)), cwd=task_root,
                env=self._env(task_root, layer_paths), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True)
            assert self.proc.stdout
            self.output = OutputPipe(self.proc.stdout, f"env-output-{self.id[:8]}")

    def _env(self, task_root: Path, layer_paths: list[Path]) -> dict[str, str]:
        s = self.spec
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "en_US.UTF-8", "TZ": ":UTC",
            "HOME": str(self.tmp), "TMPDIR": str(self.tmp), "LAMBDA_TASK_ROOT": str(task_root),
            "PYTHONPATH": os.pathsep.join([str(task_root)] + [str(p) for p in layer_paths] + [str(SERVICE_HOOK)]),
            "LOCALAWS_SERVICE_FILE": str(self.service_file),
            "AWS_LAMBDA_RUNTIME_API": self.api.address, "_HANDLER": s.handler,
            "AWS_LAMBDA_FUNCTION_NAME": s.name, "AWS_LAMBDA_FUNCTION_VERSION": s.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(s.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{s.name}", "AWS_LAMBDA_LOG_STREAM_NAME": self.log_stream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "AWS_EXECUTION_ENV": f"AWS_Lambda_{s.runtime}",
            "AWS_REGION": s.region, "AWS_DEFAULT_REGION": s.region,
            # The function's SDK calls go to the local AWS, with dummy role credentials.
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
        }
        env.update(s.env)
        return env

    @property
    def exited(self) -> bool:
        """True once the runtime process has ended (the environment can serve no more requests)."""
        return self.proc is not None and self.proc.poll() is not None

    def wait_init(self, timeout_s: float) -> float:
        """Block until the runtime asks for its first event; return Init Duration in ms."""
        deadline = time.monotonic() + timeout_s
        while not self.api.ready.wait(0.05):
            if self.proc and self.proc.poll() is not None:
                self.api.ready_at = time.perf_counter()
                break
            if time.monotonic() > deadline:
                self.api.ready_at = time.perf_counter()
                break
        self.init_ms = (self.api.ready_at - self._t0) * 1000
        self.resources.after_init()
        if self.api.init_error:
            raise InitFailed(self.api.init_error, self.init_ms)
        if not self.api.ready.is_set():
            code = self.proc.poll() if self.proc else None
            if code is None:
                raise InitTimedOut({"errorType": "Sandbox.Timedout", "errorMessage": "Init timed out"}, self.init_ms)
            raise InitFailed({"errorType": "Runtime.ExitError",
                              "errorMessage": f"Runtime exited with error: exit status {code}"}, self.init_ms)
        return self.init_ms

    def finish_suppressed_init(self, timeout_s: float, request_id: str) -> None:
        """Wait up to timeout_s more for an INIT that outlived its limit; raises InitFailed if it never ends."""
        deadline = time.monotonic() + timeout_s
        while not self.api.ready.wait(0.05):
            code = self.proc.poll() if self.proc else None
            if code is not None:
                raise InitFailed({"errorType": "Runtime.ExitError",
                                  "errorMessage": f"Runtime exited with error: exit status {code}"}, 0.0)
            if time.monotonic() > deadline:
                raise InitTimedOut({"errorType": "Sandbox.Timedout",
                                    "errorMessage": f"RequestId: {request_id} Error: Task timed out after "
                                                    f"{timeout_s:.2f} seconds"}, 0.0)
        if self.api.init_error:
            raise InitFailed(self.api.init_error, 0.0)

    def run(self, inv: Invocation, timeout_s: float) -> bool:
        """Hand one event to the runtime; False if it did not finish within the timeout."""
        self.api.jobs.put(inv)
        while not inv.done.wait(0.05):
            if self.proc and self.proc.poll() is not None:
                inv.error = {"errorType": "Runtime.ExitError",
                             "errorMessage": f"Runtime exited with error: exit status {self.proc.returncode}"}
                inv.finished = time.perf_counter()
                return True
            if inv.started and time.perf_counter() - inv.started > timeout_s:
                inv.finished = time.perf_counter()
                return False
        if self.output:
            self.output.drain()  # output written just before the response may still sit in the pipe
        return True

    def service_totals(self) -> tuple[float, dict[str, int]]:
        """Milliseconds the runtime has spent in AWS calls so far, and its calls per service.Operation."""
        try:
            data = json.loads(self.service_file.read_text())
            return float(data["ms"]), dict(data["calls"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0, {}  # no hook output yet (no AWS call, or the runtime never started)

    def take_lines(self) -> list[str]:
        """Function output captured since the last call."""
        return self.output.take_lines() if self.output else []

    def peak_memory_mb(self) -> int:
        """Peak resident memory of the runtime process (VmHWM, else current RSS), in MB."""
        if not self.proc:
            return 0
        try:
            with open(f"/proc/{self.proc.pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return -(-int(line.split()[1]) // 1024)
            return -(-psutil.Process(self.proc.pid).memory_info().rss // (1024 * 1024))
        except (OSError, psutil.Error):
            return 0

    def tmp_usage_mb(self) -> float:
        """Bytes written under this environment's /tmp, in MB."""
        total = 0
        for dirpath, _dirs, files in os.walk(self.tmp):
            for name in files:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    pass
        return total / (1024 * 1024)

    def kill(self) -> None:
        """Kill the whole process group (also after the runtime exited by itself: its children may live on),
        wait for the output reader, stop the Runtime API and remove the environment's files."""
        with self._life:
            if self._killed:
                return
            self._killed = self.dead = True
            if self.proc:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass  # the group is already empty
                self.proc.wait()
            if self.output and not self.output.join(timeout=2):
                log.warning("environment %s: a process outside its group still holds its output", self.id)
            self.api.stop()
            self.resources.teardown()
            shutil.rmtree(self.dir, ignore_errors=True)
