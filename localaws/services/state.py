"""Read Lambda configuration straight from moto's in-process backends, as plain specs."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

from localaws.config import ACCOUNT_ID

# moto does not store DeadLetterConfig; the front records it here as requests pass through.
_dead_letters: dict[str, str] = {}
# moto pins a mapping on an alias to the alias's version; the front records the FunctionName asked for.
_mapping_targets: dict[str, str] = {}
# Stream mappings: the last sequence number handed to the function per "uuid/shard" (saved in the state file),
# and the ones a restored state file brought, which a poller starting after the restore resumes after.
_checkpoints: dict[str, str] = {}
_restored_checkpoints: dict[str, str] = {}
_lock = threading.Lock()


class FunctionNotFound(Exception):
    """No function (or qualifier) by that name in moto."""


@dataclass(frozen=True)
class FunctionSpec:
    """Everything an execution environment needs to know about one function version."""

    name: str
    arn: str
    version: str
    region: str
    handler: str
    runtime: str
    timeout: int
    memory_mb: int
    ephemeral_mb: int
    env: dict[str, str]
    code: bytes = field(repr=False)
    code_sha: str
    layers: tuple[tuple[str, bytes | None], ...] = field(repr=False)
    reserved_concurrency: int | None
    last_modified: str
    dead_letter_arn: str | None
    on_failure_arn: str | None
    on_success_arn: str | None
    max_retries: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the code+config an environment was built for."""
        return (self.name, self.version, self.code_sha, self.last_modified)


def lambda_backend(region: str) -> Any:
    """The moto Lambda backend for the account and region."""
    from moto.awslambda.models import lambda_backends

    return lambda_backends[ACCOUNT_ID][region]


def split_name(name: str, qualifier: str | None) -> tuple[str, str | None]:
    """Split a function name, partial or full ARN into (name, qualifier)."""
    if ":function:" in name:
        name = name.split(":function:", 1)[1]
    if ":" in name:
        name, qualifier = name.split(":", 1)
    return name, qualifier or None


def _remember(store: dict[str, str], key: str, value: str | None) -> None:
    with _lock:
        if value:
            store[key] = value
        else:
            store.pop(key, None)


def record_dead_letter(name: str, target_arn: str | None) -> None:
    """Remember a function's DeadLetterConfig.TargetArn (empty clears it)."""
    _remember(_dead_letters, name, target_arn)


def record_mapping_target(uuid: str, function_name: str | None) -> None:
    """Remember the FunctionName (maybe alias-qualified) an event source mapping was created or updated with."""
    _remember(_mapping_targets, uuid, function_name)


def record_checkpoint(uuid: str, shard_id: str, sequence_number: str) -> None:
    """Note how far a stream mapping's shard has been delivered (for the state file)."""
    _checkpoints[f"{uuid}/{shard_id}"] = sequence_number


def restored_checkpoint(uuid: str, shard_id: str) -> str | None:
    """The sequence number a restored state file says this shard was delivered up to (once), else None."""
    with _lock:
        return _restored_checkpoints.pop(f"{uuid}/{shard_id}", None)


def export_notes() -> dict[str, dict[str, str]]:
    """What the platform keeps beside moto (dead-letter and mapping targets, stream checkpoints), for a snapshot."""
    with _lock:
        return {"dead_letters": dict(_dead_letters), "mapping_targets": dict(_mapping_targets),
                "checkpoints": {**_restored_checkpoints, **_checkpoints}}


def import_notes(notes: dict[str, dict[str, str]]) -> None:
    """Put back what export_notes() returned (a restored snapshot)."""
    with _lock:
        _dead_letters.update(notes.get("dead_letters", {}))
        _mapping_targets.update(notes.get("mapping_targets", {}))
        _restored_checkpoints.update(notes.get("checkpoints", {}))


def mapping_target(esm: Any) -> str:
    """What a mapping invokes: the name or ARN it was given (an alias keeps routing), else moto's ARN."""
    with _lock:
        return _mapping_targets.get(esm.uuid, esm.function_arn)


def reserved_total(region: str) -> int:
    """Sum of the reserved concurrency of every function in the region (taken out of the account pool)."""
    groups = list(lambda_backend(region)._lambdas._functions.values())
    return sum(int(g["latest"].reserved_concurrency or 0) for g in groups if g.get("latest") is not None)


def pick_version(region: str, name: str, qualifier: str | None) -> str | None:
    """Resolve an alias to one version, honouring AdditionalVersionWeights; versions pass through."""
    if qualifier is None or qualifier == "$LATEST" or qualifier.isdigit():
        return qualifier
    backend = lambda_backend(region)
    try:
        alias = backend.get_alias(qualifier, name)
    except Exception as exc:
        raise FunctionNotFound(f"{name}:{qualifier}") from exc
    weights = (alias.routing_config or {}).get("AdditionalVersionWeights") or {}
    roll = random.random()
    for version, weight in weights.items():
        roll -= float(weight)
        if roll < 0:
            return str(version)
    return str(alias.function_version)


def resolve(region: str, name_or_arn: str, qualifier: str | None = None) -> FunctionSpec:
    """Turn a name/ARN and qualifier into the spec of the version that will run."""
    name, qualifier = split_name(name_or_arn, qualifier)
    version = pick_version(region, name, qualifier)
    backend = lambda_backend(region)
    try:
        fn = backend.get_function(name, version)
    except Exception as exc:
        raise FunctionNotFound(f"{name}:{qualifier}" if qualifier else name) from exc
    return _spec(region, fn, str(fn.version))


def _spec(region: str, fn: Any, version: str) -> FunctionSpec:
    backend = lambda_backend(region)
    layers = []
    for layer in fn.layers:
        lv = backend.layers_versions_by_arn(layer["Arn"])
        layers.append((layer["Arn"], (lv.code_bytes or b"") if lv else None))  # None: the layer is gone
    invoke_cfg = fn.event_invoke_config[0].config if fn.event_invoke_config else {}
    dest = invoke_cfg.get("DestinationConfig") or {}
    reserved = backend.get_function(fn.function_name).reserved_concurrency  # per function, not per version
    return FunctionSpec(
        name=fn.function_name,
        arn=f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{fn.function_name}",
        version=version,
        region=region,
        handler=fn.handler or "lambda_function.lambda_handler",
        runtime=fn.run_time or "python3.11",
        timeout=int(fn.timeout),
        memory_mb=int(fn.memory_size),
        ephemeral_mb=int(fn.ephemeral_storage),
        env={str(k): str(v) for k, v in (fn.environment_vars or {}).items()},
        code=fn.code_bytes or b"",
        code_sha=fn.code_sha_256 or "",
        layers=tuple(layers),
        reserved_concurrency=None if reserved in (None, "") else int(reserved),
        last_modified=str(fn.last_modified),
        dead_letter_arn=_dead_letters.get(fn.function_name),
        on_failure_arn=(dest.get("OnFailure") or {}).get("Destination"),
        on_success_arn=(dest.get("OnSuccess") or {}).get("Destination"),
        max_retries=int(invoke_cfg.get("MaximumRetryAttempts", 2)),
    )


def logs_backend(region: str) -> Any:
    """The moto CloudWatch Logs backend."""
    from moto.logs.models import logs_backends

    return logs_backends[ACCOUNT_ID][region]
