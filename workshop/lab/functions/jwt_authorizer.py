"""A Lambda REQUEST authorizer (simple responses) that accepts the catalog's bearer tokens."""

from videocatalog import auth
from videocatalog.errors import Unauthorized


def handler(event, context):
    """Allow the request when its Authorization header carries a valid token; pass the subject on."""
    try:
        claims = auth.check_bearer((event.get("headers") or {}).get("authorization"))
    except Unauthorized as exc:
        return {"isAuthorized": False, "context": {"reason": exc.message}}
    return {"isAuthorized": True, "context": {"sub": claims["sub"]}}
