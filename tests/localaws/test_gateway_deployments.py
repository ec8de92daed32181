"""An HTTP API stage serves a deployment, a snapshot of the API, called through boto3 as on AWS."""

from __future__ import annotations

import pytest
import requests
from botocore.exceptions import ClientError

HELLO = "def handler(event, context):\n    return {'from': '%s', 'path': event['rawPath']}\n"


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


@pytest.fixture
def http_api(client, deploy):
    gw = client("apigatewayv2")
    api = gw.create_api(Name="deployments", ProtocolType="HTTP")["ApiId"]

    def route(key: str, marker: str) -> str:
        integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", PayloadFormatVersion="2.0",
                                      IntegrationUri=arn(deploy(HELLO % marker)))["IntegrationId"]
        gw.create_route(ApiId=api, RouteKey=key, Target=f"integrations/{integ}")
        return integ

    return gw, api, route


def get(aws, api: str, stage: str | None, path: str) -> requests.Response:
    return requests.get(aws.gateway_url(api, stage) + path, timeout=30)


def test_route_added_after_a_deployment_waits_for_the_next_one_and_update_stage_rolls_back(aws, http_api):
    gw, api, route = http_api
    route("GET /a", "a")
    gw.create_stage(ApiId=api, StageName="prod")
    assert get(aws, api, "prod", "/a").status_code == 404  # a stage with no deployment serves nothing
    first = gw.create_deployment(ApiId=api, StageName="prod", Description="one")
    assert first["DeploymentStatus"] == "DEPLOYED" and first["AutoDeployed"] is False
    assert get(aws, api, "prod", "/a").json()["from"] == "a"
    assert gw.get_stage(ApiId=api, StageName="prod")["DeploymentId"] == first["DeploymentId"]

    route("GET /b", "b")
    missing = get(aws, api, "prod", "/b")
    assert missing.status_code == 404 and missing.json() == {"message": "Not Found"}
    second = gw.create_deployment(ApiId=api)["DeploymentId"]  # deployed, but no stage names it yet
    assert get(aws, api, "prod", "/b").status_code == 404
    gw.update_stage(ApiId=api, StageName="prod", DeploymentId=second)
    assert get(aws, api, "prod", "/b").json()["from"] == "b"

    rolled = gw.update_stage(ApiId=api, StageName="prod", DeploymentId=first["DeploymentId"])
    assert rolled["DeploymentId"] == first["DeploymentId"]
    assert get(aws, api, "prod", "/b").status_code == 404 and get(aws, api, "prod", "/a").status_code == 200
    listed = gw.get_deployments(ApiId=api)["Items"]
    assert [d["DeploymentId"] for d in listed] == [first["DeploymentId"], second]
    assert gw.get_deployment(ApiId=api, DeploymentId=second)["Description"] == ""


def test_auto_deploy_stage_serves_a_new_route_at_once(aws, http_api):
    gw, api, route = http_api
    route("GET /a", "a")
    stage = gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    assert stage["DeploymentId"] and "Successfully deployed" in stage["LastDeploymentStatusMessage"]
    assert get(aws, api, None, "/a").json() == {"from": "a", "path": "/a"}
    route("GET /b", "b")
    assert get(aws, api, None, "/b").json()["from"] == "b"
    deployments = gw.get_deployments(ApiId=api)["Items"]
    # one when the stage was made, one per change since (the new integration, then its route)
    assert len(deployments) == 3 and all(d["AutoDeployed"] for d in deployments)
    assert gw.get_stages(ApiId=api)["Items"][0]["DeploymentId"] == deployments[-1]["DeploymentId"]
    with pytest.raises(ClientError) as refused:  # AWS: no DeploymentId on a stage that deploys itself
        gw.update_stage(ApiId=api, StageName="$default", DeploymentId=deployments[0]["DeploymentId"])
    assert refused.value.response["Error"]["Code"] == "BadRequestException"


def test_no_stage_no_deployment_and_no_routes_answer_as_aws_does(aws, client):
    gw = client("apigatewayv2")
    api = gw.create_api(Name="empty", ProtocolType="HTTP")["ApiId"]
    assert get(aws, api, None, "/").status_code == 404  # no stage at all
    gw.create_stage(ApiId=api, StageName="$default")
    with pytest.raises(ClientError) as no_routes:
        gw.create_deployment(ApiId=api, StageName="$default")
    assert no_routes.value.response["Error"]["Code"] == "BadRequestException"
    assert "no routes" in no_routes.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as unknown:
        gw.update_stage(ApiId=api, StageName="$default", DeploymentId="nosuch")
    assert unknown.value.response["Error"]["Code"] == "NotFoundException"
    assert "DeploymentId" not in gw.get_stage(ApiId=api, StageName="$default")


def test_a_deployment_keeps_the_integrations_as_they_were(aws, http_api, deploy):
    gw, api, route = http_api
    integ = route("GET /a", "old")
    gw.create_stage(ApiId=api, StageName="prod", StageVariables={"v": "1"})
    gw.create_deployment(ApiId=api, StageName="prod")
    gw.update_integration(ApiId=api, IntegrationId=integ, IntegrationUri=arn(deploy(HELLO % "new")))
    assert get(aws, api, "prod", "/a").json()["from"] == "old"
    gw.create_deployment(ApiId=api, StageName="prod")
    assert get(aws, api, "prod", "/a").json()["from"] == "new"
    updated = gw.update_stage(ApiId=api, StageName="prod", StageVariables={"w": "2"}, Description="live")
    assert updated["StageVariables"] == {"v": "1", "w": "2"} and updated["Description"] == "live"

