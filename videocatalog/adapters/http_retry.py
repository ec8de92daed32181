"""A Peer that retries an idempotent call once more when its kept-alive connection breaks.

When a service is released, its old instance closes its idle kept-alive connections as it drains;
a caller that sends on one just then sees a broken connection, although the new instance is ready
on the same port. Retrying GET/DELETE on a fresh connection hides that from the caller. PUT is left
out although idempotent: a streamed body cannot be sent twice. A peer that is merely slow is not
retried (a read timeout is raised at once), so a slow release stays visible.
"""

from __future__ import annotations

from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from videocatalog.adapters.http_peer import Peer

IDEMPOTENT = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


class _BrokenConnectionRetry(Retry):
    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> Self:
        if isinstance(error, ReadTimeoutError):
            raise error  # slow, not broken: do not double the wait
        return super().increment(method, url, response, error, _pool, _stacktrace)


class RetryingPeer(Peer):
    """`Peer` whose sessions retry idempotent calls on broken or refused connections (twice at most)."""

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = super()._session()
            retry = _BrokenConnectionRetry(total=2, connect=2, read=2, status=0, other=0, redirect=0,
                                           allowed_methods=IDEMPOTENT, backoff_factor=0.05, raise_on_status=False)
            session.mount("http://", HTTPAdapter(max_retries=retry))
        return session
