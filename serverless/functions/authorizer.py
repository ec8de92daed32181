"""The Lambda (custom) authorizer of the write routes: checks the HS256 bearer JWT.

HTTP API (payload 2.0, simple responses): the gateway cannot shape its own 401/403 bodies, so the
authorizer lets the request through with its decision in the context, `authorized` true or false,
and the function turns a refusal into the contract's JSON 401 (Request.require_writer, fail-closed).
REST API (format 1.0): a plain Allow/Deny policy, where gateway responses can shape the 401.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from videocatalog import auth
from videocatalog.errors import Unauthorized

logger = Logger()


def _header(event: dict[str, Any]) -> str | None:
    if event.get("type") == "TOKEN":
        return event.get("authorizationToken")
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    return headers.get("authorization")


def decide(event: dict[str, Any]) -> tuple[bool, str, str]:
    """(allowed, reason, subject) for the bearer token of the request."""
    try:
        claims = auth.check_bearer(_header(event))
    except Unauthorized as exc:
        return False, exc.message, "anonymous"
    return True, "", str(claims.get("sub", ""))


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    allowed, reason, subject = decide(event)
    logger.info("authorize", extra={"allowed": allowed, "reason": reason, "subject": subject})
    if event.get("version") == "2.0":
        return {"isAuthorized": True, "context": {"authorized": allowed, "reason": reason, "sub": subject}}
    statement = {"Action": "execute-api:Invoke", "Effect": "Allow" if allowed else "Deny",
                 "Resource": event.get("methodArn") or "*"}
    return {"principalId": subject, "policyDocument": {"Version": "2012-10-17", "Statement": [statement]},
            "context": {"reason": reason}}
