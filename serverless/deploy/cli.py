"""Deploy / teardown entry points used by `workshop` (local AWS or a real account, with a dry run)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from serverless.deploy import deployer, teardown, website
from serverless.deploy.aws import Target
from serverless.deploy.stack import Stack
from videocatalog import config


def build_dir() -> Path:
    """Where the zips are built (the ffmpeg layer is cached there between deploys)."""
    return config.state_dir() / "build" / "serverless"


def _stack(t: Target, release: str, dry_run: bool = False) -> Stack:
    if t.kind == "local" and dry_run:
        account = "123456789012"  # moto's account
    elif dry_run:
        try:
            account = t.account()
        except Exception:  # no credentials: the plan still shows every step
            account = "ACCOUNT_ID"
    else:
        account = t.account()
    return Stack(deployer.stack_params(release), account, t.region)


def base_url(t: Target, api_id: str, stage: str) -> str:
    """The public URL of the HTTP API's stage."""
    if t.kind == "local":
        return f"{t.endpoint}/_aws/execute-api/{api_id}/{stage}"
    return f"https://{api_id}.execute-api.{t.region}.amazonaws.com/{stage}"


def deploy_local(endpoint: str, release: str = "v1") -> dict[str, Any]:
    """Deploy the template to the local AWS at `endpoint`; returns the outputs (base_url included)."""
    return run_deploy(Target("local", endpoint), release)


def run_deploy(t: Target, release: str = "v1", dry_run: bool = False) -> dict[str, Any]:
    """Deploy (or print the plan of) the whole template to the target."""
    stack = _stack(t, release, dry_run)
    if dry_run:
        for line in deployer.plan(stack):
            print(line)
        return {}
    outputs = deployer.deploy(t, stack, build_dir(), log=lambda m: print(f"deploy: {m}", file=sys.stderr, flush=True))
    outputs["base_url"] = base_url(t, outputs["api_id"], outputs["stage"])
    outputs["endpoint"] = t.endpoint
    outputs.update(website.outputs(t, stack.ctx.refs, outputs["base_url"]))  # the web page, calling that API
    deployer.save_outputs(config.state_dir() / "serverless" / f"outputs-{t.kind}.json", outputs)
    return outputs


def run_teardown(t: Target, dry_run: bool = False) -> list[str]:
    """Remove every declared resource from the target and return what is still there (nothing, normally)."""
    stack = _stack(t, "v1", dry_run)
    if dry_run:
        for r in reversed(stack.resources):
            print(f"delete   {r.type} {r.name or r.logical}")
        print(f"delete   AWS::S3::Bucket {stack.artifacts_bucket()} (code artifacts)")
        return []
    teardown.teardown(t, stack, log=lambda m: print(f"teardown: {m}", file=sys.stderr, flush=True))
    return teardown.leftovers(t, stack)


def target(kind: str, endpoint: str | None = None, dry_run: bool = False) -> Target:
    """The deploy target: `local` (the local AWS at `endpoint`, which the caller starts) or `aws`."""
    if kind == "aws":
        return Target("aws", region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    if endpoint is None and dry_run:
        endpoint = "http://127.0.0.1:4566"  # nothing is called in a dry run
    if endpoint is None:
        raise SystemExit("no local AWS to deploy to: start one with `workshop up serverless` first")
    return Target("local", endpoint)
