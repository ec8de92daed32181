"""The one HTTP front: Lambda Invoke and the API gateway are served here, everything else goes to moto."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request

from .invoke_api import INVOKE_PATH
from .moto_state import record_dead_letter, split_name

GATEWAY_PREFIX = "/_aws/execute-api/"
FUNCTION_CONFIG = re.compile(r"^/2015-03-31/functions(?:/([^/]+)/configuration)?/?$")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Front:
    """WSGI dispatcher in front of moto's own WSGI application."""

    def __init__(self, moto_app: WsgiApp) -> None:
        self.moto_app = moto_app
        self.invoke_api: Callable[[Request], Any] | None = None
        self.gateway: Callable[[Request], Any] | None = None
        self.on_control_write: Callable[[str], None] = lambda path: None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method == "POST" and INVOKE_PATH.match(path) and self.invoke_api:
            return self.invoke_api(Request(environ))(environ, start_response)
        if path.startswith(GATEWAY_PREFIX) and self.gateway:
            return self.gateway(Request(environ))(environ, start_response)
        if method in ("POST", "PUT") and FUNCTION_CONFIG.match(path):
            self._note_dead_letter(environ, FUNCTION_CONFIG.match(path).group(1))  # type: ignore[union-attr]
        if method != "GET":
            self.on_control_write(path)
        return self.moto_app(environ, start_response)

    def _note_dead_letter(self, environ: dict[str, Any], name: str | None) -> None:
        # moto accepts but drops DeadLetterConfig, so read it on the way through.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            return
        if isinstance(doc, dict) and "DeadLetterConfig" in doc:
            fn = split_name(name or doc.get("FunctionName", ""), None)[0]
            record_dead_letter(fn, (doc["DeadLetterConfig"] or {}).get("TargetArn"))
