"""JWT authorizers of HTTP APIs: validate a bearer token against the issuer's JWKS, as API Gateway does."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.request
from typing import Any

import jwt

from localaws.apigw.events import HttpResponse, gateway_error

# A Cognito user pool's issuer on AWS; moto signs its tokens with this `iss` and serves the pool's JWKS
# at {endpoint}/{pool_id}/.well-known/jwks.json in server mode.
COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/([\w-]+)/?$")
JWKS_TTL_S = 300.0  # API Gateway caches the keys too; a refetch happens on an unknown kid
LEEWAY_S = 0  # API Gateway allows no clock skew beyond its own


class JwtVerifier:
    """Checks tokens for JWT authorizers, fetching keys only from the local endpoint (127.0.0.1)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._keys: dict[str, tuple[float, jwt.PyJWKSet]] = {}
        self._lock = threading.Lock()
        # No proxies: the keys live on this machine, and nothing here may reach another address.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def jwks_url(self, issuer: str) -> str | None:
        """The local URL of the issuer's JWKS, or None for an issuer this local AWS does not serve."""
        found = COGNITO_ISSUER.match(issuer)
        if found:
            return f"{self.endpoint}/{found.group(1)}/.well-known/jwks.json"
        if issuer.startswith(self.endpoint + "/"):
            return issuer.rstrip("/") + "/.well-known/jwks.json"
        return None

    def authorize(self, authorizer: dict[str, Any], identity: str | None,
                  route_scopes: list[str] | None) -> HttpResponse | dict[str, Any]:
        """The `jwt` authorizer context ({claims, scopes}), or the 401/403 API Gateway answers."""
        config = authorizer.get("jwtConfiguration") or {}
        issuer = str(config.get("Issuer") or config.get("issuer") or "")
        audience = list(config.get("Audience") or config.get("audience") or [])
        token = _bearer(identity)
        if not token or not issuer:
            return gateway_error(401, "Unauthorized")
        claims = self._verify(token, issuer, audience)
        if claims is None:
            return gateway_error(401, "Unauthorized")
        scopes = _scopes(claims)
        if route_scopes and not set(route_scopes) & set(scopes or []):
            return gateway_error(403, "Forbidden")
        return {"claims": {k: _as_string(v) for k, v in claims.items()}, "scopes": scopes}

    def _verify(self, token: str, issuer: str, audience: list[str]) -> dict[str, Any] | None:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._key(issuer, kid)
            if key is None:
                return None
            claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer, leeway=LEEWAY_S,
                                options={"verify_aud": False, "require": ["exp", "iss"]})
        except jwt.PyJWTError:
            return None
        # API Gateway accepts the token when `aud` (ID tokens) or else `client_id` (access tokens) matches.
        aud = claims.get("aud", claims.get("client_id"))
        auds = aud if isinstance(aud, list) else [aud]
        return claims if set(map(str, auds)) & set(audience) else None

    def _key(self, issuer: str, kid: str | None) -> jwt.PyJWK | None:
        url = self.jwks_url(issuer)
        if url is None:
            return None
        for refresh in (False, True):
            keys = self._keyset(url, refresh)
            for key in keys.keys if keys else []:
                if kid is None or key.key_id == kid:
                    return key
        return None

    def _keyset(self, url: str, refresh: bool) -> jwt.PyJWKSet | None:
        with self._lock:
            cached = self._keys.get(url)
        if cached and not refresh and cached[0] > time.monotonic():
            return cached[1]
        try:
            with self._opener.open(url, timeout=5) as resp:
                keys = jwt.PyJWKSet.from_dict(json.loads(resp.read()))
        except (OSError, ValueError, jwt.PyJWTError):
            return None
        with self._lock:
            self._keys[url] = (time.monotonic() + JWKS_TTL_S, keys)
        return keys


def _bearer(identity: str | None) -> str | None:
    """The token in an Authorization value: with or without the `Bearer ` prefix, as API Gateway accepts."""
    if not identity:
        return None
    value = identity.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None


def _scopes(claims: dict[str, Any]) -> list[str] | None:
    """Scopes from the `scope` (space-separated) or `scp` claim; None when the token has none."""
    raw = claims.get("scope", claims.get("scp"))
    if raw is None:
        return None
    return raw.split() if isinstance(raw, str) else [str(s) for s in raw]


def _as_string(value: Any) -> str:
    """A claim as API Gateway passes it to Lambda: every value a string, arrays as `[a b]`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_as_string(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
