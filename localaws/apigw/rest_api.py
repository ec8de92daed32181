"""REST APIs (apigateway v1) as stored in moto: MOCK, AWS service (e.g. DynamoDB) and Lambda proxy integrations."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError
from werkzeug.wrappers import Request

from localaws.apigw.events import HttpResponse, gateway_error, v1_event
from localaws.apigw.http_api import lambda_target
from localaws.apigw.routes import match_route
from localaws.apigw.velocity import render
from localaws.config import ACCOUNT_ID


def load_rest_api(region: str, api_id: str) -> Any:
    """moto's RestAPI object, or None."""
    from moto.apigateway.models import apigateway_backends

    try:
        return apigateway_backends[ACCOUNT_ID][region].get_rest_api(api_id)
    except Exception:
        return None


def _template(templates: dict[str, str] | None, content_type: str) -> str | None:
    templates = templates or {}
    return templates.get(content_type.split(";")[0].strip()) or templates.get("application/json")


class RestApi:
    """Serves requests for REST APIs through their methods' integrations and mapping templates."""

    def __init__(self, call: Any, clients: Any) -> None:
        self.call, self.clients = call, clients

    def handle(self, request: Request, region: str, api_id: str, api: Any, rest: str,
               test_stage_variables: dict[str, str] | None = None) -> HttpResponse:
        """Serve one request; test_stage_variables (TestInvokeMethod) stands in for a deployed stage."""
        stage, _, tail = rest.strip("/").partition("/")
        if stage not in api.stages and test_stage_variables is None:
            return gateway_error(403, "Forbidden")
        path = "/" + tail
        methods = {f"{m} {res.get_path()}": meth for res in api.resources.values()
                   for m, meth in res.resource_methods.items()}
        match = match_route(list(methods), request.method, path)
        if match is None or match.route_key == "$default":
            return gateway_error(403, "Missing Authentication Token")  # what REST APIs answer for no route
        integration = methods[match.route_key].method_integration
        if integration is None:
            return gateway_error(500, "Internal server error")
        resource = match.route_key.partition(" ")[2]
        context = {"requestId": str(uuid.uuid4()), "stage": stage, "httpMethod": request.method, "apiId": api_id,
                   "resourcePath": resource, "path": f"/{stage}{path}", "requestTimeEpoch": int(time.time() * 1000),
                   "accountId": ACCOUNT_ID, "identity": {"sourceIp": request.remote_addr or "127.0.0.1"}}
        params = {"path": match.params, "querystring": dict(request.args.items()),
                  "header": dict(request.headers.items())}
        stage_vars = test_stage_variables if test_stage_variables is not None else (
            getattr(api.stages[stage], "variables", {}) or {})
        kind = (integration.integration_type or "").upper()
        if kind == "AWS_PROXY":
            event = v1_event(request, resource, path, stage, api_id, match.params)
            # 29 s unless the integration says otherwise (raisable above 29 s since June 2024)
            timeout = (getattr(integration, "timeout_in_millis", None) or 29000) / 1000
            out = self.call(region, lambda_target(integration.uri), event, timeout)
            return out if isinstance(out, HttpResponse) else _proxy_response(out)
        template = _template(integration.request_templates, request.headers.get("Content-Type", ""))
        body = request.get_data()
        rendered = render(template, body, context, params, stage_vars) if template else body.decode()
        if kind == "MOCK":
            try:
                status = str(json.loads(rendered or "{}").get("statusCode", 200))
            except (ValueError, AttributeError):
                status = "500"
            return self._respond(integration, status, b"{}", context, params, stage_vars)
        if kind == "AWS":
            status, result = self._aws_service(region, integration.uri, rendered)
            return self._respond(integration, status, result, context, params, stage_vars)
        return gateway_error(500, "Internal server error")

    def _aws_service(self, region: str, uri: str, rendered: str) -> tuple[str, bytes]:
        # uri: arn:aws:apigateway:{region}:{service}:action/{Action}
        parts = uri.split(":")
        service, action = parts[4], parts[5].removeprefix("action/")
        try:
            client = self.clients.get(service, parts[3] or region)
            result = getattr(client, xform_name(action))(**json.loads(rendered or "{}"))
        except ClientError as exc:
            err = exc.response.get("Error", {})
            body = {"__type": err.get("Code"), "message": err.get("Message")}
            return str(exc.response["ResponseMetadata"]["HTTPStatusCode"]), json.dumps(body).encode()
        except (ParamValidationError, ValueError, TypeError) as exc:
            return "400", json.dumps({"__type": "ValidationException", "message": str(exc)}).encode()
        result.pop("ResponseMetadata", None)
        return "200", json.dumps(result, default=str).encode()

    def _respond(self, integration: Any, status: str, body: bytes, context: dict[str, Any],
                 params: dict[str, Any], stage_vars: dict[str, str]) -> HttpResponse:
        responses = list((integration.integration_responses or {}).values())
        chosen = next((r for r in responses if r.selection_pattern and re.fullmatch(r.selection_pattern, status)),
                      None) or next((r for r in responses if not r.selection_pattern), None)
        if chosen is None:
            return gateway_error(500, "Internal server error")
        template = _template(chosen.response_templates, "application/json")
        out = render(template, body, context, params, stage_vars).encode() if template else body
        return HttpResponse(int(chosen.status_code), out, {"Content-Type": "application/json"})


def _proxy_response(payload: bytes) -> HttpResponse:
    try:
        result = json.loads(payload)
        status = int(result["statusCode"])
    except (ValueError, KeyError, TypeError):
        return gateway_error(502, "Internal server error")  # REST proxy needs statusCode
    headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        import base64

        return HttpResponse(status, base64.b64decode(body), headers)
    return HttpResponse(status, str(body).encode(), headers)
