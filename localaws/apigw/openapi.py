"""Deploy an OpenAPI 3 document with API Gateway extensions as an HTTP API (works on AWS and locally)."""

from __future__ import annotations

from typing import Any

import yaml

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method"}


def import_http_api(apigw: Any, document: str | dict[str, Any], stage: str = "$default") -> str:
    """Create the API, its Lambda authorizers, integrations, routes and a stage; return the API id.

    apigw is a boto3 "apigatewayv2" client. Reads x-amazon-apigateway-integration on operations and
    x-amazon-apigateway-authorizer on security schemes (moto's import_api skips the authorizers).
    """
    doc = yaml.safe_load(document) if isinstance(document, str) else document
    info = doc.get("info") or {}
    api_id = apigw.create_api(Name=info.get("title", "api"), ProtocolType="HTTP",
                              Version=str(info.get("version", "1")))["ApiId"]
    authorizers = _authorizers(apigw, api_id, doc)
    default_security = doc.get("security") or []
    for path, operations in (doc.get("paths") or {}).items():
        for method, op in operations.items():
            if method.lower() not in METHODS or "x-amazon-apigateway-integration" not in op:
                continue
            integ = op["x-amazon-apigateway-integration"]
            params: dict[str, Any] = {"ApiId": api_id, "IntegrationType": str(integ["type"]).upper(),
                                      "PayloadFormatVersion": str(integ.get("payloadFormatVersion", "2.0"))}
            if integ.get("uri"):
                params["IntegrationUri"] = integ["uri"]
            if integ.get("timeoutInMillis"):
                params["TimeoutInMillis"] = int(integ["timeoutInMillis"])
            integration_id = apigw.create_integration(**params)["IntegrationId"]
            verb = "ANY" if method.lower() == "x-amazon-apigateway-any-method" else method.upper()
            route: dict[str, Any] = {"ApiId": api_id, "RouteKey": f"{verb} {path}",
                                     "Target": f"integrations/{integration_id}"}
            for requirement in op.get("security", default_security):
                scheme = next((name for name in requirement if name in authorizers), None)
                if scheme:
                    route.update(AuthorizationType="CUSTOM", AuthorizerId=authorizers[scheme])
                    break
            apigw.create_route(**route)
    apigw.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True)
    return api_id


def _authorizers(apigw: Any, api_id: str, doc: dict[str, Any]) -> dict[str, str]:
    found = {}
    schemes = ((doc.get("components") or {}).get("securitySchemes")) or {}
    for name, scheme in schemes.items():
        ext = scheme.get("x-amazon-apigateway-authorizer")
        if not ext or str(ext.get("type", "")).lower() != "request":
            continue
        sources = ext.get("identitySource", "$request.header.Authorization")
        found[name] = apigw.create_authorizer(
            ApiId=api_id, Name=name, AuthorizerType="REQUEST", AuthorizerUri=ext["authorizerUri"],
            IdentitySource=[s.strip() for s in sources.split(",")] if isinstance(sources, str) else sources,
            AuthorizerPayloadFormatVersion=str(ext.get("authorizerPayloadFormatVersion", "2.0")),
            EnableSimpleResponses=bool(ext.get("enableSimpleResponses", True)),
            AuthorizerResultTtlInSeconds=int(ext.get("authorizerResultTtlInSeconds", 0)),
        )["AuthorizerId"]
    return found
