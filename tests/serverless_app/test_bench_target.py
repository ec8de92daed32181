"""`workshop bench --archs serverless --target local`: the AWS bench's code path, end to end, on the local AWS.

Deploy with the deployer, seed, load, billing from the REPORT lines in CloudWatch Logs, teardown verified
by listing; and the cost estimate with its confirmation. Real AWS is never called here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psutil
import pytest

from serverless.deploy.reports import parse_report
from workshop import bench_target as cloud
from workshop.cost import model as cost
from workshop.measure import loadrun
from workshop.runtime import procs

REPORT = ("REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: {billed} ms\tMemory Size: 256 MB\t"
          "Max Memory Used: 60 MB\tInit Duration: 250.50 ms")


def _env(state) -> dict[str, str]:
    env = {**os.environ, "WORKSHOP_STATE_DIR": str(state), "WORKSHOP_LOCALAWS_PORT": str(procs.free_port())}
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "WORKSHOP_QUICK"):
        env.pop(name, None)
    return env


def _bench(env, out, *extra) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "workshop", "bench", "--archs", "serverless", "--target", "local", "--quick",
            "--out", str(out), *extra]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def _processes_of(state) -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["cmdline"]) if str(state) in " ".join(p.info["cmdline"] or [])]


@pytest.mark.parametrize("billed", [13, 264])  # INIT outside Billed Duration (before Aug 2025) or inside it
def test_a_report_line_keeps_the_billed_duration_and_names_its_init(billed):
    rec = parse_report(REPORT.format(billed=billed), "f", 1_700_000_000_000)
    assert (rec["billed_ms"], rec["billed_init_ms"], rec["memory_mb"], rec["init_ms"]) == (billed, 251, 256, 250.5)
    assert rec["timestamp"] == 1_700_000_000 and parse_report("START RequestId: r-1", "f", 0) is None


@pytest.mark.parametrize("billed", [13, 264])
def test_init_is_priced_once_whether_or_not_billed_duration_holds_it(billed):
    from workshop.cost.usage import _init_inside

    rec = parse_report(REPORT.format(billed=billed), "f", 1_700_000_000_000)
    invoke_ms = rec["billed_ms"] - (rec["billed_init_ms"] if _init_inside(rec) else 0)
    assert invoke_ms == 13


def test_the_estimate_grows_with_the_load_and_nothing_runs_without_a_yes(tmp_path):
    prices = cost.load_prices()
    small = cloud.estimate(loadrun.LoadParams(users=2, duration_s=10), prices)
    big = cloud.estimate(loadrun.LoadParams(users=20, duration_s=60), prices)
    assert 0 < small["cost_usd"]["total"] < big["cost_usd"]["total"] and small["requests"] < big["requests"]
    result = cloud.run("aws", tmp_path / "out", loadrun.LoadParams(), yes=False, ask=lambda _: "n")
    assert result["status"] == "cancelled" and not (tmp_path / "out").exists()


def test_without_yes_and_without_a_terminal_nothing_is_deployed(tmp_path):
    run = _bench(_env(tmp_path / "state"), tmp_path / "out")
    assert run.returncode == 1 and "estimated cost $" in run.stdout and "cancelled" in run.stdout, run.stdout
    assert _processes_of(tmp_path / "state") == []


@pytest.mark.slow
def test_deploy_load_bill_from_cloudwatch_and_verified_teardown_on_the_local_aws(tmp_path):
    state, out = tmp_path / "state", tmp_path / "out"
    run = _bench(_env(state), out, "--yes")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "teardown verified: nothing of the stack is left" in run.stdout
    result = json.loads((out / "result.json").read_text())
    assert result["status"] == "ok" and result["leftovers"] == []
    # 429s are no fault here: the local account's concurrency limit, which a busy machine's slow cold starts
    # reach as AWS would; the path under test needs requests that got through and were billed.
    total = result["load"]["total"]
    assert total["requests"] > 0 and total["failures"] < total["requests"], total
    assert result["report_lines"] >= result["lambda"]["invocations"] > 0  # the window is the load's
    assert result["lambda"]["gb_s"] > 0 and result["cost_usd"]["total"] > 0
    assert _processes_of(state) == []  # the local AWS started for the run is gone


@pytest.mark.slow
def test_the_local_bench_reads_the_same_billing_records_from_cloudwatch_as_the_platform_wrote(tmp_path, monkeypatch):
    import requests

    from localaws.runtime.logs import read_invocations
    from workshop.archs.serverless import arch

    for name, value in _env(tmp_path / "state").items():
        if name.startswith("WORKSHOP_"):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    url = arch.up()
    try:
        for _ in range(5):
            requests.get(f"{url}/videos", timeout=60)
        from_logs, own = arch.lambda_invocations(), read_invocations(arch.state_dir())
    finally:
        arch.down()
    key = lambda r: (r["request_id"], r["billed_ms"], r["memory_mb"], r["billed_init_ms"])  # noqa: E731
    assert len(from_logs) >= 6 and sorted(map(key, from_logs)) == sorted(map(key, own))
    cpu = {r["request_id"]: (r["vcpu"], r["cpu"]) for r in own}  # the CPU each environment had, for the report
    assert all((r["vcpu"], r["cpu"]) == cpu[r["request_id"]] for r in from_logs)
