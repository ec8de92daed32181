"""Notebook 06's Cognito section: a user pool, a signed-in user and an HTTP API behind a JWT authorizer.

Every call is the one you would make on AWS (the issuer URL included); only the endpoint is local.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Protocol

import requests

from workshop.lab.iam import REGION, allow_invoke, execute_api_arn


class LabAws(Protocol):
    """What these helpers need of a lab's local AWS (`workshop.lab.aws.LabAws`): clients and gateway URLs."""

    def client(self, service: str) -> Any:
        """A boto3 client for `service` on the lab's local AWS."""

    def gateway_url(self, api_id: str, stage: str | None = None) -> str:
        """Base URL of an API's stage on the local gateway."""

DEMO_PASSWORD = "Catalog-Demo-2026"  # a lab password: the pool's default policy wants upper, lower, digit, symbol


def issuer_of(pool_id: str) -> str:
    """The `iss` of a user pool's tokens, which a JWT authorizer names as its Issuer."""
    return f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"


def user_pool(aws: LabAws, name: str, username: str = "ada") -> dict[str, str]:
    """Create a user pool, an app client and a confirmed user; their ids and the user's username."""
    idp = aws.client("cognito-idp")
    pool = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    app = idp.create_user_pool_client(UserPoolId=pool, ClientName=f"{name}-web", ExplicitAuthFlows=[
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    # An admin-created user starts with a temporary password (FORCE_CHANGE_PASSWORD); setting a permanent
    # one confirms it, so the sign-in below gets tokens rather than a NEW_PASSWORD_REQUIRED challenge.
    idp.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS",
                          TemporaryPassword=DEMO_PASSWORD + "-tmp")
    idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=DEMO_PASSWORD, Permanent=True)
    return {"pool_id": pool, "client_id": app, "username": username, "issuer": issuer_of(pool)}


def sign_in(aws: LabAws, pool: dict[str, str], password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Sign the pool's user in (ADMIN_USER_PASSWORD_AUTH); the IdToken, AccessToken and RefreshToken."""
    result = aws.client("cognito-idp").admin_initiate_auth(
        UserPoolId=pool["pool_id"], ClientId=pool["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": pool["username"], "PASSWORD": password})["AuthenticationResult"]
    return {k: result[k] for k in ("IdToken", "AccessToken", "RefreshToken")}


def jwt_api(aws: LabAws, function_arn: str, pool: dict[str, str], name: str = "catalog-jwt") -> str:
    """An HTTP API whose `GET /me` runs the function for holders of the pool's tokens; its base URL."""
    gw = aws.client("apigatewayv2")
    api = gw.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    auth = gw.create_authorizer(ApiId=api, Name="cognito", AuthorizerType="JWT",
                                IdentitySource=["$request.header.Authorization"],
                                JwtConfiguration={"Issuer": pool["issuer"], "Audience": [pool["client_id"]]})
    integration = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=function_arn,
                                        PayloadFormatVersion="2.0")["IntegrationId"]
    gw.create_route(ApiId=api, RouteKey="GET /me", Target=f"integrations/{integration}",
                    AuthorizationType="JWT", AuthorizerId=auth["AuthorizerId"])
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)  # AutoDeploy: live on AWS too
    # The gateway invokes the function, not the authorizer: a JWT authorizer is no Lambda.
    allow_invoke(aws, function_arn.rsplit(":", 1)[1], "apigateway.amazonaws.com", execute_api_arn(api))
    return aws.gateway_url(api)  # on AWS: https://{api}.execute-api.{region}.amazonaws.com


def claims_of(token: str) -> dict[str, Any]:
    """A JWT's payload, decoded WITHOUT checking its signature (for reading only: the gateway checks)."""
    body = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def cognito_demo(aws: LabAws, function_arn: str, name: str = "catalog-users") -> dict[str, Any]:
    """Pool, user, JWT-authorized API, sign-in; then call GET /me without, with a forged and with the ID token."""
    pool = user_pool(aws, name)
    url = jwt_api(aws, function_arn, pool, name=f"{name}-api") + "/me"
    tokens = sign_in(aws, pool)
    head, _, sig = tokens["IdToken"].split(".")
    forged_claims = {**claims_of(tokens["IdToken"]), "cognito:username": "mallory"}
    forged = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).decode().rstrip("=")
    without = requests.get(url, timeout=30)
    with_forged = requests.get(url, headers={"Authorization": f"Bearer {head}.{forged}.{sig}"}, timeout=30)
    with_token = requests.get(url, headers={"Authorization": "Bearer " + tokens["IdToken"]}, timeout=30)
    seen = (with_token.json().get("authorizer") or {}) if with_token.ok else {}
    return {"url": url, "issuer": pool["issuer"], "client_id": pool["client_id"],
            "status_without_token": without.status_code, "body_without_token": without.json(),
            "status_with_forged_token": with_forged.status_code, "status_with_id_token": with_token.status_code,
            "claims_seen_by_function": (seen.get("jwt") or {}).get("claims")}
