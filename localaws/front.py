"""The one HTTP front: Lambda Invoke and the API gateway are served here, everything else goes to moto."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request

from localaws.invoke.api import INVOKE_PATH
from localaws.services.state import record_dead_letter, record_mapping_target, split_name

GATEWAY_PREFIX = "/_aws/execute-api/"
FUNCTION_CONFIG = re.compile(r"^/2015-03-31/functions(?:/([^/]+)/configuration)?/?$")
MAPPINGS = re.compile(r"^/2015-03-31/event-source-mappings(?:/([\w-]+))?/?$")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _loads(body: bytes) -> Any:
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return None


def _json_body(environ: dict[str, Any]) -> Any:
    """The request's JSON body (None if it is not JSON); the body stays readable for moto."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return _loads(body)


class Front:
    """WSGI dispatcher in front of moto's own WSGI application."""

    def __init__(self, moto_app: WsgiApp) -> None:
        self.moto_app = moto_app
        self.invoke_api: Callable[[Request], Any] | None = None
        self.gateway: Callable[[Request], Any] | None = None
        self.on_control_write: Callable[[str], None] = lambda path: None
        # Called once a control-plane write is done (moto's or the platform's): HTTP API auto-deployments.
        self.after_control_write: Callable[[dict[str, Any]], None] = lambda environ: None
        # Hooks around every request moto serves (services/tracking.py keeps moto's memory flat).
        self.before_moto: Callable[[str], None] = lambda path: None
        self.after_moto: Callable[[str], None] = lambda path: None
        # Calls the platform answers itself (account settings, API exports); None passes the call on.
        self.local_api: Callable[[dict[str, Any]], Any] | None = None
        # Requests served so far (not exact under threads, only ever changing): the state file's "anything new?".
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        # Counted before and after: a snapshot taken while this request runs is followed by another one.
        self.requests += 1
        try:
            return self._route(environ, start_response)
        finally:
            self.requests += 1

    def _route(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method == "POST" and INVOKE_PATH.match(path) and self.invoke_api:
            return self.invoke_api(Request(environ))(environ, start_response)
        if path.startswith(GATEWAY_PREFIX) and self.gateway:
            return self.gateway(Request(environ))(environ, start_response)
        if self.local_api and (local := self.local_api(environ)) is not None:
            if method != "GET":  # the answer is made already: what the gateway cached may be stale now
                self.after_control_write(environ)
                self.on_control_write(path)
            return local(environ, start_response)
        if method in ("POST", "PUT") and FUNCTION_CONFIG.match(path):
            self._note_dead_letter(environ, FUNCTION_CONFIG.match(path).group(1))  # type: ignore[union-attr]
        if method != "GET":
            self.on_control_write(path)
        self.before_moto(path)
        try:
            mapping = MAPPINGS.match(path)
            if mapping and method in ("POST", "PUT", "DELETE"):
                return self._note_mapping(environ, start_response, method, mapping.group(1))
            return self.moto_app(environ, start_response)
        finally:
            self.after_moto(path)
            if method != "GET":
                self.after_control_write(environ)

    def _note_dead_letter(self, environ: dict[str, Any], name: str | None) -> None:
        # moto accepts but drops DeadLetterConfig, so read it on the way through.
        doc = _json_body(environ)
        if isinstance(doc, dict) and "DeadLetterConfig" in doc:
            fn = split_name(name or doc.get("FunctionName", ""), None)[0]
            record_dead_letter(fn, (doc["DeadLetterConfig"] or {}).get("TargetArn"))

    def _note_mapping(self, environ: dict[str, Any], start_response: Callable[..., Any], method: str,
                      uuid: str | None) -> Iterable[bytes]:
        # moto stores an alias's current version in the mapping; keep the FunctionName as given instead.
        doc = _json_body(environ) if method != "DELETE" else {}
        status: list[str] = []

        def capture(code: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(code)
            return start_response(code, headers, exc_info)

        reply = self.moto_app(environ, capture)
        body = b"".join(reply)
        if hasattr(reply, "close"):
            reply.close()
        if status and status[0].startswith("2"):
            if method == "DELETE":
                record_mapping_target(uuid or "", None)
            elif isinstance(doc, dict) and doc.get("FunctionName"):
                reply_doc = _loads(body) if method == "POST" else {"UUID": uuid}
                if isinstance(reply_doc, dict) and reply_doc.get("UUID"):
                    record_mapping_target(str(reply_doc["UUID"]), doc["FunctionName"])
        return [body]
