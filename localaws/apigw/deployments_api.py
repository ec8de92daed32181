"""HTTP API deployment calls on the wire: Create/Get/Update/DeleteDeployment, UpdateStage, and stages with ids.

moto 5.2.5 has no deployments and no UpdateStage for apigatewayv2; CreateStage, GetStage and GetStages go to
moto and come back with what AWS adds (`deploymentId`, `lastDeploymentStatusMessage`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

from moto.core.exceptions import JsonRESTError
from werkzeug.wrappers import Request, Response

from localaws.apigw import deployments as dep
from localaws.invoke.api import aws_error, region_of

DEPLOYMENTS = re.compile(r"^/v2/apis/([^/]+)/deployments/?$")
DEPLOYMENT = re.compile(r"^/v2/apis/([^/]+)/deployments/([^/]+)/?$")
STAGES = re.compile(r"^/v2/apis/([^/]+)/stages/?$")
STAGE = re.compile(r"^/v2/apis/([^/]+)/stages/([^/]+)/?$")


def _json(status: int, doc: Any) -> Response:
    return Response(json.dumps(doc), status, content_type="application/json")


def _no_deployment(deployment_id: str) -> Response:
    return aws_error(404, "NotFoundException", f"Invalid Deployment identifier specified {deployment_id}")


def _auto_deploy_conflict(stage: str) -> Response:
    # AWS's answer when a DeploymentId is given to a stage that deploys itself
    return aws_error(400, "BadRequestException",
                     f"Deployment ID cannot be set on this stage {stage} because AutoDeploy is enabled.")


def deployment_call(moto_app: Callable[..., Iterable[bytes]], environ: dict[str, Any],
                    request: Request) -> Response | None:
    """Answer a deployment or stage call of an HTTP API; None for every other request."""
    path, method = unquote(environ.get("PATH_INFO", "")), environ.get("REQUEST_METHOD", "GET")
    doc = request.get_json(silent=True, force=True) if method in ("POST", "PATCH") else {}
    doc = doc if isinstance(doc, dict) else {}
    region = region_of(request)
    try:
        if match := DEPLOYMENTS.match(path):
            return _deployments(region, match.group(1), method, doc)
        if match := DEPLOYMENT.match(path):
            return _deployment(region, match.group(1), match.group(2), method, doc)
        if (match := STAGES.match(path)) and method in ("GET", "POST"):
            return _stages(moto_app, environ, region, match.group(1), method, doc)
        if (match := STAGE.match(path)) and method in ("GET", "PATCH"):
            return _stage(moto_app, environ, region, match.group(1), match.group(2), method, doc)
    except JsonRESTError as exc:  # moto's own NotFoundException for an unknown API or stage
        return aws_error(exc.code, exc.error_type, exc.message)
    return None


def _deployments(region: str, api_id: str, method: str, doc: dict[str, Any]) -> Response | None:
    api = dep.moto_api(region, api_id)
    if method == "GET":
        return _json(200, {"items": [r["meta"] for r in dep.records(api).values()]})
    if method != "POST":
        return None
    stage = api.get_stage(doc["stageName"]) if doc.get("stageName") else None
    try:
        meta = dep.deploy(api, str(doc.get("description") or ""))
    except dep.NoRoutes as exc:
        return aws_error(400, "BadRequestException", str(exc))
    if stage is not None:
        dep.point(stage, meta["deploymentId"])
    return _json(201, meta)


def _deployment(region: str, api_id: str, deployment_id: str, method: str, doc: dict[str, Any]) -> Response | None:
    api = dep.moto_api(region, api_id)
    known = dep.records(api)
    if deployment_id not in known:
        return _no_deployment(deployment_id)
    if method == "GET":
        return _json(200, known[deployment_id]["meta"])
    if method == "PATCH":
        if "description" in doc:
            known[deployment_id]["meta"]["description"] = str(doc["description"] or "")
        return _json(200, known[deployment_id]["meta"])
    if method == "DELETE":
        del known[deployment_id]  # a stage still naming it serves nothing (404) until it is pointed elsewhere
        return Response(b"", 204)
    return None


def _moto(moto_app: Callable[..., Iterable[bytes]], environ: dict[str, Any]) -> tuple[int, list[Any], bytes]:
    started: list[tuple[str, list[Any]]] = []
    reply = moto_app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
    body = b"".join(reply)
    return int(started[0][0].split()[0]), started[0][1], body


def _stages(moto_app: Callable[..., Iterable[bytes]], environ: dict[str, Any], region: str, api_id: str,
            method: str, doc: dict[str, Any]) -> Response:
    wanted = doc.get("deploymentId")
    if method == "POST" and wanted:
        if doc.get("autoDeploy"):
            return _auto_deploy_conflict(str(doc.get("stageName")))
        if wanted not in dep.records(dep.moto_api(region, api_id)):
            return _no_deployment(str(wanted))
    status, headers, body = _moto(moto_app, environ)
    if status >= 300:
        return Response(body, status, headers)
    api = dep.moto_api(region, api_id)
    if method == "GET":
        return _json(status, {"items": [dep.stage_json(s) for s in api.stages.values()]})
    stage = api.get_stage(doc["stageName"])
    dep.point(stage, wanted or None)
    if stage.auto_deploy:
        dep.auto_deploy(api)
    return _json(status, dep.stage_json(stage))


def _stage(moto_app: Callable[..., Iterable[bytes]], environ: dict[str, Any], region: str, api_id: str,
           name: str, method: str, doc: dict[str, Any]) -> Response:
    if method == "GET":
        status, headers, body = _moto(moto_app, environ)
        if status >= 300:
            return Response(body, status, headers)
        return _json(status, dep.stage_json(dep.moto_api(region, api_id).get_stage(name)))
    api = dep.moto_api(region, api_id)
    stage = api.get_stage(name)
    auto = bool(doc.get("autoDeploy", stage.auto_deploy))
    if doc.get("deploymentId"):
        if auto:
            return _auto_deploy_conflict(name)
        if doc["deploymentId"] not in dep.records(api):
            return _no_deployment(str(doc["deploymentId"]))
        dep.point(stage, doc["deploymentId"])
    _update_settings(stage, doc)
    if stage.auto_deploy:
        dep.auto_deploy(api)
    return _json(200, dep.stage_json(stage))


def _update_settings(stage: Any, doc: dict[str, Any]) -> None:
    # What UpdateStage changes besides the deployment: given fields replace, maps are merged into.
    if "autoDeploy" in doc:
        stage.auto_deploy = bool(doc["autoDeploy"])
    for field, attr in (("description", "description"), ("clientCertificateId", "client_certificate_id"),
                        ("accessLogSettings", "access_log_settings")):
        if field in doc:
            setattr(stage, attr, doc[field])
    if isinstance(doc.get("stageVariables"), dict):
        stage.stage_variables = {**(stage.stage_variables or {}), **doc["stageVariables"]}
    if isinstance(doc.get("defaultRouteSettings"), dict):
        stage.default_route_settings = {**(stage.default_route_settings or {}), **doc["defaultRouteSettings"]}
    if isinstance(doc.get("routeSettings"), dict):
        stage.route_settings = {**(stage.route_settings or {}), **doc["routeSettings"]}
    dep.point(stage, dep.deployment_of(stage))  # marks the stage updated
