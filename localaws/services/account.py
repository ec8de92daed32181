"""Lambda account limits and usage (GetAccountSettings) and the minimum unreserved concurrency, from moto's state."""

from __future__ import annotations

from typing import Any

from localaws.config import PlatformConfig
from localaws.services.state import lambda_backend, reserved_total

# AWS's documented per-account limits that the local platform reports unchanged (bytes).
TOTAL_CODE_SIZE = 80 * 1024**3 * 15 // 16  # 75 GB
CODE_SIZE_UNZIPPED = 250 * 1024 * 1024
CODE_SIZE_ZIPPED = 50 * 1024 * 1024


def code_size_total(region: str) -> int:
    """Bytes of code stored: every function version ($LATEST and published) and every layer version."""
    backend = lambda_backend(region)
    total = 0
    for group in list(backend._lambdas._functions.values()):
        versions = ([group["latest"]] if group.get("latest") is not None else []) + list(group["versions"])
        total += sum(int(fn.code_size or 0) for fn in versions)
    for layer in list(backend._layers._layers.values()):
        total += sum(int(lv.code_size or 0) for lv in layer.layer_versions.values())
    return total


def function_count(region: str) -> int:
    """Number of functions (not versions) in the region."""
    groups = lambda_backend(region)._lambdas._functions.values()
    return sum(1 for g in list(groups) if g.get("latest") is not None)


def account_settings(cfg: PlatformConfig, region: str) -> dict[str, Any]:
    """GetAccountSettings' answer, from the platform's limit and moto's functions and layers."""
    return {
        "AccountLimit": {
            "TotalCodeSize": TOTAL_CODE_SIZE,
            "CodeSizeUnzipped": CODE_SIZE_UNZIPPED,
            "CodeSizeZipped": CODE_SIZE_ZIPPED,
            "ConcurrentExecutions": cfg.concurrency_limit,
            "UnreservedConcurrentExecutions": max(cfg.concurrency_limit - reserved_total(region), 0),
        },
        "AccountUsage": {"TotalCodeSize": code_size_total(region), "FunctionCount": function_count(region)},
    }
