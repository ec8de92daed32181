"""REST API deployments as snapshots: moto keeps deployments and each stage's id, but serves the live methods.

After a CreateDeployment the methods (with their integrations and mapping templates) are copied onto moto's
Deployment object; a stage serves the copy of the deployment it names (UpdateStage `/deploymentId` moves
it), so a method changed afterwards is served only once it is deployed again, as on AWS.
"""

from __future__ import annotations

import copy
import re
from typing import Any

SNAPSHOT = "localaws_methods"  # attribute on moto's apigateway Deployment
DEPLOYMENTS = re.compile(r"^/restapis/([^/]+)/deployments/?$")


def live_methods(api: Any) -> dict[str, Any]:
    """The API's methods now, keyed like routes: 'GET /videos/{id}' -> moto's Method."""
    return {f"{verb} {res.get_path()}": method for res in api.resources.values()
            for verb, method in res.resource_methods.items()}


def after_write(api: Any, path: str) -> None:
    """After POST /restapis/{id}/deployments: freeze the methods into every deployment that has no copy yet."""
    if not DEPLOYMENTS.match(path):
        return
    for deployment in list(api.deployments.values()):
        if getattr(deployment, SNAPSHOT, None) is None:
            setattr(deployment, SNAPSHOT, copy.deepcopy(live_methods(api)))


def deployed_methods(api: Any, stage: str) -> dict[str, Any]:
    """The methods the stage serves: its deployment's copy (the live methods if moto made it without one)."""
    deployment_id = getattr(api.stages.get(stage), "deployment_id", None)
    frozen = getattr(api.deployments.get(deployment_id or ""), SNAPSHOT, None)
    return frozen if frozen is not None else live_methods(api)
