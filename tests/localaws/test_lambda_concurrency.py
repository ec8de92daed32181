"""The account's concurrency: environments at once each second and throttles on disk; the unreserved minimum."""

from __future__ import annotations

import time

import pytest
from lambda_helpers import SLEEPY, invoke_together

from localaws.runtime.meter import read_concurrency


def test_peak_environments_and_throttles_are_recorded_per_second(client, deploy, aws):
    lam = client("lambda")
    names = [deploy(SLEEPY, Timeout=10) for _ in range(2)]
    old = aws.cfg.concurrency_limit
    aws.cfg.concurrency_limit = 3
    started = time.time()
    try:
        results = invoke_together(lam, [names[0], names[0], names[1], names[1], names[1]], 1.5)
    finally:
        aws.cfg.concurrency_limit = old
    ran = sum(isinstance(r, int) for answers in results.values() for r in answers)
    assert ran == 3  # the limit: three environments side by side, two throttled
    time.sleep(1.5)  # the reaper writes the last busy second's line once that second is over
    seen = read_concurrency(aws.state_dir, started, time.time())
    assert seen["peak"] == 3 and seen["throttles"] == 2
    assert seen["limit"] == 3 and seen["reserved"] == 0
    assert aws.pool.meter.peak >= 3
    assert read_concurrency(aws.state_dir, time.time() + 60)["peak"] == 0  # a window with no activity


def test_reservations_must_leave_the_unreserved_minimum(client, deploy, aws):
    """AWS's rule (100 of 1,000 stays unreserved) at the local account's scale: a tenth of the limit."""
    lam = client("lambda")
    first, second = deploy(SLEEPY), deploy(SLEEPY)
    assert aws.cfg.concurrency_limit == 10 and aws.cfg.unreserved_min == 1
    try:
        lam.put_function_concurrency(FunctionName=first, ReservedConcurrentExecutions=6)
        with pytest.raises(lam.exceptions.InvalidParameterValueException, match=r"minimum value of \[1\]"):
            lam.put_function_concurrency(FunctionName=second, ReservedConcurrentExecutions=4)
        lam.put_function_concurrency(FunctionName=second, ReservedConcurrentExecutions=3)  # 1 left: allowed
        lam.put_function_concurrency(FunctionName=first, ReservedConcurrentExecutions=6)  # its own is not counted twice
    finally:  # reservations come out of the account pool the other tests use
        for name in (first, second):
            lam.delete_function_concurrency(FunctionName=name)
    assert "ReservedConcurrentExecutions" not in lam.get_function(FunctionName=second).get("Concurrency", {})
