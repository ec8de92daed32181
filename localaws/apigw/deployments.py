"""HTTP API deployments (moto 5.2.5 has none): snapshots of an API that its stages serve, as on AWS.

A deployment is a copy of the API's routes, integrations, authorizers and CORS configuration taken when it
is made; a stage serves the deployment its `DeploymentId` names and nothing before it has one. A stage with
`AutoDeploy` gets a new deployment after every change to its API (AWS redeploys on change), so it serves
the current routes. Deployments and the stages' ids are kept on moto's own objects, so they are saved and
restored with moto's state (the state file) and go when their API goes.
"""

from __future__ import annotations

import copy
import random
import string
import threading
from datetime import UTC, datetime
from typing import Any

from localaws.config import ACCOUNT_ID

DEPLOYMENTS = "localaws_deployments"  # attribute on moto's Api: deployment id -> record
STAGE_DEPLOYMENT = "localaws_deployment_id"  # attribute on moto's Stage
NO_ROUTES = "Unable to deploy API because no routes exist in this API"
_lock = threading.RLock()


class NoRoutes(Exception):
    """CreateDeployment on an API without routes (AWS answers 400 BadRequestException)."""


def moto_api(region: str, api_id: str) -> Any:
    """moto's Api object; raises moto's ApiNotFound (404 NotFoundException) when there is none."""
    from moto.apigatewayv2.models import apigatewayv2_backends

    return apigatewayv2_backends[ACCOUNT_ID][region].get_api(api_id)


def snapshot(api: Any) -> dict[str, Any]:
    """What a deployment freezes: routes, integrations, authorizers and CORS, in AWS's JSON shape."""
    # list(): a copy taken at once, so a write to the API on another thread cannot change it mid-way
    return copy.deepcopy({
        "routes": {r.route_key: r.to_json() for r in list(api.routes.values())},
        "integrations": {i.id: i.to_json() for i in list(api.integrations.values())},
        "authorizers": {a.id: a.to_json() for a in list(api.authorizers.values())},
        "cors": api.cors_configuration,
    })


def records(api: Any) -> dict[str, dict[str, Any]]:
    """The API's deployments, oldest first: id -> {"meta": AWS's Deployment JSON, "snapshot": ...}."""
    with _lock:
        if getattr(api, DEPLOYMENTS, None) is None:
            setattr(api, DEPLOYMENTS, {})
        found: dict[str, dict[str, Any]] = getattr(api, DEPLOYMENTS)
        return found


def deployment_of(stage: Any) -> str | None:
    """The deployment a stage serves, or None."""
    return getattr(stage, STAGE_DEPLOYMENT, None)


def point(stage: Any, deployment_id: str | None) -> None:
    """Make the stage serve that deployment (UpdateStage's DeploymentId)."""
    setattr(stage, STAGE_DEPLOYMENT, deployment_id)
    stage.updated = datetime.now()


def deploy(api: Any, description: str = "", auto: bool = False, frozen: dict[str, Any] | None = None) -> dict[str, Any]:
    """Snapshot the API now (or keep `frozen`) as a new deployment; raises NoRoutes for an API without routes."""
    frozen = snapshot(api) if frozen is None else frozen
    if not frozen["routes"]:
        raise NoRoutes(NO_ROUTES)
    with _lock:
        known = records(api)
        new_id = _new_id(known)
        meta = {"autoDeployed": auto, "createdDate": _now(), "deploymentId": new_id,
                "deploymentStatus": "DEPLOYED", "description": description or ""}
        known[new_id] = {"meta": meta, "snapshot": frozen}
    return meta


def auto_deploy(api: Any) -> None:
    """Redeploy every AutoDeploy stage whose deployment no longer matches the API (AWS does it on change)."""
    with _lock:
        stages = [stage for stage in list(api.stages.values()) if stage.auto_deploy]
        now = snapshot(api) if stages else {}
        for stage in stages:
            current = records(api).get(deployment_of(stage) or "")
            if current is not None and current["snapshot"] == now:
                continue
            try:
                point(stage, deploy(api, auto=True, frozen=copy.deepcopy(now))["deploymentId"])
            except NoRoutes:
                continue  # AWS's automatic deployment fails too; the stage keeps what it served


def after_write(region: str, path: str) -> None:
    """After a control-plane write to /v2/apis/{id}/...: bring that API's AutoDeploy stages up to date."""
    parts = path.strip("/").split("/")
    if len(parts) < 3 or parts[:2] != ["v2", "apis"]:
        return
    try:
        api = moto_api(region, parts[2])
    except Exception:  # the API is gone (DeleteApi) or never was
        return
    auto_deploy(api)


def stage_json(stage: Any) -> dict[str, Any]:
    """moto's stage JSON plus what AWS adds: the deployment id and an AutoDeploy stage's status message."""
    out = dict(stage.to_json())
    deployment_id = deployment_of(stage)
    if deployment_id:
        out["deploymentId"] = deployment_id
        if stage.auto_deploy:
            out["lastDeploymentStatusMessage"] = f"Successfully deployed stage with deployment ID '{deployment_id}'"
    return out


def served(api: Any) -> dict[str, dict[str, Any] | None]:
    """Stage name -> the snapshot it serves (None: no deployment, the stage answers 404)."""
    with _lock:
        known = records(api)
        return {name: (known.get(deployment_of(stage) or "") or {}).get("snapshot")
                for name, stage in list(api.stages.items())}


def _new_id(taken: dict[str, Any]) -> str:
    while True:
        candidate = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(6))
        if candidate not in taken:
            return candidate


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
