"""The HTTP API's routes from the contract: the OpenAPI document named by the HttpApi's `Metadata.Contract`.

Every operation of the contract that the gateway serves becomes a route; its integration is the function whose
HttpApi event names that method and path, its authorizer follows the operation's `security`. Any mismatch
between the contract and the template stops the deploy before anything is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from serverless.deploy.stack import Resource, Stack
from serverless.deploy.template import TEMPLATE, Tag

# Not a route of the serverless gateway: POST /videos hands out a presigned S3 PUT URL instead of this path,
# so the bytes go straight to S3 (as on AWS) and no function ever receives them.
NOT_ON_THE_GATEWAY = frozenset({("PUT", "/videos/{id}/upload")})
CATCH_ALL = "$default"  # the template's `ANY $default` route (the contract's JSON 404/405): kept as declared
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class ContractError(SystemExit):
    """The template and the contract disagree (the deploy and the dry run stop with this message)."""


@dataclass(frozen=True)
class Operation:
    """One operation of the contract; `secured` when its security (or the document's) requires a scheme."""

    method: str
    path: str
    operation_id: str
    secured: bool


@dataclass(frozen=True)
class Route:
    """One route of the HTTP API: its key, the function and event behind it (logical ids), its authorizer."""

    key: str
    function: str
    event: str
    authorizer: str | None
    operation: str | None = None  # the contract's operationId; None for the catch-all


def contract_path(stack: Stack, api: Resource) -> Path:
    """The OpenAPI document the API is built from (`Metadata.Contract`, relative to the template's folder)."""
    rel = api.metadata.get("Contract")
    if not rel:
        raise ContractError(f"{api.logical}: Metadata.Contract must name the OpenAPI document its routes come from")
    return (stack.path.parent / rel).resolve()


def shown(path: Path) -> str:
    """A path as the plan and errors show it (relative to the repository when inside it)."""
    root = TEMPLATE.parent.parent
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def operations(doc: dict[str, Any]) -> list[Operation]:
    """Every operation of an OpenAPI document (operation-level security, else the document's)."""
    default = doc.get("security") or []
    out = []
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method in METHODS:
                reqs = op.get("security", default) or []
                # [] or an empty requirement ({}) lets anonymous callers in: no authorizer.
                out.append(Operation(method.upper(), path, op.get("operationId", ""), bool(reqs) and all(reqs)))
    return out


def served(doc: dict[str, Any]) -> list[Operation]:
    """The operations the gateway serves: all but NOT_ON_THE_GATEWAY."""
    return [op for op in operations(doc) if (op.method, op.path) not in NOT_ON_THE_GATEWAY]


def _events(stack: Stack, api: Resource) -> dict[tuple[str, str], tuple[str, str, dict[str, Any]]]:
    """(METHOD, path) -> (function, event name, properties) of every HttpApi event on this API."""
    found: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}
    for fn in stack.of_type("AWS::Serverless::Function"):
        for name, ev in (fn.props.get("Events") or {}).items():
            p = ev.get("Properties") or {}
            if ev["Type"] != "HttpApi":
                continue
            if "ApiId" not in p:
                raise ContractError(f"{fn.logical}.{name}: an HttpApi event needs ApiId (no implicit API here)")
            if p["ApiId"] not in (Tag("Ref", api.logical), {"Ref": api.logical}):
                continue
            key = (str(p.get("Method", "ANY")).upper(), str(p["Path"]))
            if key in found:
                raise ContractError(f"{fn.logical}.{name}: {' '.join(key)} is already routed to {found[key][0]}")
            found[key] = (fn.logical, name, p)
    return found


def _authorizer(api: Resource, where: str, p: dict[str, Any], secured: bool | None) -> str | None:
    """The authorizer of a route: the event's (SAM: else the API's default), checked against the contract."""
    auth = api.props.get("Auth") or {}
    declared = list(auth.get("Authorizers") or {})
    named = (p.get("Auth") or {}).get("Authorizer", auth.get("DefaultAuthorizer"))
    named = None if named in (None, "NONE") else named
    if named is not None and named not in declared:
        raise ContractError(f"{where} names the authorizer {named}, which {api.logical} does not declare")
    if secured and len(declared) != 1:
        raise ContractError(f"{where}: the contract's security needs the one authorizer of {api.logical}'s"
                            f" Auth.Authorizers; it declares {declared or 'none'}")
    if secured is not None and secured != (named is not None):
        need = f"the authorizer {declared[0]}" if secured else "no authorizer"
        raise ContractError(f"{where}: the contract's security says {need}, the event's Auth says {named or 'none'}")
    return named


def routes(stack: Stack, api: Resource) -> list[Route]:
    """The routes of `api`: the contract's served operations, then the catch-all; fails on any mismatch."""
    path = contract_path(stack, api)
    doc = yaml.safe_load(path.read_text())
    events, out = _events(stack, api), []
    for op in served(doc):
        what = f"{op.method} {op.path} ({op.operation_id} in {shown(path)})"
        if (op.method, op.path) not in events:
            raise ContractError(f"{what} has no function: give one an HttpApi event with that Method and Path")
        fn, ev, p = events.pop((op.method, op.path))
        auth = _authorizer(api, f"{what}, {fn}.{ev}", p, op.secured)
        out.append(Route(f"{op.method} {op.path}", fn, ev, auth, op.operation_id))
    for (method, route_path), (fn, ev, p) in events.items():
        if route_path != CATCH_ALL:
            why = (f"is not an operation of {shown(path)}" if (method, route_path) not in NOT_ON_THE_GATEWAY
                   else "is not served by the gateway (NOT_ON_THE_GATEWAY: uploads go to S3 by presigned URL)")
            raise ContractError(f"{fn}.{ev}: {method} {route_path} {why}")
        out.append(Route(CATCH_ALL, fn, ev, _authorizer(api, f"{fn}.{ev}", p, None)))
    return out
