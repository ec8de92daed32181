"""HTTP API gateway (apigatewayv2 config in moto): routing, payload 2.0, authorizer, stages, limits."""

from __future__ import annotations

import json
import time

import pytest
import requests

ECHO_EVENT = """
import json
def handler(event, context):
    return {"statusCode": 201, "headers": {"X-Route": event["routeKey"]},
            "body": json.dumps(event), "cookies": ["a=1"]}
"""
SIMPLE = "def handler(event, context):\n    return {'hello': event['pathParameters']['name']}\n"
AUTHORIZER = """
def handler(event, context):
    ok = event["headers"].get("authorization") == "Bearer good"
    return {"isAuthorized": ok, "context": {"user": "alice", "route": event["routeArn"]}}
"""
SLOW = "import time\ndef handler(event, context):\n    time.sleep(2)\n    return 'late'\n"


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


@pytest.fixture
def http_api(client, deploy):
    gw = client("apigatewayv2")
    api = gw.create_api(Name="t", ProtocolType="HTTP")["ApiId"]

    def route(key: str, source: str, **extra) -> str:
        fn = deploy(source)
        integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=arn(fn),
                                      PayloadFormatVersion="2.0",
                                      **{k: v for k, v in extra.items() if k == "TimeoutInMillis"})["IntegrationId"]
        gw.create_route(ApiId=api, RouteKey=key, Target=f"integrations/{integ}",
                        **{k: v for k, v in extra.items() if k != "TimeoutInMillis"})
        return fn

    return gw, api, route


def test_routes_to_lambda_with_payload_v2_and_maps_response(aws, http_api):
    gw, api, route = http_api
    route("POST /items/{id}", ECHO_EVENT)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    resp = requests.post(aws.gateway_url(api) + "/items/42?x=1&x=2", json={"a": 1},
                         headers={"Cookie": "c=3"}, timeout=30)
    assert resp.status_code == 201 and resp.headers["X-Route"] == "POST /items/{id}"
    assert resp.headers["Set-Cookie"] == "a=1"
    event = resp.json()
    assert event["version"] == "2.0" and event["rawPath"] == "/items/42" and event["rawQueryString"] == "x=1&x=2"
    assert event["pathParameters"] == {"id": "42"} and event["queryStringParameters"] == {"x": "1,2"}
    assert json.loads(event["body"]) == {"a": 1} and event["isBase64Encoded"] is False
    assert event["cookies"] == ["c=3"] and event["headers"]["content-type"] == "application/json"
    ctx = event["requestContext"]
    assert ctx["http"]["method"] == "POST" and ctx["stage"] == "$default" and ctx["apiId"] == api


def test_simple_response_form_and_unknown_route(aws, http_api):
    gw, api, route = http_api
    route("GET /hello/{name}", SIMPLE)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    resp = requests.get(aws.gateway_url(api) + "/hello/bob", timeout=30)
    assert resp.status_code == 200 and resp.json() == {"hello": "bob"}
    assert resp.headers["Content-Type"] == "application/json"
    missing = requests.get(aws.gateway_url(api) + "/nothing", timeout=30)
    assert missing.status_code == 404 and missing.json() == {"message": "Not Found"}


def test_named_stage_is_a_path_prefix(aws, http_api):
    gw, api, route = http_api
    route("GET /hello/{name}", SIMPLE)
    gw.create_stage(ApiId=api, StageName="prod", AutoDeploy=True)
    assert requests.get(aws.gateway_url(api, "prod") + "/hello/x", timeout=30).json() == {"hello": "x"}
    assert requests.get(aws.gateway_url(api) + "/hello/x", timeout=30).status_code == 404


def test_lambda_request_authorizer_simple_responses(aws, http_api, deploy):
    gw, api, route = http_api
    auth_fn = deploy(AUTHORIZER)
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn(auth_fn)}/invocations"
    auth = gw.create_authorizer(ApiId=api, AuthorizerType="REQUEST", AuthorizerUri=uri, Name="a",
                                IdentitySource=["$request.header.Authorization"],
                                AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True)["AuthorizerId"]
    route("POST /items/{id}", ECHO_EVENT, AuthorizationType="CUSTOM", AuthorizerId=auth)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    url = aws.gateway_url(api) + "/items/1"
    assert requests.post(url, timeout=30).status_code == 401
    denied = requests.post(url, headers={"Authorization": "Bearer bad"}, timeout=30)
    assert denied.status_code == 403 and denied.json() == {"message": "Forbidden"}
    ok = requests.post(url, headers={"Authorization": "Bearer good"}, timeout=30)
    assert ok.status_code == 201
    lam_ctx = ok.json()["requestContext"]["authorizer"]["lambda"]
    assert lam_ctx["user"] == "alice" and lam_ctx["route"].endswith(f"{api}/$default/POST/items/{{id}}")


def test_function_error_is_500_and_payload_limit_is_413(aws, http_api):
    gw, api, route = http_api
    route("POST /boom", "def handler(e, c):\n    raise RuntimeError('x')\n")
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    resp = requests.post(aws.gateway_url(api) + "/boom", timeout=30)
    assert resp.status_code == 500 and resp.json() == {"message": "Internal Server Error"}
    big = requests.post(aws.gateway_url(api) + "/boom", data=b"x" * (10 * 1024 * 1024 + 1), timeout=30)
    assert big.status_code == 413


def test_integration_timeout_is_504(aws, http_api):
    gw, api, route = http_api
    route("GET /slow", SLOW, TimeoutInMillis=500)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    resp = requests.get(aws.gateway_url(api) + "/slow", timeout=30)
    assert resp.status_code == 504


def test_http_api_integration_timeout_is_30_seconds(aws, client, deploy):
    gw = client("apigatewayv2")
    api = gw.create_api(Name="slow", ProtocolType="HTTP")["ApiId"]
    fn = deploy("import time\ndef handler(event, context):\n    time.sleep(6)\n", Timeout=10)
    # 45 s asked for: an HTTP API never waits longer than 30 s (AWS does not raise it).
    integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=arn(fn),
                                  PayloadFormatVersion="2.0", TimeoutInMillis=45000)["IntegrationId"]
    gw.create_route(ApiId=api, RouteKey="GET /slow", Target=f"integrations/{integ}")
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    old = aws.cfg.apigw_time_scale
    aws.cfg.apigw_time_scale = 0.1  # the shortened setting: 30 s becomes 3 s (29 s would be 2.9 s)
    try:
        started = time.monotonic()
        resp = requests.get(aws.gateway_url(api) + "/slow", timeout=30)
        elapsed = time.monotonic() - started
    finally:
        aws.cfg.apigw_time_scale = old
    assert resp.status_code == 504 and resp.json() == {"message": "Endpoint request timed out"}
    assert 3.0 <= elapsed < 4.5, elapsed
    assert (aws.cfg.integration_timeout_s, aws.cfg.rest_timeout_s) == (30.0, 29.0)


def test_stage_throttling_and_lambda_throttle_are_429(aws, http_api, client):
    gw, api, route = http_api
    fn = route("GET /hello/{name}", SIMPLE)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True,
                    DefaultRouteSettings={"ThrottlingBurstLimit": 2, "ThrottlingRateLimit": 0.001})
    codes = [requests.get(aws.gateway_url(api) + "/hello/a", timeout=30).status_code for _ in range(4)]
    assert codes[:2] == [200, 200] and codes[2:] == [429, 429]
    gw.create_stage(ApiId=api, StageName="open", AutoDeploy=True)
    client("lambda").put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=0)
    blocked = requests.get(aws.gateway_url(api, "open") + "/hello/a", timeout=30)
    assert blocked.status_code == 429
