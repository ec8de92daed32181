"""The template's ReservedConcurrentExecutions on accounts whose quota cannot take it (new accounts: 10)."""

from __future__ import annotations

from typing import Any

from serverless.deploy.concurrency import reserve


class FakeLambda:
    """get_account_settings / get_function_concurrency / put_function_concurrency as AWS answers them."""

    def __init__(self, limit: int, reserved_elsewhere: int = 0, current: int = 0) -> None:
        self.limit, self.elsewhere, self.current = limit, reserved_elsewhere, current
        self.put: list[int] = []

    def get_account_settings(self) -> dict[str, Any]:
        unreserved = self.limit - self.elsewhere - self.current
        return {"AccountLimit": {"ConcurrentExecutions": self.limit, "UnreservedConcurrentExecutions": unreserved}}

    def get_function_concurrency(self, FunctionName: str) -> dict[str, Any]:  # noqa: N803 (boto3's names)
        return {"ReservedConcurrentExecutions": self.current} if self.current else {}

    def put_function_concurrency(self, FunctionName: str, ReservedConcurrentExecutions: int) -> None:  # noqa: N803
        self.put.append(ReservedConcurrentExecutions)


def test_a_new_account_with_a_quota_of_10_deploys_without_the_reservation(capsys):
    lam = FakeLambda(limit=10)
    assert reserve(lam, "vc-render", 3) is False and lam.put == []
    assert "quota increase" in capsys.readouterr().err


def test_a_default_account_reserves_and_a_redeploy_does_not_count_it_twice():
    lam = FakeLambda(limit=1000)
    assert reserve(lam, "vc-render", 3) is True and lam.put == [3]
    tight = FakeLambda(limit=103, current=3)  # 100 unreserved left because of this very reservation
    assert reserve(tight, "vc-render", 3) is True and tight.put == [3]
    assert reserve(FakeLambda(limit=102), "vc-render", 3) is False
