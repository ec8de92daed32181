"""Deploy the template in dependency order (or print the plan): the one entry point of the deployer."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from serverless.deploy import apis, contract, functions, package, resources
from serverless.deploy.aws import Target, exists
from serverless.deploy.stack import Stack
from videocatalog import config


def stack_params(release: str = "v1") -> dict[str, str]:
    """Template parameters from the environment (secret and limits the way every architecture reads them)."""
    return {"Release": release, "JwtSecret": config.jwt_secret(), "MaxUploadBytes": str(config.max_upload_bytes())}


def plan(stack: Stack) -> list[str]:
    """What a deploy does, one line per step, in order (the dry run prints it)."""
    stack.ctx.placeholders = True
    lines = [f"bucket   {stack.artifacts_bucket()} (code artifacts)"]
    for r in stack.resources:
        detail = r.name or ""
        if r.type == "AWS::Serverless::Function":
            cfg = functions.configuration(stack, r)
            detail += f"  handler={cfg['Handler']} memory={cfg['MemorySize']}MB timeout={cfg['Timeout']}s"
            detail += f" role={cfg['Role'].rsplit('/', 1)[-1]} -> publish version, alias live"
            for name, ev in (r.props.get("Events") or {}).items():
                props = stack.resolve(ev.get("Properties") or {})
                what = props.get("Path") or props.get("Bucket") or props.get("Stream") or ""
                lines.append(f"event    {r.logical}.{name}: {ev['Type']} {props.get('Method', '')} {what}".rstrip())
        if r.type == "AWS::IAM::Role":
            for policy in r.props.get("Policies") or []:
                for st in stack.resolve(policy["PolicyDocument"])["Statement"]:
                    lines.append(f"policy   {r.name}: {st['Effect']} {st['Action']} on {st['Resource']}")
        if r.type == "AWS::Serverless::HttpApi":
            detail += f"  routes from the contract {contract.shown(contract.contract_path(stack, r))}"
        lines.append(f"create   {r.type} {r.logical} {detail}".rstrip())
        if r.type == "AWS::Serverless::HttpApi":
            lines += _route_lines(contract.routes(stack, r))
    stack.ctx.placeholders = False
    return lines


def _route_lines(routes: list[contract.Route]) -> list[str]:
    lines = [f"route    {x.key} -> {x.function} ({x.operation or 'catch-all, as declared'})"
             + (f" authorizer {x.authorizer}" if x.authorizer else "") for x in routes]
    skipped = ", ".join(" ".join(op) for op in sorted(contract.NOT_ON_THE_GATEWAY))
    return lines + [f"route    (none for {skipped}: uploads go straight to S3 by presigned URL)"]


def _artifact(t: Target, stack: Stack, path: Path) -> dict[str, str]:
    key = f"{path.stem}-{package.sha256(path)[:16]}.zip"
    s3 = t.client("s3")
    if not exists(lambda: s3.head_object(Bucket=stack.artifacts_bucket(), Key=key), ("404", "NoSuchKey")):
        s3.upload_file(str(path), stack.artifacts_bucket(), key)
    return {"S3Bucket": stack.artifacts_bucket(), "S3Key": key}


def _layer(t: Target, stack: Stack, zip_path: Path) -> None:
    # Publish a layer version only when its content changed (the ffmpeg layer is 70+ MB).
    lam = t.client("lambda")
    for r in stack.of_type("AWS::Serverless::LayerVersion"):
        sha = base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()
        versions = lam.list_layer_versions(LayerName=r.name).get("LayerVersions", [])
        if versions:
            latest = lam.get_layer_version(LayerName=r.name, VersionNumber=versions[0]["Version"])
            if latest["Content"].get("CodeSha256") == sha:
                stack.ctx.refs[r.logical] = latest["LayerVersionArn"]
                continue
        resources.layer(t, stack, r, _artifact(t, stack, zip_path))


def deploy(t: Target, stack: Stack, build_dir: Path, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Create or update everything the template declares; returns the outputs (API id, URLs, names)."""
    # The routes come from the contract: check it against the template before creating anything.
    routes = {r.logical: contract.routes(stack, r) for r in stack.of_type("AWS::Serverless::HttpApi")}
    s3 = t.client("s3")
    if not exists(lambda: s3.head_bucket(Bucket=stack.artifacts_bucket()), ("404", "NoSuchBucket", "NotFound")):
        kwargs = {"CreateBucketConfiguration": {"LocationConstraint": t.region}} if t.region != "us-east-1" else {}
        s3.create_bucket(Bucket=stack.artifacts_bucket(), **kwargs)
    code = _artifact(t, stack, package.function_zip(build_dir))
    for r in stack.resources:
        if r.type in resources.CREATORS:
            log(f"{r.type} {r.name or r.logical}")
            resources.CREATORS[r.type](t, stack, r)
    _layer(t, stack, package.ffmpeg_layer_zip(build_dir))
    versions = {}
    for r in stack.of_type("AWS::Serverless::Function"):
        log(f"function {r.name}")
        versions[r.name] = functions.deploy_function(t, stack, r, code)
    log("events: S3 notifications, stream mappings")
    functions.s3_notifications(t, stack)
    functions.stream_mappings(t, stack)
    outputs: dict[str, Any] = {"versions": versions}
    for r in stack.of_type("AWS::Serverless::HttpApi"):
        log(f"http api {r.name}")
        outputs["api_id"] = apis.http_api(t, stack, r, routes[r.logical])
        outputs["stage"] = stack.ctx.attrs[(r.logical, "Stage")]
    outputs["meta_api_id"] = apis.rest_api(t, stack)
    outputs.update(names(stack))
    return outputs


def names(stack: Stack) -> dict[str, Any]:
    """Physical names and ARNs the harness and notebooks need."""
    refs, attrs = stack.ctx.refs, stack.ctx.attrs
    return {"functions": {r.name: r.logical for r in stack.of_type("AWS::Serverless::Function")},
            "prefix": stack.prefix, "bucket": refs.get("MediaBucket"), "videos_table": refs.get("VideosTable"),
            "topic_arn": refs.get("StatusTopic"), "status_queue_url": refs.get("StatusQueue"),
            "stream": refs.get("ViewsStream"), "stream_arn": attrs.get(("ViewsStream", "Arn"))}


def save_outputs(path: Path, outputs: dict[str, Any]) -> None:
    """Write the outputs as JSON (the harness reads them back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(outputs, indent=2, sort_keys=True))
