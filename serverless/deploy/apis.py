"""The HTTP API (routes from the contract, Lambda authorizer, stage) and the small REST API with a mock integration."""

from __future__ import annotations

from typing import Any

from serverless.deploy import contract
from serverless.deploy.aws import Target
from serverless.deploy.contract import Route
from serverless.deploy.functions import alias_arn, allow
from serverless.deploy.stack import Resource, Stack


def _by_name(items: list[dict[str, Any]], name: str, key: str = "Name") -> dict[str, Any] | None:
    return next((i for i in items if i.get(key) == name), None)


def lambda_uri(region: str, function_arn: str) -> str:
    """The apigateway invocation URI of a Lambda function (what authorizers and REST integrations take)."""
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


def http_api(t: Target, stack: Stack, r: Resource, routes: list[Route] | None = None) -> str:
    """Create the HTTP API (or empty an existing one of that name) and route it as its contract says."""
    routes = contract.routes(stack, r) if routes is None else routes  # a mismatch fails before any call
    gw, region, acct = t.client("apigatewayv2"), stack.ctx.region, stack.ctx.account
    api_id = _fresh_api(gw, r.physical)
    stack.ctx.refs[r.logical] = api_id
    cors = stack.resolve(r.props.get("CorsConfiguration"))
    if cors:  # the web page in the website bucket calls the API from another origin
        gw.update_api(ApiId=api_id, CorsConfiguration=cors)
    source = f"arn:aws:execute-api:{region}:{acct}:{api_id}/*"
    authorizers = _authorizers(t, stack, r, api_id, source)
    for route in routes:
        target = alias_arn(stack, stack.get(route.function))
        _route(gw, api_id, route, target, authorizers)
        allow(t, target, "apigateway.amazonaws.com", source, f"apigw-{route.event}")
    stage = stack.resolve(r.props.get("StageName", "$default"))
    settings = stack.resolve(r.props.get("DefaultRouteSettings") or {})
    if not _by_name(gw.get_stages(ApiId=api_id).get("Items", []), stage, "StageName"):
        gw.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True, DefaultRouteSettings=settings)
    stack.ctx.attrs[(r.logical, "Stage")] = stage
    return api_id


def _fresh_api(gw: Any, name: str) -> str:
    # A redeploy keeps the id (and the URL) and rebuilds what is behind it.
    found = _by_name(gw.get_apis().get("Items", []), name)
    if not found:
        return str(gw.create_api(Name=name, ProtocolType="HTTP")["ApiId"])
    api_id = str(found["ApiId"])
    for route in gw.get_routes(ApiId=api_id).get("Items", []):
        gw.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    for integ in gw.get_integrations(ApiId=api_id).get("Items", []):
        gw.delete_integration(ApiId=api_id, IntegrationId=integ["IntegrationId"])
    try:
        olds = gw.get_authorizers(ApiId=api_id).get("Items", [])
    except Exception:  # moto has no GetAuthorizers: an unused old authorizer stays behind locally
        olds = []
    for auth in olds:
        gw.delete_authorizer(ApiId=api_id, AuthorizerId=auth["AuthorizerId"])
    return api_id


def _authorizers(t: Target, stack: Stack, r: Resource, api_id: str, source: str) -> dict[str, str]:
    # The API's Lambda authorizers (Auth.Authorizers), each allowed to invoke its function: name -> id.
    gw, region, out = t.client("apigatewayv2"), stack.ctx.region, {}
    for name, spec in (stack.resolve(r.props.get("Auth") or {}).get("Authorizers") or {}).items():
        ttl = int((spec.get("Identity") or {}).get("ReauthorizeEvery", 0))
        headers = (spec.get("Identity") or {}).get("Headers") or []
        out[name] = gw.create_authorizer(
            ApiId=api_id, Name=name, AuthorizerType="REQUEST", AuthorizerUri=lambda_uri(region, spec["FunctionArn"]),
            AuthorizerPayloadFormatVersion=spec.get("AuthorizerPayloadFormatVersion", "2.0"),
            EnableSimpleResponses=bool(spec.get("EnableSimpleResponses")), AuthorizerResultTtlInSeconds=ttl,
            IdentitySource=[f"$request.header.{h}" for h in headers])["AuthorizerId"]
        allow(t, spec["FunctionArn"], "apigateway.amazonaws.com", source, f"apigw-authorizer-{name}")
    return out


def _route(gw: Any, api_id: str, route: Route, target: str, authorizers: dict[str, str]) -> None:
    integ = gw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=target,
                                  PayloadFormatVersion="2.0", TimeoutInMillis=30000)["IntegrationId"]
    auth = {"AuthorizationType": "CUSTOM", "AuthorizerId": authorizers[route.authorizer]} if route.authorizer else {}
    gw.create_route(ApiId=api_id, RouteKey=route.key, Target=f"integrations/{integ}", **auth)


def rest_api(t: Target, stack: Stack) -> str | None:
    """The REST API resources of the template (RestApi, Resource, Method with MOCK, Stage), rebuilt on deploy."""
    apis = stack.of_type("AWS::ApiGateway::RestApi")
    if not apis:
        return None
    gw, r = t.client("apigateway"), apis[0]
    for old in gw.get_rest_apis().get("items", []):
        if old["name"] == r.name:
            gw.delete_rest_api(restApiId=old["id"])
    api_id = gw.create_rest_api(name=r.name)["id"]
    root = next(x["id"] for x in gw.get_resources(restApiId=api_id)["items"] if x["path"] == "/")
    stack.ctx.refs[r.logical], stack.ctx.attrs[(r.logical, "RootResourceId")] = api_id, root
    for res in stack.of_type("AWS::ApiGateway::Resource"):
        p = stack.resolve(res.props)
        stack.ctx.refs[res.logical] = gw.create_resource(restApiId=api_id, parentId=p["ParentId"],
                                                         pathPart=p["PathPart"])["id"]
    for meth in stack.of_type("AWS::ApiGateway::Method"):
        p = stack.resolve(meth.props)
        ids = {"restApiId": api_id, "resourceId": p["ResourceId"], "httpMethod": p["HttpMethod"]}
        gw.put_method(**ids, authorizationType=p.get("AuthorizationType", "NONE"))
        integ = p["Integration"]
        gw.put_integration(**ids, type=integ["Type"], requestTemplates=integ.get("RequestTemplates") or {})
        for resp in integ.get("IntegrationResponses") or []:
            gw.put_method_response(**ids, statusCode=resp["StatusCode"])
            gw.put_integration_response(**ids, statusCode=resp["StatusCode"], selectionPattern="",
                                        responseTemplates=resp.get("ResponseTemplates") or {})
    for stage in stack.of_type("AWS::ApiGateway::Stage"):
        gw.create_deployment(restApiId=api_id, stageName=stack.resolve(stage.props["StageName"]))
    return api_id
