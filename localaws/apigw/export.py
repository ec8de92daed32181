"""The API export and listing calls moto lacks, on the wire: ExportApi, GetExport, GetAuthorizers."""

from __future__ import annotations

import json
from typing import Any

import yaml
from werkzeug.wrappers import Request, Response

from localaws.apigw.export_http import http_api_document
from localaws.apigw.export_rest import rest_api_document
from localaws.config import ACCOUNT_ID
from localaws.invoke.api import aws_error, region_of


def _document(doc: dict[str, Any], as_yaml: bool, filename: str) -> Response:
    text = yaml.safe_dump(doc, sort_keys=False) if as_yaml else json.dumps(doc, indent=2)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(text, 200, headers, content_type="application/yaml" if as_yaml else "application/json")


def export_http_api(request: Request, api_id: str, specification: str) -> Response:
    """GET /v2/apis/{apiId}/exports/OAS30 (apigatewayv2 ExportApi): the HTTP API as OpenAPI 3.0, YAML or JSON."""
    args = request.args
    if specification != "OAS30":
        return aws_error(400, "BadRequestException", "Invalid specification: only OAS30 is supported.")
    output = args.get("outputType", "")
    if output not in ("YAML", "JSON"):
        return aws_error(400, "BadRequestException", "Invalid outputType: must be YAML or JSON.")
    extensions = args.get("includeExtensions", "true").lower() != "false"
    doc = http_api_document(region_of(request), api_id, args.get("stageName"), extensions)
    if doc is None:
        return aws_error(404, "NotFoundException", f"Invalid API identifier specified {api_id}")
    return _document(doc, output == "YAML", f"{api_id}-oas30.{output.lower()}")


def get_authorizers(request: Request, api_id: str) -> Response:
    """GET /v2/apis/{apiId}/authorizers (apigatewayv2 GetAuthorizers, which moto lacks)."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    try:
        api = apigatewayv2_backends[ACCOUNT_ID][region_of(request)].get_api(api_id)
    except Exception:
        return aws_error(404, "NotFoundException", f"Invalid API identifier specified {ACCOUNT_ID}:{api_id}")
    items = [a.to_json() for a in api.authorizers.values()]
    return Response(json.dumps({"items": items}), 200, content_type="application/json")


def export_rest_api(request: Request, api_id: str, stage: str, export_type: str) -> Response:
    """GET /restapis/{id}/stages/{stage}/exports/{swagger|oas30} (apigateway GetExport)."""
    if export_type not in ("swagger", "oas30"):
        return aws_error(400, "BadRequestException", f"No API exporter for type '{export_type}'")
    wanted = {e.strip() for e in request.args.get("extensions", "").split(",") if e.strip()}
    extensions = bool(wanted & {"integrations", "apigateway", "authorizers"})
    doc = rest_api_document(region_of(request), api_id, stage, export_type == "oas30", extensions)
    if doc is None:
        return aws_error(404, "NotFoundException", "Invalid stage identifier specified")
    as_yaml = "yaml" in request.headers.get("Accept", "")
    return _document(doc, as_yaml, f"{api_id}-{stage}-{export_type}.{'yaml' if as_yaml else 'json'}")
