"""AWS-shaped errors, naming the operation, where moto would answer an HTML 404 or 500 page."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from localaws.services.operations import resolve_operation

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HINT = "see localaws/README.md, 'What differs from AWS'"
MAX_PEEK = 1024 * 1024


def _describe(model: Any, op_name: str | None, environ: dict[str, Any]) -> str:
    service = model.metadata.get("serviceId", model.service_name) if model is not None else "AWS"
    if op_name:
        return f"{service} {op_name}"
    return f"{service} {environ.get('REQUEST_METHOD', 'GET')} {environ.get('PATH_INFO', '/')}"


def error_reply(model: Any, status: int, code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers and body of an error in the service's own protocol (JSON or XML)."""
    protocol = model.metadata.get("protocol") if model is not None else "rest-json"
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", code)]
    if protocol in ("query", "ec2"):
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(code)}</Code><Message>{escape(message)}"
                f"</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        headers.append(("Content-Type", "text/xml"))
    elif protocol == "rest-xml":
        body = (f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
                f"<RequestId>{request_id}</RequestId></Error>")
        headers.append(("Content-Type", "application/xml"))
    else:
        body = json.dumps({"__type": code, "message": message})
        headers.append(("Content-Type", "application/json"))
    return f"{status} {'Not Implemented' if status == 501 else 'Error'}", headers, body.encode()


def not_implemented(model: Any, op_name: str | None, environ: dict[str, Any]) -> tuple[str, list[Any], bytes]:
    """The reply for an operation the local AWS does not serve (501), or an unknown one (404/400)."""
    what = _describe(model, op_name, environ)
    if op_name and model is not None and op_name in model.operation_names:
        xml = model.metadata.get("protocol") in ("query", "ec2", "rest-xml")
        return error_reply(model, 501, "NotImplemented" if xml else "NotImplementedException",
                           f"{what} is not implemented locally ({HINT}).")
    if model is not None and model.metadata.get("protocol") in ("query", "ec2"):
        return error_reply(model, 400, "InvalidAction", f"{what} is not a valid action of this service.")
    return error_reply(model, 404, "UnknownOperationException", f"{what}: unknown operation.")


def _peek_body(environ: dict[str, Any]) -> bytes:
    """A small body, read and put back (query-protocol calls name their Action in it); big or chunked: b""."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if not 0 < length <= MAX_PEEK:
        return b""  # uploads stream on to moto untouched
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


class NotImplementedGuard:
    """WSGI wrapper around moto: its HTML 404 pages and NotImplementedError become AWS-shaped errors."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = _peek_body(environ)
        started: list[tuple[str, list[Any]]] = []
        written: list[bytes] = []

        def capture(status: str, headers: list[Any], exc_info: Any = None) -> Callable[[bytes], None]:
            started[:] = [(status, headers)]
            return written.append

        try:
            reply = self.app(environ, capture)
            chunks = written + list(reply)
            if hasattr(reply, "close"):
                reply.close()
        except NotImplementedError:
            return self._answer(start_response, not_implemented(*resolve_operation(environ, body), environ))
        except Exception as exc:  # a moto bug: still answer in the service's protocol, naming the call
            model, op_name = resolve_operation(environ, body)
            return self._answer(start_response, error_reply(
                model, 500, "ServiceException",
                f"{_describe(model, op_name, environ)} failed locally: {type(exc).__name__}: {exc}"))
        status, headers = started[0] if started else ("500 Error", [])
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        # A HEAD's 404 has no page to replace (S3 HeadBucket/HeadObject of a missing one): it stays a 404.
        html_404 = status.startswith("404") and content_type.startswith("text/html")
        if html_404 and environ.get("REQUEST_METHOD") != "HEAD":
            return self._answer(start_response, not_implemented(*resolve_operation(environ, body), environ))
        start_response(status, headers)
        return chunks

    @staticmethod
    def _answer(start_response: Callable[..., Any], reply: tuple[str, list[Any], bytes]) -> Iterable[bytes]:
        status, headers, body = reply
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]
