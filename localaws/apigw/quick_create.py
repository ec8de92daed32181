"""HTTP API quick create (CreateApi with Target): the integration, route and $default stage moto leaves out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from localaws.apigw.deployments import auto_deploy
from localaws.config import ACCOUNT_ID


def complete_quick_create(region: str, api_id: str, target: str, route_key: str | None) -> None:
    """Add what quick create makes on AWS: a Lambda proxy integration (payload 2.0), its route, a $default stage."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    api = apigatewayv2_backends[ACCOUNT_ID][region].get_api(api_id)
    integration = api.create_integration(connection_type="INTERNET", description="", integration_method="POST",
                                         integration_type="AWS_PROXY", integration_uri=target,
                                         payload_format_version="2.0")
    api.create_route(api_key_required=False, authorization_scopes=[], route_key=route_key or "$default",
                     target=f"integrations/{integration.id}")
    api.create_stage({"stageName": "$default", "autoDeploy": True})
    auto_deploy(api)  # the $default stage serves the new route at once, as on AWS


def quick_create(moto_app: Callable[..., Iterable[bytes]], environ: dict[str, Any], request: Request,
                 region: str) -> Response | None:
    """Pass CreateApi to moto, then complete it when it names a Target; None when it is a plain CreateApi."""
    doc = request.get_json(silent=True, force=True) or {}
    if not isinstance(doc, dict) or not doc.get("target") or doc.get("protocolType") != "HTTP":
        return None
    started: list[tuple[str, list[Any]]] = []
    reply = moto_app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
    body = b"".join(reply)
    status, headers = started[0]
    if status.startswith("2"):
        created = json.loads(body)
        complete_quick_create(region, created["apiId"], doc["target"], doc.get("routeKey"))
    return Response(body, int(status.split()[0]), headers)
