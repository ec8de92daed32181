"""Reserved concurrency must leave the account an unreserved minimum, as on AWS.

AWS refuses a PutFunctionConcurrency that would leave fewer than 100 unreserved executions of the
account's limit (1,000 by default). The local account is smaller, so the minimum is the platform's
`unreserved_min` (by default the same tenth of the limit); moto checks this only with a fixed 100
when MOTO_LAMBDA_CONCURRENCY_QUOTA is set, so the platform wraps moto's method while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from localaws.config import PlatformConfig


def install_reservation_check(cfg: PlatformConfig) -> Callable[[], None]:
    """Make moto's PutFunctionConcurrency refuse reservations past the minimum; returns the undo."""
    from moto.awslambda.exceptions import InvalidParameterValueException
    from moto.awslambda.models import LambdaBackend

    original = LambdaBackend.put_function_concurrency

    def put_function_concurrency(self: Any, function_name: str, reserved_concurrency: str) -> str:
        others = sum(int(f.reserved_concurrency) for f in self.list_functions()
                     if f.reserved_concurrency and f.function_name != self.get_function(function_name).function_name)
        if cfg.concurrency_limit - others - int(reserved_concurrency) < cfg.unreserved_min:
            raise InvalidParameterValueException(
                "Specified ReservedConcurrentExecutions for function decreases account's "
                f"UnreservedConcurrentExecution below its minimum value of [{cfg.unreserved_min}].")
        return original(self, function_name, reserved_concurrency)

    LambdaBackend.put_function_concurrency = put_function_concurrency  # type: ignore[method-assign]

    def undo() -> None:
        LambdaBackend.put_function_concurrency = original  # type: ignore[method-assign]

    return undo
