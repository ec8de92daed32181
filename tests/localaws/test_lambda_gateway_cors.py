"""HTTP API CORS (`CorsConfiguration`): the gateway answers preflights itself and marks allowed answers."""

from __future__ import annotations

import pytest
import requests

SIMPLE = "def handler(event, context):\n    return {'hello': event['pathParameters']['name']}\n"
DENY_ALL = "def handler(event, context):\n    return {'isAuthorized': False}\n"
PAGE = "http://localhost:9999"
CORS = {"AllowOrigins": [PAGE], "AllowMethods": ["GET", "POST"], "AllowHeaders": ["authorization", "content-type"],
        "MaxAge": 600}


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


@pytest.fixture
def cors_api(aws, client, deploy):
    """An HTTP API with GET /hello/{name} (open) and POST /hello/{name} behind an authorizer that denies all."""
    gw = client("apigatewayv2")
    api = gw.create_api(Name="cors", ProtocolType="HTTP", CorsConfiguration=CORS)["ApiId"]
    integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=arn(deploy(SIMPLE)),
                                  PayloadFormatVersion="2.0")["IntegrationId"]
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn(deploy(DENY_ALL))}/invocations"
    auth = gw.create_authorizer(ApiId=api, AuthorizerType="REQUEST", AuthorizerUri=uri, Name="deny",
                                IdentitySource=["$request.header.Authorization"],
                                AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True)["AuthorizerId"]
    gw.create_route(ApiId=api, RouteKey="GET /hello/{name}", Target=f"integrations/{integ}")
    gw.create_route(ApiId=api, RouteKey="POST /hello/{name}", Target=f"integrations/{integ}",
                    AuthorizationType="CUSTOM", AuthorizerId=auth)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    return gw, api, aws.gateway_url(api)


def preflight(url: str, origin: str) -> requests.Response:
    return requests.options(url, timeout=30, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})


def test_preflight_is_answered_before_routes_and_authorizers(cors_api):
    _, _, url = cors_api
    resp = preflight(url + "/hello/x", PAGE)
    assert resp.status_code == 204  # the authorizer (which denies everything) was never asked
    assert resp.headers["Access-Control-Allow-Origin"] == PAGE
    assert resp.headers["Access-Control-Allow-Methods"] == "GET,POST"
    assert resp.headers["Access-Control-Allow-Headers"] == "authorization,content-type"
    assert resp.headers["Access-Control-Max-Age"] == "600"
    other = preflight(url + "/hello/x", "http://evil.example")
    assert other.status_code == 204 and "Access-Control-Allow-Origin" not in other.headers


def test_answers_to_an_allowed_origin_carry_the_cors_headers(cors_api):
    _, _, url = cors_api
    ok = requests.get(url + "/hello/bob", headers={"Origin": PAGE}, timeout=30)
    assert ok.json() == {"hello": "bob"} and ok.headers["Access-Control-Allow-Origin"] == PAGE
    refused = requests.post(url + "/hello/bob", headers={"Origin": PAGE, "Authorization": "x"}, timeout=30)
    assert refused.status_code == 403 and refused.headers["Access-Control-Allow-Origin"] == PAGE
    foreign = requests.get(url + "/hello/bob", headers={"Origin": "http://evil.example"}, timeout=30)
    assert foreign.status_code == 200 and "Access-Control-Allow-Origin" not in foreign.headers


def test_without_a_configuration_nothing_changes(cors_api):
    gw, api, url = cors_api
    gw.delete_cors_configuration(ApiId=api)
    assert preflight(url + "/hello/x", PAGE).status_code == 404  # no OPTIONS route: the gateway's 404
    plain = requests.get(url + "/hello/bob", headers={"Origin": PAGE}, timeout=30)
    assert plain.status_code == 200 and "Access-Control-Allow-Origin" not in plain.headers
