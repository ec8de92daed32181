"""Answers an API gateway request with what the gateway told the function (payload format 2.0)."""

import json


def handler(event, context):
    """Return the route, path parameters, stage, stage variables and the authorizer's context."""
    ctx = event.get("requestContext", {})
    body = {"routeKey": event.get("routeKey"), "rawPath": event.get("rawPath"),
            "pathParameters": event.get("pathParameters"), "stage": ctx.get("stage"),
            "stageVariables": event.get("stageVariables"), "authorizer": ctx.get("authorizer")}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
