"""CORS of HTTP APIs, as API Gateway applies an API's `CorsConfiguration`.

With a configuration, the gateway answers every preflight (`OPTIONS` with `Origin` and
`Access-Control-Request-Method`) itself, before routes and authorizers, and adds the CORS headers to the
answers of allowed origins; without one, nothing changes (the request goes to the routes as before).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from localaws.apigw.events import HttpResponse


def _get(cors: dict[str, Any], name: str) -> Any:
    # moto keeps what the client sent (PascalCase); its JSON views use camelCase.
    return cors.get(name, cors.get(name[0].lower() + name[1:]))


def _allowed_origin(cors: dict[str, Any], origin: str | None) -> str | None:
    origins = [o.rstrip("/") for o in _get(cors, "AllowOrigins") or []]
    if not origin:
        return None
    if "*" in origins:
        return "*" if not _get(cors, "AllowCredentials") else origin
    return origin if origin.rstrip("/") in origins else None


def _join(values: list[str] | None) -> str:
    return ",".join(values or [])


def is_preflight(cors: dict[str, Any] | None, request: Request) -> bool:
    """True when the gateway answers this request itself as a CORS preflight."""
    return bool(cors) and request.method == "OPTIONS" and "Origin" in request.headers \
        and "Access-Control-Request-Method" in request.headers


def preflight(cors: dict[str, Any], request: Request) -> HttpResponse:
    """The gateway's own 204 answer to a preflight (no CORS headers when the origin is not allowed)."""
    headers: dict[str, str] = {}
    origin = _allowed_origin(cors, request.headers.get("Origin"))
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
        methods = _get(cors, "AllowMethods") or []
        headers["Access-Control-Allow-Methods"] = "*" if "*" in methods else _join(methods)
        allow_headers = [h.lower() for h in _get(cors, "AllowHeaders") or []]
        asked = request.headers.get("Access-Control-Request-Headers", "")
        headers["Access-Control-Allow-Headers"] = asked if "*" in allow_headers else _join(allow_headers)
        if _get(cors, "MaxAge"):
            headers["Access-Control-Max-Age"] = str(_get(cors, "MaxAge"))
        if _get(cors, "AllowCredentials"):
            headers["Access-Control-Allow-Credentials"] = "true"
    return HttpResponse(204, b"", headers)


def decorate(cors: dict[str, Any] | None, request: Request, out: HttpResponse) -> HttpResponse:
    """Add the CORS headers to an answer for an allowed origin (the integration's own ones are replaced)."""
    origin = _allowed_origin(cors, request.headers.get("Origin")) if cors else None
    if origin:
        out.headers["Access-Control-Allow-Origin"] = origin
        if _get(cors, "ExposeHeaders"):  # type: ignore[arg-type]
            out.headers["Access-Control-Expose-Headers"] = _join(_get(cors, "ExposeHeaders"))  # type: ignore[arg-type]
        if _get(cors, "AllowCredentials"):  # type: ignore[arg-type]
            out.headers["Access-Control-Allow-Credentials"] = "true"
    return out
