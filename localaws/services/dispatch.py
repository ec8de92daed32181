"""moto's host-to-service dispatcher, with its per-request lookup cached (it ran under a global lock).

moto 5.2.5's `DomainDispatcherApplication.get_application` holds one lock for every request while it
works out which service a request is for; `get_backend_for_host` lists moto's package folder
(`os.listdir` plus an `isdir` per entry, ~250 of them) and then tries every service's URL regex.
The answer depends only on the host string and the installed moto, so it is computed once per host.
Under 8 concurrent users this lookup was the largest piece of moto's own time in the local AWS
(see benchmarks/localaws_profile.py).
"""

from __future__ import annotations

from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication


class CachedDispatcher(DomainDispatcherApplication):
    """DomainDispatcherApplication whose host-to-backend answers are remembered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backend_of: dict[str | None, Any] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        """moto's answer for `host`, computed on first use (callers hold moto's dispatcher lock)."""
        if host not in self._backend_of:
            self._backend_of[host] = super().get_backend_for_host(host)
        return self._backend_of[host]
