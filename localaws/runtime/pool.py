"""Environment pool: warm reuse, scale-out up to the concurrency limits, throttling, idle reclaim."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from localaws.config import PlatformConfig
from localaws.runtime.codestore import CodeStore
from localaws.runtime.environment import ExecutionEnvironment
from localaws.runtime.meter import ConcurrencyMeter
from localaws.services.state import FunctionSpec, reserved_total


class Throttled(Exception):
    """No environment may be created now (Lambda's TooManyRequestsException)."""

    def __init__(self, reason: str) -> None:
        super().__init__("Rate Exceeded.")
        self.reason = reason


class ShuttingDown(Exception):
    """The platform is stopping: no environment is handed out any more."""


class EnvironmentPool:
    """Owns every execution environment; hands out one idle or new environment per request."""

    def __init__(self, cfg: PlatformConfig, root: Path, endpoint: str) -> None:
        self.cfg, self.root, self.endpoint = cfg, root, endpoint
        self.codes = CodeStore(root)
        self._envs: dict[str, list[ExecutionEnvironment]] = {}
        self._lock = threading.Lock()
        self.created = 0
        self.throttles = 0
        self.meter = ConcurrencyMeter(root, lambda: self.cfg.concurrency_limit)  # peak environments per second, on disk
        self._stopping = threading.Event()
        self._reaper = threading.Thread(target=self._reap_loop, daemon=True)
        self._reaper.start()

    @property
    def stopping(self) -> bool:
        """True once shutdown() has begun."""
        return self._stopping.is_set()

    def acquire(self, spec: FunctionSpec) -> tuple[ExecutionEnvironment, bool]:
        """A warm environment for the spec, or a freshly started one (cold=True).

        May raise Throttled, ShuttingDown, or CodeUnavailable (before any environment exists).
        """
        code = self.codes.paths(spec)  # unpacked once per version; a bad package fails here
        reserved_all = reserved_total(spec.region)
        reserved = reserved_all if spec.reserved_concurrency is None else 0
        with self._lock:
            if self._stopping.is_set():
                raise ShuttingDown("the local Lambda platform is stopping")
            envs = self._envs.setdefault(spec.name, [])
            stale = [e for e in envs if not e.busy and e.spec.version == spec.version and not _same_build(e.spec, spec)]
            # An idle environment whose runtime died (killed, crashed) is never handed out: AWS replaces it, so
            # the request gets a new environment (a cold start) instead of a Runtime.ExitError.
            stale += [e for e in envs if not e.busy and e.exited and e not in stale]
            for env in stale:
                envs.remove(env)
            self._check_limits(spec, envs, reserved)  # a warm env also takes one unit of concurrency
            warm = next((e for e in reversed(envs) if not e.busy and _same_build(e.spec, spec)), None)
            if warm:
                warm.busy = True
            else:
                warm = ExecutionEnvironment(spec, self.root, self.endpoint, self.cfg.fallback_runtime,
                                            self.cfg.init_cpu)
                envs.append(warm)
                self.created += 1
            self.meter.busy(self._busy_count(), reserved_all)
        for env in stale:
            env.kill()
        if warm.proc is not None:
            return warm, False
        try:
            warm.start(*code)
        except Exception as exc:
            self.release(warm, healthy=False)
            if self._stopping.is_set():  # shutdown() killed it while it started
                raise ShuttingDown("the local Lambda platform is stopping") from exc
            raise
        return warm, True

    def _check_limits(self, spec: FunctionSpec, envs: list[ExecutionEnvironment], reserved: int) -> None:
        if spec.reserved_concurrency is not None:
            # Reserved concurrency is both a guarantee and a cap for the function.
            if sum(e.busy for e in envs) >= spec.reserved_concurrency:
                self.throttles += 1
                self.meter.throttled()
                raise Throttled("ReservedFunctionConcurrentInvocationLimitExceeded")
            return
        # Functions without a reservation share what the reservations leave of the account's limit.
        unreserved = sum(e.busy for lst in self._envs.values() for e in lst if e.spec.reserved_concurrency is None)
        if unreserved >= self.cfg.concurrency_limit - reserved:
            self.throttles += 1
            self.meter.throttled()
            raise Throttled("ConcurrentInvocationLimitExceeded")

    def _busy_count(self) -> int:
        """Environments serving a request (or starting for one) across the account; call with the lock held."""
        return sum(e.busy for lst in self._envs.values() for e in lst)

    def release(self, env: ExecutionEnvironment, healthy: bool = True) -> None:
        """Return an environment after a request; unhealthy ones are destroyed."""
        with self._lock:
            env.busy = False
            env.last_used = time.monotonic()
            if not healthy:
                envs = self._envs.get(env.spec.name, [])
                if env in envs:
                    envs.remove(env)
            self.meter.busy(self._busy_count())
        if not healthy:
            env.kill()

    def environments(self, name: str | None = None) -> list[ExecutionEnvironment]:
        """Live environments (of one function, or all)."""
        with self._lock:
            if name is not None:
                return list(self._envs.get(name, []))
            return [e for lst in self._envs.values() for e in lst]

    def reclaim_idle(self, older_than_s: float | None = None) -> int:
        """Destroy environments idle longer than the TTL (or the given age); return how many."""
        ttl = self.cfg.idle_ttl_s if older_than_s is None else older_than_s
        now = time.monotonic()
        with self._lock:
            victims = [e for lst in self._envs.values() for e in lst if not e.busy and now - e.last_used >= ttl]
            for env in victims:
                self._envs[env.spec.name].remove(env)
        _kill_all(victims)
        return len(victims)

    def _reap_loop(self) -> None:
        while not self._stopping.wait(min(1.0, max(self.cfg.idle_ttl_s / 4, 0.05))):
            self.reclaim_idle()
            self.meter.tick()

    def shutdown(self) -> None:
        """Destroy every environment and stop the reaper."""
        self._stopping.set()
        with self._lock:
            victims = [e for lst in self._envs.values() for e in lst]
            self._envs.clear()
        _kill_all(victims)
        self._reaper.join(timeout=5)
        self.meter.tick()


def _same_build(a: FunctionSpec, b: FunctionSpec) -> bool:
    """True when an environment built for `a` may serve `b`: same code and configuration. LastModified has
    one-second resolution, so two updates within a second (a memory sweep) are told apart by their values."""
    return a.key == b.key and (a.memory_mb, a.ephemeral_mb, a.timeout, a.handler, a.env) == (
        b.memory_mb, b.ephemeral_mb, b.timeout, b.handler, b.env)


def _kill_all(envs: list[ExecutionEnvironment]) -> None:
    """Kill environments in parallel (each waits for its process and its Runtime API to stop)."""
    threads = [threading.Thread(target=env.kill, daemon=True) for env in envs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
