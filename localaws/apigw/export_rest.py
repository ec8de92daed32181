"""A REST API (apigateway, as stored in moto) as the Swagger 2.0 or OpenAPI 3.0 document GetExport gives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from localaws.apigw.rest_api import load_rest_api

EMPTY = {"type": "object", "title": "Empty Schema"}


def _integration(integ: Any) -> dict[str, Any]:
    data = integ.to_json()
    ext: dict[str, Any] = {"type": str(data.get("type", "")).lower()}
    for key in ("httpMethod", "uri", "requestParameters", "requestTemplates", "timeoutInMillis",
                "credentials", "contentHandling", "connectionType"):
        if data.get(key) not in (None, {}, "", []):
            ext[key] = data[key]
    if data.get("passthroughBehavior"):
        ext["passthroughBehavior"] = str(data["passthroughBehavior"]).lower()
    responses = {}
    for resp in (data.get("integrationResponses") or {}).values():
        out = {k: v for k, v in resp.items() if k != "selectionPattern" and v}
        responses[resp.get("selectionPattern") or "default"] = out
    if responses:
        ext["responses"] = responses
    return ext


def _responses(method: Any, oas3: bool) -> dict[str, Any]:
    out = {}
    for code in method.method_responses:
        ref = "#/components/schemas/Empty" if oas3 else "#/definitions/Empty"
        body = {"content": {"application/json": {"schema": {"$ref": ref}}}} if oas3 else {"schema": {"$ref": ref}}
        out[str(code)] = {"description": f"{code} response", **body}
    return out or {"200": {"description": "200 response"}}


def _operation(method: Any, path: str, oas3: bool, extensions: bool) -> dict[str, Any]:
    op: dict[str, Any] = {} if oas3 else {"produces": ["application/json"]}
    params = [{"name": part.strip("{}+"), "in": "path", "required": True}
              for part in path.split("/") if part.startswith("{")]
    if params:
        op["parameters"] = [{**p, "schema": {"type": "string"}} if oas3 else {**p, "type": "string"} for p in params]
    op["responses"] = _responses(method, oas3)
    if extensions and method.method_integration is not None:
        op["x-amazon-apigateway-integration"] = _integration(method.method_integration)
    return op


def rest_api_document(region: str, api_id: str, stage: str, oas3: bool, extensions: bool) -> dict | None:
    """Swagger 2.0 (oas3=False) or OpenAPI 3.0.1 document of a deployed stage; None if api or stage is missing."""
    api = load_rest_api(region, api_id)
    if api is None or stage not in api.stages:
        return None
    deployment = api.deployments.get(api.stages[stage].deployment_id)
    created = getattr(deployment, "created_date", None)
    version = (datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # as AWS shows it
               if isinstance(created, int) else str(api.version))
    info: dict[str, Any] = {"version": version, "title": api.name}
    if api.description:
        info["description"] = api.description
    host = f"{api_id}.execute-api.{region}.amazonaws.com"
    if oas3:
        doc: dict[str, Any] = {"openapi": "3.0.1", "info": info, "servers": [
            {"url": f"https://{host}/{{basePath}}", "variables": {"basePath": {"default": stage}}}]}
    else:
        doc = {"swagger": "2.0", "info": info, "host": host, "basePath": f"/{stage}", "schemes": ["https"]}
    paths: dict[str, Any] = {}
    for resource in sorted(api.resources.values(), key=lambda r: r.get_path()):
        path = resource.get_path()
        for verb, method in resource.resource_methods.items():
            key = "x-amazon-apigateway-any-method" if verb == "ANY" else verb.lower()
            paths.setdefault(path, {})[key] = _operation(method, path, oas3, extensions)
    doc["paths"] = paths
    if oas3:
        doc["components"] = {"schemas": {"Empty": EMPTY}}
    else:
        doc["definitions"] = {"Empty": EMPTY}
    return doc
