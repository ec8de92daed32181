"""Name the AWS operation a raw request asks for, from botocore's service models (signing name, target, URI)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

SCOPE = re.compile(r"Credential=[^/]+/\d+/[a-z0-9-]+/([a-z0-9-]+)/")
# Signing names that are not the botocore service name, or that several services share.
SERVICES_BY_SIGNING_NAME = {
    "apigateway": ("apigateway", "apigatewayv2"),
    "monitoring": ("cloudwatch",),
    "email": ("ses", "sesv2"),
    "states": ("stepfunctions",),
    "execute-api": ("apigatewaymanagementapi",),
}


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


@lru_cache(maxsize=64)
def service_model(name: str) -> Any:
    """botocore's model of a service (None if botocore does not know it)."""
    try:
        return _session().get_service_model(name)
    except Exception:
        return None


@lru_cache(maxsize=64)
def _uri_patterns(name: str) -> list[tuple[int, str, re.Pattern[str], tuple[str, ...], str]]:
    model = service_model(name)
    patterns = []
    for op_name in model.operation_names:
        http = model.operation_model(op_name).http
        path, _, query = http.get("requestUri", "/").partition("?")
        regex = re.sub(r"\\\{[^}]+\\\+\\\}", ".+", re.escape(path))
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", regex)
        literal = len(re.sub(r"\{[^}]+\}", "", path)) + len(query)
        keys = tuple(part.split("=")[0] for part in query.split("&") if part)
        patterns.append((literal, http.get("method", "POST"), re.compile(f"^{regex}/?$"), keys, op_name))
    return sorted(patterns, key=lambda p: -p[0])


def _from_uri(name: str, method: str, path: str, query: dict[str, list[str]]) -> str | None:
    for _, verb, regex, keys, op_name in _uri_patterns(name):
        if verb == method and regex.match(path) and all(k in query for k in keys):
            return op_name
    return None


def signing_name(environ: dict[str, Any]) -> str | None:
    """The service a SigV4-signed request was signed for (None if unsigned)."""
    match = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else None


def resolve_operation(environ: dict[str, Any], body: bytes) -> tuple[Any, str | None]:
    """(service model, operation name) of a request; either may be None when it cannot be told."""
    signed = signing_name(environ)
    if signed is None:
        return None, None
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    candidates = [m for m in (service_model(n) for n in SERVICES_BY_SIGNING_NAME.get(signed, (signed,))) if m]
    for model in candidates:
        protocol = model.metadata.get("protocol")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target:
            op_name = target.rsplit(".", 1)[-1]
            return model, op_name
        if protocol in ("query", "ec2"):
            form = parse_qs(body.decode("utf-8", "replace")) if method == "POST" else {}
            action = (query.get("Action") or form.get("Action") or [None])[0]
            return model, action
        op_name = _from_uri(model.service_name, method, path, query)
        if op_name:
            return model, op_name
    return (candidates[0] if candidates else None), None
