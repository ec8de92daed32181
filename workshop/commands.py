"""Registry of extra `workshop` subcommands: each entry adds its parser to the subparsers."""

from __future__ import annotations

EXTENSIONS: list = []

# Modules that register their subcommands by appending to EXTENSIONS when imported.
from . import bench_cli  # noqa: E402,F401  (workshop bench, load, seed, report)
from .archs import (  # noqa: E402
    microservices_cli,  # noqa: F401  (workshop scale)
    serverless_cli,  # noqa: F401  (workshop teardown; deploy --target/--dry-run)
)
