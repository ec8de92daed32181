"""HTTP APIs (apigatewayv2) as stored in moto: stages, routes, Lambda and JWT authorizers, Lambda proxy integrations."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, NamedTuple

from werkzeug.wrappers import Request

from localaws.apigw.deployments import moto_api, served, snapshot, stage_json
from localaws.apigw.events import HttpResponse, authorizer_event, gateway_error, v1_event, v2_event, v2_response
from localaws.apigw.jwt_auth import JwtVerifier
from localaws.apigw.routes import match_route
from localaws.config import ACCOUNT_ID


def load_http_api(region: str, api_id: str) -> dict[str, Any] | None:
    """The API now in AWS's JSON shape, its stages, and what each stage serves; None when no HTTP API has that id."""
    try:
        api = moto_api(region, api_id)
    except Exception:
        return None
    stages = {s.name: stage_json(s) for s in list(api.stages.values())}
    return {**snapshot(api), "stages": stages, "deployed": served(api)}


def lambda_target(uri: str) -> str:
    """Function ARN from an integration/authorizer URI (plain ARN or the apigateway invocations ARN)."""
    if "/functions/" in uri:
        return uri.split("/functions/", 1)[1].split("/invocations", 1)[0]
    return uri


class Served(NamedTuple):
    stage: str
    path: str  # what the routes see
    raw_path: str
    view: dict[str, Any]  # the deployment's routes, integrations, authorizers and CORS


def resolve(api: dict[str, Any], rest: str) -> Served | None:
    """The stage and deployment serving the part of the URL after the API id; None: 404 (no stage, no deployment)."""
    first = rest.strip("/").split("/", 1)[0]
    if first and first in api["stages"] and first != "$default":
        path = "/" + rest.strip("/").split("/", 1)[1] if "/" in rest.strip("/") else "/"
        stage, raw_path = first, rest  # AWS keeps the stage name in rawPath for named stages
    elif "$default" in api["stages"]:
        stage, path, raw_path = "$default", rest or "/", rest or "/"
    else:
        return None
    view = api["deployed"].get(stage)
    return Served(stage, path, raw_path, view) if view is not None else None


class HttpApi:
    """Serves requests for HTTP APIs; call() runs a Lambda through the invoke service."""

    def __init__(self, call: Any, throttle: Any, jwt: JwtVerifier | None = None) -> None:
        self.call = call  # (region, function_arn, payload_dict, timeout_s) -> HttpResponse | bytes
        self.throttle = throttle  # (api_id, stage, route settings) -> bool
        self.jwt = jwt  # checks tokens for JWT authorizers; None: JWT routes answer 500
        self._auth_cache: dict[tuple[str, ...], tuple[float, dict[str, Any] | None]] = {}
        self._lock = threading.Lock()

    def handle(self, request: Request, region: str, api_id: str, api: dict[str, Any], served: Served) -> HttpResponse:
        """Serve one request on a stage from the deployment it serves (stage settings are the stage's own, live)."""
        stage, path, raw_path, deployed = served
        if not self.throttle(api_id, stage, (api["stages"].get(stage) or {}).get("defaultRouteSettings")):
            return gateway_error(429, "Too Many Requests")
        match = match_route(list(deployed["routes"]), request.method, path)
        if match is None:
            return gateway_error(404, "Not Found")
        route = deployed["routes"][match.route_key]
        stage_vars = (api["stages"].get(stage) or {}).get("stageVariables") or {}
        event = v2_event(request, api_id, stage, match.route_key, raw_path, match.params, stage_vars)
        if route.get("authorizationType") == "CUSTOM":
            denied = self._authorize(region, api_id, deployed["authorizers"].get(route.get("authorizerId")), event,
                                     stage, match.route_key)
            if isinstance(denied, HttpResponse):
                return denied
            event["requestContext"]["authorizer"] = {"lambda": denied}
        elif route.get("authorizationType") == "JWT":
            checked = self._authorize_jwt(deployed["authorizers"].get(route.get("authorizerId")), event, route)
            if isinstance(checked, HttpResponse):
                return checked
            event["requestContext"]["authorizer"] = {"jwt": checked}
        target = (route.get("target") or "").removeprefix("integrations/")
        integration = deployed["integrations"].get(target)
        if integration is None:
            return gateway_error(500, "Internal Server Error")
        return self._integrate(request, region, api_id, stage, integration, event, match.params, path)

    def _integrate(self, request: Request, region: str, api_id: str, stage: str, integration: dict[str, Any],
                   event: dict[str, Any], params: dict[str, str], path: str) -> HttpResponse:
        kind = (integration.get("integrationType") or "").upper()
        if kind != "AWS_PROXY":
            return gateway_error(500, "Internal Server Error")
        timeout = (integration.get("timeoutInMillis") or 30000) / 1000
        if integration.get("payloadFormatVersion") == "1.0":
            event = v1_event(request, event["routeKey"].partition(" ")[2], path, stage, api_id, params)
        out = self.call(region, lambda_target(integration["integrationUri"]), event, timeout)
        return out if isinstance(out, HttpResponse) else v2_response(out)

    def _authorize(self, region: str, api_id: str, authorizer: dict[str, Any] | None, event: dict[str, Any],
                   stage: str, route_key: str) -> HttpResponse | dict[str, Any]:
        if authorizer is None or authorizer.get("authorizerType") != "REQUEST":
            return gateway_error(500, "Internal Server Error")
        sources = authorizer.get("identitySource") or []
        sources = [sources] if isinstance(sources, str) else sources
        identity = [self._identity(event, s) for s in sources]
        if any(v is None for v in identity):
            return gateway_error(401, "Unauthorized")  # identity source missing: no authorizer call
        ttl = int(authorizer.get("authorizerResultTtlInSeconds") or 0)
        key = (api_id, authorizer["authorizerId"], *[str(v) for v in identity])
        with self._lock:
            cached = self._auth_cache.get(key)
        if ttl and cached and cached[0] > time.monotonic():
            context = cached[1]
        else:
            method, _, path = route_key.partition(" ")
            arn = f"arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api_id}/{stage}/{method}{path}"
            out = self.call(region, lambda_target(authorizer["authorizerUri"]),
                            authorizer_event(event, arn, [str(v) for v in identity]), 10.0)
            if isinstance(out, HttpResponse):
                return gateway_error(500, "Internal Server Error") if out.status != 429 else out
            decision = _decision(out, bool(authorizer.get("enableSimpleResponses")))
            if isinstance(decision, str):  # "error"
                return gateway_error(500, "Internal Server Error")
            context = decision
            if ttl:
                with self._lock:
                    self._auth_cache[key] = (time.monotonic() + ttl, context)
        return gateway_error(403, "Forbidden") if context is None else context

    def _authorize_jwt(self, authorizer: dict[str, Any] | None, event: dict[str, Any],
                       route: dict[str, Any]) -> HttpResponse | dict[str, Any]:
        if self.jwt is None or authorizer is None or authorizer.get("authorizerType") != "JWT":
            return gateway_error(500, "Internal Server Error")
        sources = authorizer.get("identitySource") or ["$request.header.Authorization"]
        source = sources if isinstance(sources, str) else sources[0]
        return self.jwt.authorize(authorizer, self._identity(event, source), route.get("authorizationScopes"))

    @staticmethod
    def _identity(event: dict[str, Any], source: str) -> str | None:
        if source.startswith("$request.header."):
            return event["headers"].get(source.split(".", 2)[2].lower())
        if source.startswith("$request.querystring."):
            return (event.get("queryStringParameters") or {}).get(source.split(".", 2)[2])
        if source.startswith("$context."):
            return str(event["requestContext"].get(source.split(".", 1)[1], "")) or None
        if source.startswith("$stageVariables."):
            return (event.get("stageVariables") or {}).get(source.split(".", 1)[1])
        return None


def _decision(payload: bytes, simple: bool) -> dict[str, Any] | None | str:
    """Authorizer output -> context dict (allowed), None (denied), or 'error'."""
    try:
        result = json.loads(payload)
    except ValueError:
        return "error"
    if not isinstance(result, dict):
        return "error"
    if simple and "isAuthorized" in result:
        return dict(result.get("context") or {}) if result["isAuthorized"] is True else None
    statements = ((result.get("policyDocument") or {}).get("Statement")) or []
    if not statements:
        return "error"
    allowed = all(str(s.get("Effect", "")).lower() == "allow" for s in statements)
    context = dict(result.get("context") or {})
    if "principalId" in result:
        context.setdefault("principalId", result["principalId"])
    return context if allowed else None
