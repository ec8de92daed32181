"""The AWS CLI (v1, installed in the venv) against a notebook's local AWS, shown as a shell transcript."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

from workshop.lab.iam import CREDENTIALS, REGION

# SQS's CLI ignores AWS_ENDPOINT_URL for queue URLs it builds itself: a learner passes --endpoint-url.
NEEDS_ENDPOINT_FLAG = {"sqs"}


@dataclass
class CliRun:
    """One `aws ...` command: what was typed, its exit code and output; shown as a transcript."""

    shown: str
    rc: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        """The command's JSON output (raises with the CLI's error if it failed)."""
        self.check()
        return json.loads(self.stdout) if self.stdout.strip() else None

    def check(self) -> CliRun:
        """This run, or a RuntimeError with the CLI's error if it failed."""
        if self.rc != 0:
            raise RuntimeError(f"{self.shown} failed ({self.rc}): {self.stderr.strip()}")
        return self

    def __repr__(self) -> str:
        answer = self.stdout if self.rc == 0 else self.stderr
        return f"{self.shown}\n{answer.rstrip()}" + (f"\n(exit code {self.rc})" if self.rc else "")


def cli_env(endpoint: str) -> dict[str, str]:
    """A learner's shell pointed at `endpoint`: AWS_ENDPOINT_URL, dummy credentials, no config files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    nowhere = os.path.join(tempfile.gettempdir(), "workshop-no-aws-config")  # missing files: no profile applies
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
               AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"], AWS_DEFAULT_REGION=REGION,
               AWS_CONFIG_FILE=nowhere, AWS_SHARED_CREDENTIALS_FILE=nowhere, AWS_PAGER="")
    return env


def cli(target: Any, service: str, *args: str, output: str = "json", timeout_s: float = 120) -> CliRun:
    """Run `aws SERVICE ARGS --output OUTPUT` against `target` (a LabAws, or an endpoint URL) as a subprocess."""
    endpoint = target if isinstance(target, str) else target.endpoint
    flags = ["--endpoint-url", endpoint] if service in NEEDS_ENDPOINT_FLAG else []
    argv = [service, *args, *flags, "--output", output]
    done = subprocess.run([sys.executable, "-m", "awscli", *argv], capture_output=True, text=True,
                          env=cli_env(endpoint), timeout=timeout_s, stdin=subprocess.DEVNULL)
    return CliRun("$ aws " + shlex.join(argv), done.returncode, done.stdout, done.stderr)
