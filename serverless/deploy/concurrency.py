"""Reserved concurrency as AWS allows it: a reservation must leave 100 unreserved executions in the account."""

from __future__ import annotations

import sys
from typing import Any

from serverless.deploy.aws import error_code

MIN_UNRESERVED = 100  # AWS refuses a PutFunctionConcurrency that leaves fewer unreserved


def reserve(lam: Any, name: str, reserved: int, min_unreserved: int | None = MIN_UNRESERVED) -> bool:
    """Apply the template's reservation where the account allows it; else say why and go on without it.

    New AWS accounts often start with a concurrency quota of 10, where no reservation fits: the function
    then shares the unreserved pool (the API may be starved by a burst of renders) until a quota increase.
    `min_unreserved=None` leaves the check to the account itself (the local AWS keeps its own, scaled minimum).
    """
    limit = _limits(lam)  # None where the API is missing: then the account's refusal is the check
    if min_unreserved is not None and limit is not None:
        if limit[1] + _current(lam, name) - reserved < min_unreserved:
            _skip(name, reserved, limit[0])
            return False
    try:
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)
    except Exception as exc:  # the account changed under us, or AWS counts differently
        if error_code(exc) != "InvalidParameterValueException":
            raise
        _skip(name, reserved, limit[0] if limit else None)
        return False
    return True


def _limits(lam: Any) -> tuple[int, int] | None:
    """(ConcurrentExecutions, UnreservedConcurrentExecutions) of the account, or None if not available."""
    try:
        account = lam.get_account_settings()["AccountLimit"]
    except Exception as exc:
        if not error_code(exc):
            raise
        return None
    return int(account["ConcurrentExecutions"]), int(account["UnreservedConcurrentExecutions"])


def _current(lam: Any, name: str) -> int:
    """The function's reservation now (0 when none): re-deploying must not count it twice."""
    return int(lam.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions") or 0)


def _skip(name: str, reserved: int, limit: int | None) -> None:
    print(f"{name}: ReservedConcurrentExecutions {reserved} not applied: this account's concurrency limit is "
          f"{limit} and AWS keeps {MIN_UNRESERVED} unreserved; the function shares the unreserved pool. "
          "Request a Lambda concurrent-executions quota increase (Service Quotas) and deploy again to "
          "reserve it.", file=sys.stderr)
