"""An HTTP API (apigatewayv2, as stored in moto) as the OpenAPI 3.0 document AWS's ExportApi gives."""

from __future__ import annotations

import re
from typing import Any

from localaws.apigw.http_api import load_http_api
from localaws.config import ACCOUNT_ID

ANY_METHOD = "x-amazon-apigateway-any-method"
PATH_PARAM = re.compile(r"\{([^}]+)\}")


def _integration(integ: dict[str, Any]) -> dict[str, Any]:
    ext: dict[str, Any] = {"type": str(integ.get("integrationType", "")).lower(), "connectionType": "INTERNET"}
    for key, name in (("integrationUri", "uri"), ("integrationMethod", "httpMethod"),
                      ("payloadFormatVersion", "payloadFormatVersion"), ("connectionType", "connectionType"),
                      ("timeoutInMillis", "timeoutInMillis"), ("requestParameters", "requestParameters"),
                      ("credentialsArn", "credentials")):
        if integ.get(key) not in (None, {}, ""):
            ext[name] = integ[key]
    if ext["type"] == "aws_proxy" and str(ext.get("uri", "")).startswith("arn:aws:lambda:"):
        region = ext["uri"].split(":")[3]  # AWS shows a Lambda target as the apigateway invocations ARN
        ext["uri"] = f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{ext['uri']}/invocations"
    return ext


def _security_schemes(authorizers: dict[str, Any]) -> dict[str, Any]:
    schemes = {}
    for auth in authorizers.values():
        sources = auth.get("identitySource") or []
        header = next((s.split(".")[-1] for s in sources if s.startswith("$request.header.")), "Unused")
        ext: dict[str, Any] = {"type": str(auth.get("authorizerType", "")).lower(),
                               "identitySource": ", ".join(sources)}
        for key in ("authorizerUri", "authorizerPayloadFormatVersion", "authorizerResultTtlInSeconds",
                    "enableSimpleResponses", "authorizerCredentialsArn", "jwtConfiguration"):
            if auth.get(key) is not None:
                ext[key] = auth[key]
        schemes[auth["name"]] = {"type": "apiKey", "name": header, "in": "header",
                                 "x-amazon-apigateway-authorizer": ext}
    return schemes


def _operation(route: dict[str, Any], api: dict[str, Any], extensions: bool) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {"default": {"description": f"Default response for {route['routeKey']}"}}}
    target = str(route.get("target") or "")
    integ = api["integrations"].get(target.split("/", 1)[1]) if target.startswith("integrations/") else None
    if integ and extensions:
        op["x-amazon-apigateway-integration"] = _integration(integ)
    auth = api["authorizers"].get(route.get("authorizerId") or "")
    if auth and route.get("authorizationType") not in (None, "NONE"):
        op["security"] = [{auth["name"]: list(route.get("authorizationScopes") or [])}]
    return op


def http_api_document(region: str, api_id: str, stage: str | None = None, extensions: bool = True) -> dict | None:
    """The OpenAPI 3.0.1 document of an HTTP API (None if there is none by that id)."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    api = load_http_api(region, api_id)
    if api is None:
        return None
    if stage and api["deployed"].get(stage):  # a stage's export is its deployment, as on AWS
        api = {**api, **api["deployed"][stage]}
    meta = apigatewayv2_backends[ACCOUNT_ID][region].get_api(api_id)
    info: dict[str, Any] = {"title": meta.name, "version": meta.version or meta.created_date.strftime("%Y-%m-%d")}
    if meta.description:
        info["description"] = meta.description
    doc: dict[str, Any] = {"openapi": "3.0.1", "info": info, "servers": [{
        "url": f"https://{api_id}.execute-api.{region}.amazonaws.com/{{basePath}}",
        "variables": {"basePath": {"default": "" if stage in (None, "$default") else stage}}}], "paths": {}}
    for key, route in sorted(api["routes"].items()):
        verb, _, path = key.partition(" ") if key != "$default" else (ANY_METHOD, "", "$default")
        item = doc["paths"].setdefault(path, {})
        item[ANY_METHOD if verb == "ANY" else verb.lower()] = _operation(route, api, extensions)
        names = PATH_PARAM.findall(path)
        if names:
            item["parameters"] = [{"name": n, "in": "path", "description": f"Generated path parameter for {n}",
                                   "required": True, "schema": {"type": "string"}} for n in names]
    schemes = _security_schemes(api["authorizers"]) if extensions else {}
    if schemes:
        doc["components"] = {"securitySchemes": schemes}
    if extensions:
        doc["x-amazon-apigateway-importexport-version"] = "1.0"
    return doc
