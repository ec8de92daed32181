"""JWT authorizers on HTTP APIs: a Cognito user pool in moto signs users in; the gateway checks their tokens."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
import requests

from localaws.apigw.jwt_auth import JwtVerifier

ECHO_AUTH = """
import json
def handler(event, context):
    return {"statusCode": 200, "body": json.dumps(event["requestContext"].get("authorizer"))}
"""
PASSWORD = "Correct-Horse-9"


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def user_pool(client, name: str) -> dict[str, str]:
    """A user pool, an app client and a signed-in user: the pool's issuer, client id and tokens."""
    idp = client("cognito-idp")
    pool = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    app = idp.create_user_pool_client(UserPoolId=pool, ClientName="web",
                                      ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"])["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool, Username="ada", TemporaryPassword="Temp-Pass-1", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="ada", Password=PASSWORD, Permanent=True)
    tokens = idp.admin_initiate_auth(UserPoolId=pool, ClientId=app["ClientId"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD})["AuthenticationResult"]
    return {"issuer": f"https://cognito-idp.us-east-1.amazonaws.com/{pool}", "client_id": app["ClientId"],
            "id_token": tokens["IdToken"], "access_token": tokens["AccessToken"]}


@pytest.fixture(scope="module")
def pools(client):
    return user_pool(client, "main"), user_pool(client, "other")


@pytest.fixture
def jwt_api(aws, client, deploy, pools):
    """An HTTP API whose routes need a token of the main pool's app client; its base URL."""
    gw = client("apigatewayv2")
    main = pools[0]
    api = gw.create_api(Name="jwt", ProtocolType="HTTP")["ApiId"]
    auth = gw.create_authorizer(ApiId=api, Name="cognito", AuthorizerType="JWT",
                                IdentitySource=["$request.header.Authorization"],
                                JwtConfiguration={"Issuer": main["issuer"], "Audience": [main["client_id"]]})
    integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=arn(deploy(ECHO_AUTH)),
                                  PayloadFormatVersion="2.0")["IntegrationId"]
    for key, scopes in (("GET /me", []), ("GET /admin", ["catalog/admin"])):
        gw.create_route(ApiId=api, RouteKey=key, Target=f"integrations/{integ}", AuthorizationType="JWT",
                        AuthorizerId=auth["AuthorizerId"], AuthorizationScopes=scopes)
    gw.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    return aws.gateway_url(api)


def get(url: str, token: str | None = None) -> requests.Response:
    return requests.get(url, headers={"Authorization": token} if token is not None else {}, timeout=30)


def test_moto_keeps_the_jwt_authorizer_and_route(client, jwt_api, pools):
    gw = client("apigatewayv2")
    api = jwt_api.rsplit("/", 1)[1]
    (auth,) = gw.get_authorizers(ApiId=api)["Items"]
    assert auth["AuthorizerType"] == "JWT" and auth["JwtConfiguration"]["Issuer"] == pools[0]["issuer"]
    routes = {r["RouteKey"]: r for r in gw.get_routes(ApiId=api)["Items"]}
    assert routes["GET /admin"]["AuthorizationType"] == "JWT"
    assert routes["GET /admin"]["AuthorizationScopes"] == ["catalog/admin"]


def test_id_token_reaches_the_function_with_its_claims(jwt_api, pools):
    main = pools[0]
    resp = get(jwt_api + "/me", "Bearer " + main["id_token"])
    assert resp.status_code == 200, resp.text
    claims = resp.json()["jwt"]["claims"]
    assert claims["cognito:username"] == "ada" and claims["aud"] == main["client_id"]
    assert claims["iss"] == main["issuer"] and claims["token_use"] == "id"
    assert claims["exp"] == str(jwt.decode(main["id_token"], options={"verify_signature": False})["exp"])
    assert resp.json()["jwt"]["scopes"] is None
    # The prefix is optional, as on AWS; an access token matches through its client_id claim.
    assert get(jwt_api + "/me", main["id_token"]).status_code == 200
    access = get(jwt_api + "/me", "Bearer " + main["access_token"]).json()["jwt"]["claims"]
    assert access["client_id"] == main["client_id"] and access["token_use"] == "access"


def test_no_token_or_a_bad_one_is_401(jwt_api, pools):
    unauthorized = {"message": "Unauthorized"}
    for token in (None, "", "Bearer ", "Bearer not-a-jwt"):
        resp = get(jwt_api + "/me", token)
        assert (resp.status_code, resp.json()) == (401, unauthorized), token
    head, body, sig = pools[0]["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["cognito:username"] = "mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert get(jwt_api + "/me", f"Bearer {head}.{forged}.{sig}").status_code == 401
    assert get(jwt_api + "/me", f"Bearer {head}.{body}.{sig[::-1]}").status_code == 401


def test_a_token_of_another_pool_or_audience_is_401(jwt_api, pools):
    assert get(jwt_api + "/me", "Bearer " + pools[1]["id_token"]).status_code == 401


def test_expired_and_foreign_issuer_tokens_are_401(aws, jwt_api, pools):
    # moto signs with one key for every pool: re-sign its claims with that key to make an expired token.
    from moto.utilities.utils import load_resource

    key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
    claims = jwt.decode(pools[0]["id_token"], options={"verify_signature": False})
    expired = jwt.encode({**claims, "exp": int(time.time()) - 60}, key, "RS256", headers={"kid": "dummy"})
    assert get(jwt_api + "/me", "Bearer " + expired).status_code == 401
    fresh = jwt.encode(claims, key, "RS256", headers={"kid": "dummy"})
    assert get(jwt_api + "/me", "Bearer " + fresh).status_code == 200  # the same key and claims do pass


def test_route_scopes_are_enforced_with_403(jwt_api, pools):
    resp = get(jwt_api + "/admin", "Bearer " + pools[0]["access_token"])
    assert (resp.status_code, resp.json()) == (403, {"message": "Forbidden"})


def test_keys_are_only_fetched_from_the_local_endpoint():
    verifier = JwtVerifier("http://127.0.0.1:5000")
    assert verifier.jwks_url("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc") == \
        "http://127.0.0.1:5000/eu-west-1_abc/.well-known/jwks.json"
    assert verifier.jwks_url("https://example.com/issuer") is None
    assert verifier.jwks_url("https://cognito-idp.us-east-1.amazonaws.com.evil.test/x") is None
