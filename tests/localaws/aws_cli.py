"""Run AWS CLI v1 commands against a local AWS (batched in one process) and check answers against AWS's shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session

# One process runs a batch of commands through the CLI's own entry point (awscli.clidriver, what `aws` runs):
# the CLI takes about a second to start and to load a service's model, so a batch pays that once per service
# instead of once per command (one driver for the batch: 0.1-0.2 s a command instead of 0.3-0.8 s).
BATCH = """
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
driver = create_clidriver()
results = []
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = driver.main(argv)
        except SystemExit as exc:
            rc = exc.code
    results.append({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
sys.__stdout__.write(json.dumps(results))
"""


@dataclass
class CliResult:
    """One command's exit code and output; .json is stdout decoded (None when empty)."""

    argv: list[str]
    rc: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        """The command's JSON output."""
        assert self.rc == 0, f"aws {' '.join(self.argv)} failed ({self.rc}): {self.stderr}"
        return json.loads(self.stdout) if self.stdout.strip() else None


Cli = Callable[[list[list[str]]], list[CliResult]]  # the `cli` fixture (conftest.py): a batch in, results out


def cli_env(endpoint: str, home: Path) -> dict[str, str]:
    """Environment of a learner's shell pointed at the local AWS: dummy credentials, us-east-1, no config files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=str(home / "config"),
               AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"), AWS_PAGER="", HOME=str(home))
    return env


def run_batch(env: dict[str, str], commands: list[list[str]], cwd: Path) -> list[CliResult]:
    """Run each command (argv after `aws`, JSON output) in one CLI process, in order."""
    argvs = [[*argv, "--output", "json"] for argv in commands]
    proc = subprocess.run([sys.executable, "-c", BATCH], input=json.dumps(argvs), capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=180)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    return [CliResult(argv, r["rc"], r["stdout"], r["stderr"]) for argv, r in zip(argvs, results, strict=True)]


def aws_executable() -> str:
    """The `aws` script installed next to the interpreter running the tests."""
    return str(Path(sys.executable).parent / "aws")


_session = botocore.session.get_session()
SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "long": (int,), "boolean": (bool,), "double": (int, float),
    "float": (int, float), "timestamp": (str, int, float), "blob": (str,),
}


def _check(shape: Any, value: Any, where: str) -> None:
    kind = shape.type_name
    if value is None:
        return  # moto writes some absent members as null (AWS omits them); the SDKs read both as absent
    if kind == "structure":
        assert isinstance(value, dict), f"{where}: {value!r} is not an object"
        for key, item in value.items():
            assert key in shape.members, f"{where}.{key}: not in AWS's documented shape {sorted(shape.members)}"
            _check(shape.members[key], item, f"{where}.{key}")
    elif kind == "list":
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        for i, item in enumerate(value):
            _check(shape.member, item, f"{where}[{i}]")
    elif kind == "map":
        assert isinstance(value, dict), f"{where}: {value!r} is not a map"
        for key, item in value.items():
            _check(shape.value, item, f"{where}[{key}]")
    elif shape.name == "policyDocumentType":
        assert isinstance(value, (str, dict)), f"{where}: {value!r} is not a policy"  # botocore decodes IAM's JSON
    else:
        ok = isinstance(value, SCALARS.get(kind, (object,))) and not (kind != "boolean" and isinstance(value, bool))
        assert ok, f"{where}: {value!r} is not a {kind}"


def check_shape(service: str, operation: str, doc: Any, required: tuple[str, ...] = ()) -> Any:
    """Assert doc has only documented keys of the right types, and the dotted required keys; return doc."""
    shape = _session.get_service_model(service).operation_model(operation).output_shape
    assert shape is not None and doc is not None, f"{operation}: no output"
    _check(shape, doc, operation)
    for path in required:
        node = doc
        for part in path.split("."):
            node = node[int(part)] if isinstance(node, list) else node.get(part) if isinstance(node, dict) else None
            assert node is not None, f"{operation}: {path} missing in {json.dumps(doc)[:400]}"
    return doc


def cli_error(result: CliResult) -> str:
    """The error line the CLI printed (asserting the command failed)."""
    assert result.rc != 0, f"aws {' '.join(result.argv)} unexpectedly succeeded: {result.stdout[:300]}"
    return result.stderr.strip()
