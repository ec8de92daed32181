"""The HTTP API (routes, Lambda authorizer, stage) and the small REST API with the mock integration."""

from __future__ import annotations

from typing import Any

from .aws import Target
from .functions import alias_arn, allow
from .stack import Resource, Stack


def _by_name(items: list[dict[str, Any]], name: str, key: str = "Name") -> dict[str, Any] | None:
    return next((i for i in items if i.get(key) == name), None)


def lambda_uri(region: str, function_arn: str) -> str:
    """The apigateway invocation URI of a Lambda function (what authorizers and REST integrations take)."""
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


def http_api(t: Target, stack: Stack, r: Resource) -> str:
    """Create the HTTP API (or empty an existing one of that name) and build it from the template."""
    gw, region, acct = t.client("apigatewayv2"), stack.ctx.region, stack.ctx.account
    found = _by_name(gw.get_apis().get("Items", []), r.name)
    api_id = found["ApiId"] if found else gw.create_api(Name=r.name, ProtocolType="HTTP")["ApiId"]
    if found:  # a redeploy keeps the id (and the URL) and rebuilds what is behind it
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
    stack.ctx.refs[r.logical] = api_id
    source = f"arn:aws:execute-api:{region}:{acct}:{api_id}/*"
    authorizers = {}
    for name, spec in (stack.resolve(r.props.get("Auth") or {}).get("Authorizers") or {}).items():
        ttl = int((spec.get("Identity") or {}).get("ReauthorizeEvery", 0))
        headers = (spec.get("Identity") or {}).get("Headers") or []
        authorizers[name] = gw.create_authorizer(
            ApiId=api_id, Name=name, AuthorizerType="REQUEST", AuthorizerUri=lambda_uri(region, spec["FunctionArn"]),
            AuthorizerPayloadFormatVersion=spec.get("AuthorizerPayloadFormatVersion", "2.0"),
            EnableSimpleResponses=bool(spec.get("EnableSimpleResponses")), AuthorizerResultTtlInSeconds=ttl,
            IdentitySource=[f"$request.header.{h}" for h in headers])["AuthorizerId"]
        allow(t, spec["FunctionArn"], "apigateway.amazonaws.com", source, f"apigw-authorizer-{name}")
    for fn in stack.of_type("AWS::Serverless::Function"):
        for ev_name, ev in (fn.props.get("Events") or {}).items():
            if ev["Type"] != "HttpApi" or stack.resolve(ev["Properties"]["ApiId"]) != api_id:
                continue
            _route(gw, api_id, stack.resolve(ev["Properties"]), alias_arn(stack, fn), authorizers)
            allow(t, alias_arn(stack, fn), "apigateway.amazonaws.com", source, f"apigw-{ev_name}")
    stage = stack.resolve(r.props.get("StageName", "$default"))
    settings = stack.resolve(r.props.get("DefaultRouteSettings") or {})
    if not _by_name(gw.get_stages(ApiId=api_id).get("Items", []), stage, "StageName"):
        gw.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True, DefaultRouteSettings=settings)
    stack.ctx.attrs[(r.logical, "Stage")] = stage
    return api_id


def _route(gw: Any, api_id: str, p: dict[str, Any], target: str, authorizers: dict[str, str]) -> None:
    integ = gw.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=target,
                                  PayloadFormatVersion="2.0", TimeoutInMillis=29000)["IntegrationId"]
    key = "$default" if p["Path"] == "$default" else f"{p['Method'].upper()} {p['Path']}"
    auth = (p.get("Auth") or {}).get("Authorizer")
    extra = {"AuthorizationType": "CUSTOM", "AuthorizerId": authorizers[auth]} if auth else {}
    gw.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integ}", **extra)


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
