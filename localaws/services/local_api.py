"""Control-plane calls moto lacks, answered by the platform.

GetAccountSettings, API exports, GetAuthorizers, HTTP API quick create, TestInvokeMethod, and the minimum
unreserved concurrency check in front of moto's PutFunctionConcurrency.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import yaml
from werkzeug.wrappers import Request, Response

from localaws.apigw.export_http import http_api_document
from localaws.apigw.export_rest import rest_api_document
from localaws.apigw.invoke_method import invoke_method
from localaws.apigw.quick_create import quick_create
from localaws.config import ACCOUNT_ID, PlatformConfig
from localaws.invoke.api import aws_error, region_of
from localaws.services.account import check_reservation, get_account_settings

ACCOUNT_SETTINGS = re.compile(r"^/2016-08-19/account-settings/?$")
CONCURRENCY = re.compile(r"^/2017-10-31/functions/([^/]+)/concurrency/?$")
TEST_INVOKE = re.compile(r"^/restapis/([^/]+)/resources/([^/]+)/methods/([A-Z]+)/?$")
APIS = re.compile(r"^/v2/apis/?$")
AUTHORIZERS = re.compile(r"^/v2/apis/([^/]+)/authorizers/?$")
HTTP_EXPORT = re.compile(r"^/v2/apis/([^/]+)/exports/([^/]+)/?$")
REST_EXPORT = re.compile(r"^/restapis/([^/]+)/stages/([^/]+)/exports/([^/]+)/?$")


def _request(environ: dict[str, Any]) -> Request:
    # Read the body once and put it back, so moto can still read it when the call goes on to moto.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    request = Request(environ.copy())
    request.environ["wsgi.input"] = io.BytesIO(body)
    return request


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


class LocalApi:
    """Answers the calls above; __call__ gives None for every other request (they go on to moto)."""

    def __init__(self, cfg: PlatformConfig, moto_app: Any, rest: Any) -> None:
        self.cfg, self.moto_app, self.rest = cfg, moto_app, rest

    def __call__(self, environ: dict[str, Any]) -> Response | None:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method == "GET" and ACCOUNT_SETTINGS.match(path):
            return get_account_settings(self.cfg, _request(environ))
        if method == "PUT" and (match := CONCURRENCY.match(path)):
            return check_reservation(self.cfg, _request(environ), match.group(1))
        if method == "POST" and APIS.match(path):
            request = _request(environ)
            return quick_create(self.moto_app, environ, request, region_of(request))
        if method == "POST" and (match := TEST_INVOKE.match(path)):
            request = _request(environ)
            doc = request.get_json(silent=True, force=True) or {}
            return invoke_method(self.rest, region_of(request), *match.groups(), doc)
        if method == "GET" and (match := AUTHORIZERS.match(path)):
            return get_authorizers(_request(environ), match.group(1))
        if method == "GET" and (match := HTTP_EXPORT.match(path)):
            return export_http_api(_request(environ), *match.groups())
        if method == "GET" and (match := REST_EXPORT.match(path)):
            return export_rest_api(_request(environ), *match.groups())
        return None
