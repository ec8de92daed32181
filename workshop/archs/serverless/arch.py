"""Run the serverless architecture: the local AWS (moto + the Lambda platform) with the template deployed on it.

A release is per function: a new version behind the `live` alias, all at once, or as a 10 % canary
when it carries a fault (the rollback scenario then moves the alias back to the good version).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import psutil

from workshop import settings
from workshop.archs.unorchestrated import orchestrated as orchestrated  # releases: the harness's canary
from workshop.archs.unorchestrated import self_rollback as self_rollback
from workshop.records import ArchRecord
from workshop.runtime import procs

NAME = "serverless"
ROOT = procs.PROJECT_ROOT
COMPONENTS = ("list_videos", "get_video", "create_video", "delete_video", "post_view", "get_trending",
              "get_health", "not_found", "authorizer", "probe", "render", "analytics", "pipeline_failures")
API_COMPONENTS = COMPONENTS[:8]
ROLLBACK_COMPONENT = "get_video"
CANARY_WEIGHT = 0.1


def preferred_port() -> int:
    """The local AWS endpoint's usual port on 127.0.0.1 (another free one when taken)."""
    return settings.port("localaws", 4566)


def state_dir() -> Path:
    """Where the local AWS keeps function code, environments and invocation records."""
    return procs.run_dir(NAME) / "localaws"


def _wait_endpoint(endpoint: str, pid: int, timeout_s: float = 60) -> None:
    try:
        procs.wait_healthy(f"{endpoint}/moto-api/data.json", timeout_s, pid=pid, poll_s=0.2)
    except RuntimeError:
        raise RuntimeError(f"the local AWS exited; see {procs.run_dir(NAME) / 'localaws.log'}") from None


def start_local_aws() -> str:
    """Start the local AWS as a detached process; returns its endpoint."""
    from workshop.runtime import cleanup

    if not cleanup.running():  # code a crashed earlier run left (no `down`): the new local AWS starts empty
        cleanup.remove(cleanup.leftovers(state_dir()))
    port = procs.choose_port(preferred_port())
    argv = [procs.PYTHON, "-m", "workshop.archs.serverless.localaws_server", "--port", str(port),
            "--state-dir", str(state_dir())]
    pid = procs.start(NAME, "localaws", argv, cwd=str(ROOT), port=port)
    endpoint = f"http://127.0.0.1:{port}"
    _wait_endpoint(endpoint, pid)
    return endpoint


def up(backend: str | None = None, release: str = "v1") -> str:
    """Start the local AWS, deploy the template to it, wait until healthy; returns the API's base URL."""
    from serverless.deploy import cli as deploy_cli

    if procs.load_arch(NAME):
        raise procs.AlreadyUp("serverless is already up (workshop status); run `workshop down serverless` first")
    endpoint = start_local_aws()
    print(f"AWS_ENDPOINT_URL={endpoint}", flush=True)
    # On stderr: stdout's last lines are for scripts (endpoint, web page, base URL).
    print(f"(AWS CLI v1 ignores AWS_ENDPOINT_URL for `aws sqs`: add --endpoint-url {endpoint}; "
          "localaws/README.md, 'From the AWS CLI')", file=sys.stderr, flush=True)
    outputs = deploy_cli.deploy_local(endpoint, release)
    url = outputs["base_url"]
    procs.wait_healthy(f"{url}/health", timeout_s=120)
    procs.save_arch(NAME, {"url": url, "endpoint": endpoint, "release": release, "backend": "local-aws",
                           "api_id": outputs["api_id"], "page_url": outputs.get("website_url") or "",
                           "components": {c: release for c in COMPONENTS}})
    return url


def down() -> None:
    """Stop the local AWS (every function environment goes with it), then remove the code it unpacked."""
    from workshop.runtime import cleanup

    procs.stop_all(NAME)
    if not cleanup.running():  # its functions lived in its memory: nothing uses their unpacked code now
        cleanup.remove(cleanup.leftovers(state_dir()))


def info() -> ArchRecord:
    """What `up` recorded; fails when serverless is not up."""
    found = procs.load_arch(NAME)
    if found is None:
        raise SystemExit("serverless is not up (workshop up serverless)")
    return found


def outputs() -> dict[str, Any]:
    """The last local deploy's outputs: API id, base URL, endpoint, table/bucket/stream names, the status
    topic and the SQS queue subscribed to it (what notebooks read the mobile-backend messages from)."""
    import json

    from videocatalog import config

    path = config.state_dir() / "serverless" / "outputs-local.json"
    if not path.exists():
        raise SystemExit("serverless has not been deployed locally (workshop up serverless)")
    return json.loads(path.read_text())


def deploy(component: str | None, release: str, env: dict[str, str] | None = None) -> str:
    """Release one function (all API functions when None): a new version, all traffic or a canary."""
    from serverless.deploy import release as releases

    current = info()
    names = [component] if component else list(API_COMPONENTS)
    unknown = [n for n in names if n not in COMPONENTS]
    if unknown:
        raise SystemExit(f"unknown function {unknown[0]!r}; choose from {', '.join(COMPONENTS)}")
    for name in names:
        releases.release(current["endpoint"], name, release, env or {}, CANARY_WEIGHT)
        current["components"][name] = f"{release} (canary {CANARY_WEIGHT:.0%})" if (env or {}) else release
    procs.save_arch(NAME, current)
    return str(current["url"])


def lambda_invocations() -> list[dict[str, Any]]:
    """Billing records of every function, from the REPORT lines in the local AWS's CloudWatch Logs, with service time.

    The same reader as the bench on AWS (`workshop bench --target aws`), so both targets bill alike.
    """
    from localaws import read_invocations
    from serverless.deploy.aws import Target
    from serverless.deploy.reports import billing_records, with_service_time

    # The REPORT line has AWS's fields only; the platform's own record adds the time spent in local AWS calls,
    # and the CPU the environment had (`vcpu`, `cpu`: whether the kernel scaled it by memory, as AWS does).
    own = read_invocations(state_dir())
    cpu = {r["request_id"]: {"vcpu": r.get("vcpu"), "cpu": r["cpu"]} for r in own if "cpu" in r}
    return [{**r, **cpu.get(r.get("request_id", ""), {})}
            for r in with_service_time(billing_records(Target("local", info()["endpoint"])), own)]


def new_capacity() -> float:
    """Seconds from "a new Lambda environment is needed" (a new version of list_videos) to its first 200."""
    from workshop.archs.serverless.study import gateway_rows, lambda_client

    current = info()
    [row] = gateway_rows(current, state_dir(), lambda_client(current["endpoint"]), 1, 0)
    return float(row["latency_ms"]) / 1000


def pids() -> dict[str, int]:
    """The local AWS process and every live function environment (named after its handler)."""
    out = {name: rec["pid"] for name, rec in procs.records(NAME).items()}
    if "localaws" not in out:
        return out
    try:
        children = psutil.Process(out["localaws"]).children(recursive=True)
    except psutil.Error:
        return out
    for child in children:
        try:
            cmd = child.cmdline()
        except psutil.Error:
            continue
        handler = next((a for a in cmd if a.startswith("serverless.functions.")), None)
        if handler:
            out[f"{handler.split('.')[2]}-{child.pid}"] = child.pid
    return out


def lambda_concurrency(since: float, until: float) -> dict[str, Any]:
    """The most environments busy at once between two times, the throttles, the limit and reservations."""
    from localaws import read_concurrency

    return read_concurrency(state_dir(), since, until)


def coldstart_study(quick: bool = False) -> Any:
    """The Lambda cold-start study (study.py) on the running architecture, started and stopped here if down."""
    from workshop.archs.serverless import study

    started = procs.load_arch(NAME) is None
    if started:
        up()
    try:
        return study.run_study(info(), state_dir(), quick or settings.quick())
    finally:
        if started:
            down()
