"""Registry of extra `workshop` subcommands: each entry adds its parser to the subparsers."""

from __future__ import annotations

EXTENSIONS: list = []

# Modules that register their subcommands by appending to EXTENSIONS when imported.
from workshop.cli import bench as bench_cli  # noqa: E402,F401  (workshop bench, load, seed, report)
from workshop.tune import cli as tune_cli  # noqa: E402,F401  (workshop tune)
