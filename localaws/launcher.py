"""start_local_aws(): moto (server mode, in this process) and the Lambda platform behind one endpoint."""

from __future__ import annotations

import functools
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.serving import make_server

from localaws.config import PlatformConfig
from localaws.front import GATEWAY_PREFIX, Front
from localaws.invoke.api import InvokeApi
from localaws.invoke.asynchronous import AsyncInvoker
from localaws.invoke.sync import InvokeService
from localaws.local_api import LocalApi
from localaws.runtime.logs import LogSink, read_invocations
from localaws.runtime.pool import EnvironmentPool
from localaws.services.not_implemented import NotImplementedGuard
from localaws.targets import Clients

if TYPE_CHECKING:
    from localaws.services.persistence import Persistence

_active: list[LocalAws] = []


def _quiet_handler(base: type) -> type:
    class Handler(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

    return Handler


def _stop_server(server: Any, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(5)


class LocalAws:
    """A running local AWS: .endpoint serves every service (Lambda Invoke and the gateway included)."""

    def __init__(self, state_dir: str | Path, port: int | None = None, config: PlatformConfig | None = None,
                 reset: bool = True) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        from localaws.services.dispatch import CachedDispatcher

        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.cfg = config or PlatformConfig()
        self._stops: list[Callable[[], Any]] = []
        self._stop_front: Callable[[], Any] | None = None
        self.persistence: Persistence | None = None
        try:
            plain = os.environ.get("WORKSHOP_LOCALAWS_PLAIN_MOTO") == "1"
            dispatcher = (DomainDispatcherApplication if plain else CachedDispatcher)(create_backend_app)
            self.front = Front(NotImplementedGuard(dispatcher))
            self._install_service_fixes()
            if reset and not _active:
                self._reset_moto(plain)
            persistence = self._restore_state()
            self._server = make_server("127.0.0.1", port or 0, self.front, threaded=True,
                                       request_handler=_quiet_handler(MotoRequestHandler))
            self._server.daemon_threads = True  # type: ignore[attr-defined]  # a ThreadedWSGIServer
            self.port = self._server.server_port
            self.endpoint = f"http://127.0.0.1:{self.port}"
            thread = threading.Thread(target=self._server.serve_forever, name="localaws-front", daemon=True)
            thread.start()
            self._stop_front = functools.partial(_stop_server, self._server, thread)
            self._start_platform()
            if persistence is not None:  # first in the list: stopping saves the state last, when all is still
                self._stops.insert(0, persistence.start())
        except BaseException:
            self.stop()
            raise
        _active.append(self)

    def _install_service_fixes(self) -> None:
        # Fast JSON responses (same bytes as moto's serializer) and weak instance tracking (flat memory).
        # WORKSHOP_LOCALAWS_PLAIN_MOTO=1 leaves moto as it is: the benchmarks' baseline in the same run.
        from localaws.services import fastpath, tracking

        if os.environ.get("WORKSHOP_LOCALAWS_PLAIN_MOTO") == "1":
            return
        self._stops.append(fastpath.install())
        self._stops.append(tracking.bound_sns_notifications())
        self.front.before_moto = tracking.before_moto_request
        self.front.after_moto = tracking.after_moto_request

    @staticmethod
    def _reset_moto(plain: bool) -> None:
        # What POST /moto-api/reset does, done before the server serves (a restored state must not be wiped).
        from moto.moto_api._internal.models import moto_api_backend

        from localaws.services import tracking

        moto_api_backend.reset()
        if not plain:
            tracking.GUARD.check(force=True)

    def _restore_state(self) -> Persistence | None:
        # Opt-in: restore the state file into moto before anything is served; snapshots start with the platform.
        from localaws.services.persistence import Persistence

        if not self.cfg.state_file:
            return None
        self.persistence = Persistence(self.cfg.state_file, self.cfg.snapshot_interval_s, lambda: self.front.requests)
        self.persistence.restore()
        return self.persistence

    def _start_platform(self) -> None:
        from localaws.apigw.gateway import Gateway
        from localaws.eventsources.mappings import EventSources
        from localaws.services.hooks import install_hooks
        from localaws.services.schedules import Scheduler

        self.clients = Clients(self.endpoint)
        self.pool = EnvironmentPool(self.cfg, self.state_dir, self.endpoint)
        self._stops.append(self.pool.shutdown)
        self.sink = LogSink(self.state_dir)
        self.invoker = InvokeService(self.cfg, self.pool, self.sink)
        self.async_invoker = AsyncInvoker(self.invoker, self.clients)
        self._stops.append(self.async_invoker.stop)
        self.front.invoke_api = InvokeApi(self.invoker, self.async_invoker)
        self.gateway = Gateway(self.invoker, self.clients, self.cfg)
        self.front.gateway = self.gateway
        self.front.local_api = LocalApi(self.cfg, self.front.moto_app, self.gateway.rest)
        self.front.on_control_write = self.gateway.invalidate
        self.front.after_control_write = self.gateway.after_control_write
        self._stops.append(install_hooks(self))
        self.events = EventSources(self)
        self._stops.append(self.events.stop)
        self.schedules = Scheduler(self, self.cfg.schedule_time_scale)
        self._stops.append(self.schedules.stop)
        # Stopping goes newest first: the environments die first (shutdown is idempotent), so invocations in
        # flight end at once and pollers and async workers can be joined; later ones get ShuttingDown.
        self._stops.append(self.pool.shutdown)

    def gateway_url(self, api_id: str, stage: str | None = None) -> str:
        """Base URL of a deployed API (HTTP API or REST API); no stage means the $default stage."""
        base = f"{self.endpoint}{GATEWAY_PREFIX}{api_id}"
        return f"{base}/{stage}" if stage and stage != "$default" else base

    def invocations(self) -> list[dict[str, Any]]:
        """Billing records of every invocation so far (see logs.InvocationRecord)."""
        return read_invocations(self.state_dir)

    def env_vars(self) -> dict[str, str]:
        """Environment variables that point boto3 (in any process) at this local AWS."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}

    def stop(self) -> None:
        """Stop everything this instance started; safe to call twice.

        The HTTP front goes first, so no request can start an environment once the pool is shut;
        then the platform, newest first.
        """
        if self._stop_front is not None:
            self._stops.append(self._stop_front)
            self._stop_front = None
        while self._stops:
            stop = self._stops.pop()
            try:
                stop()
            except Exception:  # keep stopping the rest
                pass
        if self in _active:
            _active.remove(self)

    def __enter__(self) -> LocalAws:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_local_aws(state_dir: str | Path, port: int | None = None, config: PlatformConfig | None = None,
                    reset: bool = True) -> LocalAws:
    """Start moto in server mode plus the Lambda platform on 127.0.0.1; returns the running LocalAws."""
    return LocalAws(state_dir, port, config, reset)


def active() -> LocalAws | None:
    """The most recently started LocalAws in this process (moto's event hooks deliver to it)."""
    return _active[-1] if _active else None


def serve_until_signal(state_dir: str | Path, port: int | None = None,
                       wrap_moto: Callable[[Any], Any] | None = None, config: PlatformConfig | None = None) -> None:
    """Run a local AWS until SIGTERM or SIGINT, then stop everything; `wrap_moto` may wrap moto's WSGI app.

    The endpoint is printed as `AWS_ENDPOINT_URL=...` once it is ready (whoever started the process reads it).
    With a state file (config or WORKSHOP_LOCALAWS_STATE_FILE) the state is saved on the way out.
    """
    import logging
    import signal

    state_log = logging.getLogger("localaws.persistence")
    if not state_log.handlers:  # a program of its own: say on stderr what was restored, saved or dropped
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        state_log.addHandler(handler)
        state_log.setLevel(logging.INFO)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    aws = start_local_aws(state_dir, port, config)
    try:
        if wrap_moto is not None:
            aws.front.moto_app = wrap_moto(aws.front.moto_app)  # the front forwards every non-Lambda request here
        print(f"local AWS ready: AWS_ENDPOINT_URL={aws.endpoint}", flush=True)
        done.wait()
    finally:
        aws.stop()
