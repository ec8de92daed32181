"""HTTP API payload format 2.0: the event API Gateway sends to Lambda, and the response mapping back."""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request

from localaws.config import ACCOUNT_ID

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript",
              "application/x-www-form-urlencoded", "+json", "+xml")


@dataclass
class HttpResponse:
    """What the gateway sends back to the client."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)


def gateway_error(status: int, message: str) -> HttpResponse:
    """API Gateway's own error responses ({"message": ...})."""
    return HttpResponse(status, json.dumps({"message": message}).encode(), {"Content-Type": "application/json"})


def is_text(content_type: str) -> bool:
    return any(t in content_type.lower() for t in TEXT_TYPES)


def request_context(request: Request, api_id: str, stage: str, route_key: str, path: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "accountId": ACCOUNT_ID, "apiId": api_id, "domainName": request.host, "domainPrefix": api_id,
        "http": {"method": request.method, "path": path, "protocol": request.environ.get("SERVER_PROTOCOL",
                 "HTTP/1.1"), "sourceIp": request.remote_addr or "127.0.0.1",
                 "userAgent": request.headers.get("User-Agent", "")},
        "requestId": str(uuid.uuid4()), "routeKey": route_key, "stage": stage,
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": int(time.time() * 1000),
    }


def v2_event(request: Request, api_id: str, stage: str, route_key: str, path: str,
             path_params: dict[str, str], stage_vars: dict[str, str] | None = None) -> dict[str, Any]:
    """The payload format 2.0 event for a request (path is the raw path, stage prefix included)."""
    headers: dict[str, str] = {}
    for key, value in request.headers.items():
        k = key.lower()
        if k != "cookie":
            headers[k] = f"{headers[k]},{value}" if k in headers else value
    query: dict[str, str] = {k: ",".join(v) for k, v in request.args.lists()}
    raw = request.get_data()
    text = not raw or is_text(request.headers.get("Content-Type", ""))
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": route_key, "rawPath": path,
        "rawQueryString": request.query_string.decode(), "headers": headers,
        "requestContext": request_context(request, api_id, stage, route_key, path),
        "isBase64Encoded": not text,
    }
    cookie = request.headers.get("Cookie")
    if cookie:
        event["cookies"] = [c.strip() for c in cookie.split(";") if c.strip()]
    if query:
        event["queryStringParameters"] = query
    if raw:
        event["body"] = raw.decode("utf-8", "replace") if text else base64.b64encode(raw).decode()
    if path_params:
        event["pathParameters"] = path_params
    if stage_vars:
        event["stageVariables"] = stage_vars
    return event


def v2_response(payload: bytes) -> HttpResponse:
    """Map a function's result to HTTP as HTTP APIs do (full form with statusCode, else the simple form)."""
    try:
        result = json.loads(payload)
    except ValueError:
        return gateway_error(500, "Internal Server Error")
    if isinstance(result, dict) and "statusCode" in result:
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers[str(key)] = ",".join(str(v) for v in values)
        return HttpResponse(int(result["statusCode"]), data, headers, list(result.get("cookies") or []))
    # Simple form: any JSON value becomes a 200 application/json body.
    body = result if isinstance(result, str) else json.dumps(result)
    return HttpResponse(200, body.encode(), {"Content-Type": "application/json"})


def authorizer_event(event: dict[str, Any], route_arn: str, identity: list[str]) -> dict[str, Any]:
    """The REQUEST authorizer event (format 2.0): the request event plus type, routeArn, identitySource."""
    return {**event, "type": "REQUEST", "routeArn": route_arn, "identitySource": identity}


def v1_event(request: Request, resource: str, path: str, stage: str, api_id: str,
             path_params: dict[str, str]) -> dict[str, Any]:
    """The REST API Lambda proxy event (payload format 1.0)."""
    raw = request.get_data()
    text = not raw or is_text(request.headers.get("Content-Type", ""))
    ctx = request_context(request, api_id, stage, f"{request.method} {resource}", path)
    return {
        "resource": resource, "path": path, "httpMethod": request.method,
        "headers": dict(request.headers.items()),
        "multiValueHeaders": {k: request.headers.getlist(k) for k in request.headers.keys()},
        "queryStringParameters": dict(request.args.items()) or None,
        "multiValueQueryStringParameters": {k: v for k, v in request.args.lists()} or None,
        "pathParameters": path_params or None, "stageVariables": None,
        "requestContext": {**ctx, "resourcePath": resource, "httpMethod": request.method, "path": path},
        "body": (raw.decode("utf-8", "replace") if text else base64.b64encode(raw).decode()) if raw else None,
        "isBase64Encoded": not text,
    }
