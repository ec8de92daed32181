"""REST API (apigateway v1) in moto: AWS service integration into DynamoDB via Velocity mappings; MOCK."""

from __future__ import annotations

import pytest
import requests

SCHEMA_A = """{"TableName": "$stageVariables.table", "Item": {
  "id": {"S": "$context.requestId"},
  "title": {"S": "$util.escapeJavaScript($input.path('$.title'))"}}}"""
SCHEMA_B = """{"TableName": "$stageVariables.table", "Item": {
  "id": {"S": "$context.requestId"},
  "name": {"S": "$util.escapeJavaScript($input.path('$.title'))"},
  "tags": {"SS": $input.json('$.tags')}}}"""
RESPONSE = """{"id": "$context.requestId", "stage": "$context.stage"}"""
ERROR = """{"error": $input.json('$.message')}"""


@pytest.fixture
def rest(client):
    ag = client("apigateway")
    api = ag.create_rest_api(name="videos-rest")["id"]
    root = next(r["id"] for r in ag.get_resources(restApiId=api)["items"] if r["path"] == "/")
    return ag, api, root


def wire_dynamodb(ag, api, resource, template):
    ag.put_integration(restApiId=api, resourceId=resource, httpMethod="POST", type="AWS",
                       integrationHttpMethod="POST", uri="arn:aws:apigateway:us-east-1:dynamodb:action/PutItem",
                       credentials="arn:aws:iam::123456789012:role/apigw-ddb",
                       requestTemplates={"application/json": template})
    ag.put_integration_response(restApiId=api, resourceId=resource, httpMethod="POST", statusCode="200",
                                selectionPattern="", responseTemplates={"application/json": RESPONSE})
    ag.put_integration_response(restApiId=api, resourceId=resource, httpMethod="POST", statusCode="400",
                                selectionPattern="4\\d{2}", responseTemplates={"application/json": ERROR})


def test_service_integration_writes_dynamodb_and_mapping_decides_schema(aws, client, rest):
    ag, api, root = rest
    ddb = client("dynamodb")
    ddb.create_table(TableName="rest-videos", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    res = ag.create_resource(restApiId=api, parentId=root, pathPart="videos")["id"]
    ag.put_method(restApiId=api, resourceId=res, httpMethod="POST", authorizationType="NONE")
    ag.put_method_response(restApiId=api, resourceId=res, httpMethod="POST", statusCode="200")
    wire_dynamodb(ag, api, res, SCHEMA_A)
    ag.create_deployment(restApiId=api, stageName="prod", variables={"table": "rest-videos"})
    url = aws.gateway_url(api, "prod") + "/videos"
    first = requests.post(url, json={"title": 'He said "hi"', "tags": ["a"]}, timeout=30)
    assert first.status_code == 200 and first.json()["stage"] == "prod"
    item = ddb.get_item(TableName="rest-videos", Key={"id": {"S": first.json()["id"]}})["Item"]
    assert item == {"id": {"S": first.json()["id"]}, "title": {"S": 'He said "hi"'}}

    wire_dynamodb(ag, api, res, SCHEMA_B)  # only the mapping changes; the stage serves it once it is deployed
    ag.create_deployment(restApiId=api, stageName="prod", variables={"table": "rest-videos"})
    second = requests.post(url, json={"title": "Cats", "tags": ["x", "y"]}, timeout=30)
    item = ddb.get_item(TableName="rest-videos", Key={"id": {"S": second.json()["id"]}})["Item"]
    assert set(item) == {"id", "name", "tags"} and item["name"] == {"S": "Cats"}
    assert sorted(item["tags"]["SS"]) == ["x", "y"]

    bad = requests.post(url, json={"title": "no tags"}, timeout=30)  # SS of null: DynamoDB rejects it
    assert bad.status_code == 400 and "error" in bad.json()


def test_mock_integration_and_missing_route(aws, rest):
    ag, api, root = rest
    res = ag.create_resource(restApiId=api, parentId=root, pathPart="ping")["id"]
    ag.put_method(restApiId=api, resourceId=res, httpMethod="GET", authorizationType="NONE")
    ag.put_integration(restApiId=api, resourceId=res, httpMethod="GET", type="MOCK",
                       requestTemplates={"application/json": '{"statusCode": 200}'})
    ag.put_integration_response(restApiId=api, resourceId=res, httpMethod="GET", statusCode="200",
                                selectionPattern="",
                                responseTemplates={"application/json": '{"pong": true, "stage": "$context.stage"}'})
    ag.create_deployment(restApiId=api, stageName="dev")
    resp = requests.get(aws.gateway_url(api, "dev") + "/ping", timeout=30)
    assert resp.status_code == 200 and resp.json() == {"pong": True, "stage": "dev"}
    assert requests.get(aws.gateway_url(api, "dev") + "/nope", timeout=30).status_code == 403
    assert requests.get(aws.gateway_url(api, "nostage") + "/ping", timeout=30).status_code == 403
